package io.multiprocessing4j.internal.process;

/**
 * Why the JVM is shutting down, as far as exit-time cleanup needs to know: because the program
 * ended (main returned, {@code System.exit}), or because a signal told it to stop (SIGTERM from a
 * container's stop, systemd or Kubernetes; SIGINT; SIGHUP).
 *
 * <p>The two call for different cleanups. At a normal end Python joins the non-daemon children,
 * however long they run. A process stopped by a signal must go in bounded time: Python's parent
 * simply dies, and the orchestrator that sent SIGTERM sends SIGKILL after its grace period anyway.
 *
 * <p>How it is told: the JVM runs a signal's shutdown in a thread of its own named after the
 * signal ({@code "SIGTERM handler"}), which stays inside {@code System.exit} while the shutdown
 * hooks run. It is the only trace a hook can see; it has held from JDK 9 to 25. If a later JDK
 * named it otherwise, a signal would be taken for a normal end: the cleanup would then wait as at a
 * normal end, which is safe but unbounded — {@code ShutdownCauseTest} pins the name.
 */
public final class ShutdownCause {
    private ShutdownCause() {
    }

    /** Whether the JVM's shutdown, now under way, was started by a signal. Meaningful only in a shutdown hook. */
    public static boolean isSignal() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("SIG") && name.endsWith(" handler") && thread.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
