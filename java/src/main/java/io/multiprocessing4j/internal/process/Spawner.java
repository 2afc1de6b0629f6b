package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.Signals;
import io.multiprocessing4j.internal.nativ.Spawn;
import io.multiprocessing4j.internal.nativ.ThreadPriorities;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Performs every spawn on one thread that lives as long as the JVM.
 *
 * <p>Why a thread of its own: PR_SET_PDEATHSIG fires when the <em>thread</em> that created the
 * child ends, not the process. Spawning from whatever thread called {@code start()} would kill a
 * daemon child as soon as, say, a pool thread that started it retired.
 *
 * <p>A child would start with the nice value of the thread that clones it, this one; it sets the
 * one its request asks for (the caller's, or a warm spare's nicer one) itself, before it runs
 * the program, and this thread stays at the process's. This thread taking each request's value
 * instead left it at the nicest ever asked for wherever it could not lower its value again (no
 * CAP_SYS_NICE): after one start() from a thread at nice 5, every child ran at nice 5.
 */
final class Spawner {
    private static final LinkedBlockingQueue<Request> QUEUE = new LinkedBlockingQueue<>();
    private static volatile boolean started;

    private Spawner() {
    }

    private static final class Request {
        final String path;
        final List<String> argv;
        final int[] fdSources;
        final int pdeathsig;
        /** The child's nice value, or {@link Spawn#SPAWNERS_NICE} where the caller's cannot be read. */
        final int nice;
        final CompletableFuture<Spawn.Started> result = new CompletableFuture<>();

        Request(String path, List<String> argv, int[] fdSources, int pdeathsig, int nice) {
            this.path = path;
            this.argv = argv;
            this.fdSources = fdSources;
            this.pdeathsig = pdeathsig;
            this.nice = nice;
        }
    }

    /**
     * Spawns on the spawner thread and waits for the outcome. The wait ignores interrupts (and
     * restores the flag): the spawn is quick, and giving up on it would leave a child nobody owns.
     */
    static Spawn.Started spawn(String path, List<String> argv, int[] fdSources, int pdeathsig, int niceIncrement)
            throws SystemCallException {
        ensureStarted();
        // Every program spawned here is a java launcher: a class path too long for execve goes to
        // an argument file instead.
        Request request = new Request(path, ArgumentFiles.fit(argv), fdSources, pdeathsig, childNice(niceIncrement));
        QUEUE.add(request);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return request.result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof SystemCallException) {
                        throw (SystemCallException) cause;
                    }
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    throw (Error) cause;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The caller's nice value plus {@code increment} (at most 19). */
    private static int childNice(int increment) {
        try {
            return Math.min(19, ThreadPriorities.niceOf(0) + increment);
        } catch (SystemCallException e) {
            return Spawn.SPAWNERS_NICE;
        }
    }

    /** This thread's nice value, or {@link Spawn#SPAWNERS_NICE} if it cannot be read. */
    private static int ownNice() {
        try {
            return ThreadPriorities.niceOf(0);
        } catch (SystemCallException e) {
            return Spawn.SPAWNERS_NICE;
        }
    }

    private static void ensureStarted() {
        if (!started) {
            synchronized (Spawner.class) {
                if (!started) {
                    keepChildStatuses();
                    LibraryThreads.daemon("mp4j-spawner", Spawner::serve).start();
                    started = true;
                }
            }
        }
    }

    /**
     * Before the first child: a JVM started by a program that ignored SIGCHLD (a daemon's wrapper,
     * a supervisor that never waits) inherits that, and the kernel then reaps every child at once
     * and keeps no exit status: each exitCode() was lost ({@link ChildHandle#EXIT_CODE_UNKNOWN}).
     * SIGCHLD goes back to its default, which ignores it as well but keeps the statuses. The
     * library's children never inherit it: they start with every disposition at its default.
     */
    private static void keepChildStatuses() {
        try {
            if (Signals.keepChildStatuses()) {
                System.getLogger(Spawner.class.getName()).log(System.Logger.Level.DEBUG,
                        "SIGCHLD was ignored (inherited from what started this JVM), which discards children's"
                                + " exit statuses: set back to its default");
            }
        } catch (SystemCallException e) {
            System.getLogger(Spawner.class.getName()).log(System.Logger.Level.DEBUG,
                    "cannot read or set SIGCHLD's disposition", e);
        }
    }

    private static void serve() {
        // Never changed after the thread's first act (LibraryThreads): a child asked for this
        // value already has it, and is spared the system call.
        int own = ownNice();
        while (true) {
            Request request;
            try {
                request = QUEUE.take();
            } catch (InterruptedException e) {
                continue; // nobody may end this thread: children's PDEATHSIG hangs on it
            }
            // The orphan reaper must know the pid as ours before it could see it as a zombie.
            OrphanReaper.spawnBegins();
            int pid = -1;
            try {
                Spawn.Started started = Spawn.spawn(request.path, request.argv, ChildEnvironment.UNSET,
                        request.fdSources, request.pdeathsig, request.nice == own ? Spawn.SPAWNERS_NICE : request.nice);
                pid = started.pid;
                request.result.complete(started);
            } catch (Throwable t) {
                request.result.completeExceptionally(t);
            } finally {
                OrphanReaper.spawnEnds(pid);
            }
        }
    }
}
