package io.multiprocessing4j.internal.process;

/**
 * How many warm spares a limit on tasks allows ({@link TaskLimits}). A spare is a booted JVM of
 * about twenty threads plus its memory holder (19-20 and 1 on two CPUs, measured with
 * {@code /proc/<pid>/status}); a burst that grew the spares to the old fixed ceiling of 16 took
 * some 320 tasks, and under {@code --pids-limit 250} the last spares died in their boot (EAGAIN,
 * each leaving an hs_err file) and left the application itself a dozen tasks to start threads
 * with. Spares only save time, so they give way, as they do to memory ({@link SpareMemory}):
 * <ul>
 *   <li>the default ceiling is what a quarter of the limit holds at {@link #TASKS_PER_SPARE} a
 *       spare, between 1 and 16 (a limit of 1024 gets 8; 2048 or more, 16);
 *   <li>whatever the ceiling, a spare beyond the floor boots only while the tasks left to this
 *       process tree hold two of them: the one booting, and room for the work it is there to start.
 * </ul>
 */
final class SpareTasks {
    /** What a spare is counted at: its threads and its holder, rounded up for what its target starts first. */
    static final long TASKS_PER_SPARE = 32;

    private SpareTasks() {
    }

    /** The default ceiling of warm spares for this process's task limit, worked out once. */
    static int defaultCeiling() {
        return DefaultCeiling.VALUE;
    }

    /** The ceiling a limit of {@code limitTasks} gives. */
    static int ceilingFor(long limitTasks) {
        return (int) Math.max(1, Math.min(SpareMemory.MOST_BY_DEFAULT, limitTasks / 4 / TASKS_PER_SPARE));
    }

    /**
     * Whether the tasks left to this process tree, read now, have room for another spare beyond the
     * floor while {@code booting} spares are still booting.
     */
    static boolean roomForAnother(int booting) {
        return roomForAnother(TaskLimits.available(), booting);
    }

    static boolean roomForAnother(long availableTasks, int booting) {
        return availableTasks - booting * TASKS_PER_SPARE >= 2 * TASKS_PER_SPARE;
    }

    /** Read at first use, as SpareMemory's. */
    private static final class DefaultCeiling {
        static final int VALUE = ceilingFor(TaskLimits.limit());
    }
}
