package io.multiprocessing4j.internal.process;

/**
 * The fd table every child starts with. Nothing else is open in a new child.
 *
 * <p>Until the child's entry point runs, its fd 2 is a pipe to the parent, so that whatever a
 * JVM that fails to boot prints ("Unrecognized VM option ...") reaches {@code start()} as the
 * reason. The entry point's first act is to move the real stderr (fd 4) back onto fd 2.
 */
public final class ChildFdLayout {
    /** /dev/null, as Python gives its children. */
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    /** The boot pipe until the entry point restores {@link #REAL_STDERR} here. */
    public static final int STDERR = 2;
    /** Socket to the parent: the bootstrap message in, the ready acknowledgement out. */
    public static final int CONTROL = 3;
    public static final int REAL_STDERR = 4;
    /**
     * Fds that travel with the target (connections it captured) start here, in export order. The
     * channel to the parent's resource tracker, if it has one, follows them; the child learns its
     * number from a system property (see {@code ResourceTracker}).
     */
    public static final int FIRST_TRANSFERRED = 5;

    /** First byte of the child's answer: it took its target and is about to run it. */
    public static final byte READY = 'R';
    /** A warm spare's first word: booted, warmed up, waiting for its orders. */
    public static final byte SPARE_READY = 'S';
    /** A warm spare's answer to a {@code SparePreload} frame: the classes are loaded, it waits for its orders. */
    public static final byte PRELOADED = 'P';
    /**
     * A frame a child may send before its first answer: the pid of its memory holder (4 bytes, big
     * endian follow), a child of the parent's for the parent to reap (see {@code MemoryHolders}).
     */
    public static final byte MEMORY_HOLDER = 'H';
    /** First byte of the child's answer: it could not take its target; a length and a message follow. */
    public static final byte FAILED = 'E';

    private ChildFdLayout() {
    }
}
