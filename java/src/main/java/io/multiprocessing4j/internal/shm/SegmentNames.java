package io.multiprocessing4j.internal.shm;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Names of shared memory segments. Users see and pass them without the leading '/' that
 * {@code shm_open} wants (as Python's {@code SharedMemory.name} does); the native calls get it.
 */
public final class SegmentNames {
    /** Prefix of every name we make up, so that our segments are recognisable in /dev/shm. */
    public static final String PREFIX = "mp4j_";
    /** NAME_MAX: the name becomes a file name in /dev/shm. */
    private static final int MAX_BYTES = 255;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentNames() {
    }

    /** A fresh name nobody can guess: the prefix and 130 random bits. */
    public static String random() {
        byte[] bits = new byte[17];
        RANDOM.nextBytes(bits);
        StringBuilder name = new StringBuilder(PREFIX.length() + 26).append(PREFIX);
        int buffer = 0;
        int buffered = 0;
        for (byte b : bits) {
            buffer = (buffer << 8) | (b & 0xff);
            buffered += 8;
            while (buffered >= 5 && name.length() < PREFIX.length() + 26) {
                buffered -= 5;
                name.append(BASE32[(buffer >>> buffered) & 31]);
            }
        }
        return name.toString();
    }

    /**
     * A user's name for a segment, checked: one leading '/' is accepted and dropped; otherwise it
     * must be a plain file name (no '/', no NUL, no line break, not "." or "..", at most 255 bytes).
     */
    public static String validate(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        String plain = name.startsWith("/") ? name.substring(1) : name;
        if (plain.isEmpty() || plain.equals(".") || plain.equals("..")) {
            throw new IllegalArgumentException("invalid shared memory name: '" + name + "'");
        }
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == '/' || c == '\0' || c == '\n' || c == '\r') {
                throw new IllegalArgumentException("invalid shared memory name: '" + name
                        + "' (it must not contain '/', NUL or line breaks)");
            }
        }
        if (plain.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("shared memory name longer than " + MAX_BYTES + " bytes: '" + name + "'");
        }
        return plain;
    }

    /** What shm_open and shm_unlink are given. */
    public static String systemName(String name) {
        return "/" + name;
    }
}
