package io.multiprocessing4j.connection;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An AF_UNIX address in Linux's abstract namespace (Python writes it as a string starting with
 * {@code '\0'}): a name, not a file, so nothing is left on disk and nothing needs removing. It
 * disappears when the last socket bound to it closes.
 *
 * <p>Any process in the same network namespace can connect to an abstract name: use an authkey
 * (see {@link Listener}) for anything that matters. For a socket file, use the JDK's
 * {@link java.net.UnixDomainSocketAddress}.
 */
public final class AbstractUnixAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;
    /** sun_path holds 108 bytes, the first of which is the NUL that marks an abstract name. */
    public static final int MAX_NAME_BYTES = 107;

    private final byte[] name;

    private AbstractUnixAddress(byte[] name) {
        if (name.length == 0 || name.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("an abstract AF_UNIX name has 1 to " + MAX_NAME_BYTES
                    + " bytes, not " + name.length);
        }
        this.name = name;
    }

    /** The abstract name {@code name} (UTF-8, without the leading NUL). */
    public static AbstractUnixAddress of(String name) {
        return new AbstractUnixAddress(Objects.requireNonNull(name, "name").getBytes(StandardCharsets.UTF_8));
    }

    /** The abstract name made of exactly these bytes. */
    public static AbstractUnixAddress of(byte[] name) {
        return new AbstractUnixAddress(Objects.requireNonNull(name, "name").clone());
    }

    /** A fresh, unguessable name ({@code multiprocessing4j-} and 128 random bits in hex). */
    public static AbstractUnixAddress random() {
        byte[] bits = new byte[16];
        new SecureRandom().nextBytes(bits);
        return of("multiprocessing4j-" + HexFormat.of().formatHex(bits));
    }

    /** The name's bytes (a copy), without the leading NUL. */
    public byte[] name() {
        return name.clone();
    }

    /** The name of {@code address} if it is an abstract address, else null (for the socket calls). */
    static byte[] nameOf(SocketAddress address) {
        return address instanceof AbstractUnixAddress ? ((AbstractUnixAddress) address).name() : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AbstractUnixAddress && Arrays.equals(name, ((AbstractUnixAddress) other).name);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name);
    }

    /** {@code @name}, as {@code ss} and {@code /proc/net/unix} show abstract names. */
    @Override
    public String toString() {
        return "@" + new String(name, StandardCharsets.UTF_8);
    }
}
