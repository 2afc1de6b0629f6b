package io.multiprocessing4j.internal.process;

/**
 * How many warm spares the memory allows. A spare is an idle JVM of about 54 MiB RSS (README,
 * "start methods"); a burst with the old fixed ceiling of 16 could take 860 MiB, enough for the
 * OOM killer to end a container of 1 GiB, most likely in its largest process: the JVM that booted
 * them. Spares only save time, so they give way to memory:
 * <ul>
 *   <li>the default ceiling is what a quarter of the memory limit holds at {@link #BYTES_PER_SPARE}
 *       a spare, between 1 and 16 (a container of 512 MiB gets 2; a machine of 4 GiB or more, 16);
 *   <li>whatever the ceiling, a spare beyond the floor boots only while the memory left to this
 *       process tree holds two of them, so that the one booting leaves room for the work that
 *       the spares are there to start.
 * </ul>
 */
final class SpareMemory {
    /** What a spare is counted at: its RSS, rounded up to leave room for what its target does first. */
    static final long BYTES_PER_SPARE = 64L << 20;
    /** The most spares kept by default, whatever the memory. */
    static final int MOST_BY_DEFAULT = 16;

    private SpareMemory() {
    }

    /** The default ceiling of warm spares for this process's memory limit, worked out once. */
    static int defaultCeiling() {
        return DefaultCeiling.VALUE;
    }

    /** The ceiling a memory limit of {@code limitBytes} gives. */
    static int ceilingFor(long limitBytes) {
        return (int) Math.max(1, Math.min(MOST_BY_DEFAULT, limitBytes / 4 / BYTES_PER_SPARE));
    }

    /**
     * Whether the memory left to this process tree, read now, has room for another spare beyond the
     * floor while {@code booting} spares are still booting (counted whole: their memory is not yet
     * all in use).
     */
    static boolean roomForAnother(int booting) {
        return roomForAnother(MemoryLimits.available(), booting);
    }

    static boolean roomForAnother(long availableBytes, int booting) {
        return availableBytes - (long) booting * BYTES_PER_SPARE >= 2 * BYTES_PER_SPARE;
    }

    /** Read at first use: a child that never asks (most never start spares) never reads /proc for it. */
    private static final class DefaultCeiling {
        static final int VALUE = ceilingFor(MemoryLimits.limit());
    }
}
