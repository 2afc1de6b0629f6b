package io.multiprocessing4j.internal.process;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A warm spare loads the classes of recent targets before its orders come: a target's own class
 * (a user's class, from the class path) is the one thing its rehearsal cannot have loaded, and
 * loading, verifying and reflecting on it took about a millisecond of every warm start.
 *
 * <p>The parent remembers the classes its last targets needed ({@link #note}) and sends
 * them to each spare it boots, once the spare has said it is ready, in a frame of their own on
 * the control socket: a length with the top bit set, then the names, one per line. The spare loads
 * each without initializing it (no static initializer of a user's runs before its target does),
 * links it and reads its declared methods (what rebuilding a target looks up), answers
 * {@link ChildFdLayout#PRELOADED} and waits for its orders. A name that does not load is
 * skipped.
 */
final class SparePreload {
    private static final int FRAME_FLAG = 0x80000000;
    /** At most this many bytes of names: a frame is read whole, by a spare that has time to spare. */
    private static final int MAX_BODY = 64 * 1024;

    /**
     * The classes the children of this JVM need, JVM-wide: the targets of its latest starts
     * (whatever the start method and context) and the functions its warm pools were given.
     * Spares load them ahead; a class-data archive built from now on takes them in.
     */
    private static final RecentClasses IN_USE = new RecentClasses();

    private SparePreload() {
    }

    /** Notes classes children need (a target's, a pool function's), most recent last. */
    static void note(List<String> classNames) {
        if (!classNames.isEmpty()) {
            IN_USE.add(classNames);
        }
    }

    /** The classes noted lately, at most {@link RecentClasses#CAPACITY}, most recent last. */
    static List<String> inUse() {
        return IN_USE.snapshot();
    }

    /** The frame naming {@code classNames}, length prefix included (names that do not fit are left out). */
    static byte[] frame(List<String> classNames) {
        StringBuilder names = new StringBuilder();
        for (String name : classNames) {
            if (names.length() + name.length() + 1 > MAX_BODY / 4) {
                break; // UTF-8 takes at most 4 bytes a char
            }
            names.append(name).append('\n');
        }
        byte[] body = names.toString().getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[4 + body.length];
        int length = FRAME_FLAG | body.length;
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        System.arraycopy(body, 0, frame, 4, body.length);
        return frame;
    }

    /** Whether a length prefix read where orders are expected announces a preload frame. */
    static boolean isFrameLength(int length) {
        return (length & FRAME_FLAG) != 0 && bodyLength(length) <= MAX_BODY;
    }

    static int bodyLength(int length) {
        return length & ~FRAME_FLAG;
    }

    /** In a spare: loads, links and reflects on each class {@code body} names; what fails is skipped. */
    static void load(byte[] body, ClassLoader loader) {
        for (String name : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (name.isEmpty()) {
                continue;
            }
            try {
                Class.forName(name, false, loader).getDeclaredMethods();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException skipped) {
                // gone from the class path, or not loadable here: the target's start will say so
            }
        }
    }

    /** The classes recent targets needed, most recent last, at most {@link #CAPACITY}. Thread-safe. */
    static final class RecentClasses {
        static final int CAPACITY = 64;

        private final LinkedHashSet<String> names = new LinkedHashSet<>();

        synchronized void add(List<String> classNames) {
            for (String name : classNames) {
                names.remove(name); // moved to the most recent end
                names.add(name);
            }
            Iterator<String> oldestFirst = names.iterator();
            while (names.size() > CAPACITY && oldestFirst.hasNext()) {
                oldestFirst.next();
                oldestFirst.remove();
            }
        }

        synchronized List<String> snapshot() {
            return new ArrayList<>(names);
        }
    }
}
