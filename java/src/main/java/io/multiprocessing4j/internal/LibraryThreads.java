package io.multiprocessing4j.internal;

/**
 * Threads the library starts for its own work (an exit watcher, a poller, a spawner, ...). Most of
 * them are made once per JVM, by whichever thread first needs one: in a server, a request's
 * handler. A plain {@code new Thread} would copy that thread's inheritable thread-locals and take
 * its context class loader, and keep both for the life of the JVM: a request's context held for
 * ever, and a web application's class loader pinned after it was undeployed. These threads carry
 * neither: no inherited thread-locals, no context class loader (the system loader is used where a
 * loader is looked up), normal priority. The JDK's own shared threads do the same.
 *
 * <p>What the kernel copies from the creating thread is not undone here: its nice value and CPU
 * affinity, and, until the new thread first runs and names itself, its name in
 * {@code /proc/<pid>/task/<tid>/comm}.
 */
public final class LibraryThreads {
    private LibraryThreads() {
    }

    /** A daemon thread named {@code name} that runs {@code task}, not yet started. */
    public static Thread daemon(String name, Runnable task) {
        Thread thread = unstarted(name, task);
        thread.setDaemon(true);
        return thread;
    }

    /** A thread for {@link Runtime#addShutdownHook}: built by the caller's thread, run at exit. */
    public static Thread shutdownHook(String name, Runnable task) {
        return unstarted(name, task);
    }

    private static Thread unstarted(String name, Runnable task) {
        Thread thread = new Thread(null, task, name, 0, false);
        thread.setContextClassLoader(null);
        thread.setPriority(Thread.NORM_PRIORITY);
        return thread;
    }
}
