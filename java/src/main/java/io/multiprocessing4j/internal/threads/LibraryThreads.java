package io.multiprocessing4j.internal.threads;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.ThreadAffinity;
import io.multiprocessing4j.internal.nativ.ThreadPriorities;

/**
 * Threads the library starts for its own work (an exit watcher, a poller, a spawner, ...). Most of
 * them are made once per JVM, by whichever thread first needs one: in a server, a request's
 * handler. A plain {@code new Thread} would copy that thread's inheritable thread-locals and take
 * its context class loader, and keep both for the life of the JVM: a request's context held for
 * ever, and a web application's class loader pinned after it was undeployed. These threads carry
 * neither: no inherited thread-locals, no context class loader (the system loader is used where a
 * loader is looked up), normal priority. The JDK's own shared threads do the same.
 *
 * <p>Nor do they keep what the kernel copies from the creating thread: its CPU affinity and its
 * nice value. A thread that an affinity library pinned to an isolated CPU would otherwise have the
 * library's threads share that CPU with it for good, and the spawner would pin every child to it;
 * a background thread at nice 19 would leave every join waiting on an exit watcher at nice 19. As
 * its first act each thread takes the process's: those of its first thread, which are what the
 * process was started with ({@code taskset}, a cpuset, {@code nice}). Best effort: a nice value
 * lower than the creator's takes CAP_SYS_NICE or a high enough RLIMIT_NICE. (Its name in
 * {@code /proc/<pid>/task/<tid>/comm} is the creator's, too, until it first runs and names itself.)
 *
 * <p>Their names begin with {@value #NAME_PREFIX} (asserted) and differ within their first 15
 * characters, all that the kernel keeps of a thread's name: {@code top -H}, {@code ps -L} and
 * {@code perf} show each by what it does (a longer prefix left every one of them "multiprocessing").
 * JDK 26 and later give the kernel a longer name's first 7 and last 6 characters around ".."
 * ("mp4j-ex..atcher"), which differ as well.
 */
public final class LibraryThreads {
    /** What every name begins with. */
    public static final String NAME_PREFIX = "mp4j-";

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
        assert name.startsWith(NAME_PREFIX) && name.length() > NAME_PREFIX.length() : name;
        Thread thread = new Thread(null, new WithProcessScheduling(task), name, 0, false);
        thread.setContextClassLoader(null);
        thread.setPriority(Thread.NORM_PRIORITY);
        return thread;
    }

    /** A class, not a lambda: some of these threads start in a child's boot, before any lambda has. */
    private static final class WithProcessScheduling implements Runnable {
        private final Runnable task;

        WithProcessScheduling(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            takeTheProcesssScheduling();
            task.run();
        }
    }

    /** The process's CPU mask and nice value for the calling thread, as far as it may take them. */
    private static void takeTheProcesssScheduling() {
        try {
            ThreadAffinity.takeProcessAffinity();
        } catch (SystemCallException | RuntimeException | LinkageError e) {
            // keeps its creator's mask (no native library, a mask the kernel refuses): as before
        }
        try {
            int processNice = ThreadPriorities.niceOf(ProcessCalls.getpid()); // its first thread's
            if (ThreadPriorities.niceOf(0) != processNice) {
                ThreadPriorities.setNice(0, processNice); // false where a lower value is not allowed
            }
        } catch (SystemCallException | RuntimeException | LinkageError e) {
            // keeps its creator's nice value
        }
    }
}
