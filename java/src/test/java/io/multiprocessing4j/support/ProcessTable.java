package io.multiprocessing4j.support;

import io.multiprocessing4j.internal.nativ.FileDescriptors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What /proc says about processes and fds, read directly. */
public final class ProcessTable {
    private static final int FD_CLOEXEC = 1;

    static {
        // The JDK's NIO file channels keep one socket open for good from their first use (the
        // dispatcher's pre-close fd). Used here first, so that it is never counted as opened by the
        // work a test measures, whichever helper below reads a file first.
        try {
            Files.readString(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessTable() {
    }

    /** The state letter of a process (R, S, Z, ...), or 0 if there is no such process. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // "pid (comm) S ...": comm may contain spaces and parentheses, so look after the last ')'.
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 0;
        }
    }

    /** True while the process exists and is not a zombie. */
    public static boolean isRunning(long pid) {
        char state = state(pid);
        return state != 0 && state != 'Z' && state != 'X';
    }

    /** Waits until the process is gone (or a zombie), at most {@code timeout}; true if it went. */
    public static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** The parent pid of a process, or -1. */
    public static long parentPid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Zombie children of {@code parent} that stay unreaped for {@link #REAP_GRACE}: a child that
     * has just ended (a warm spare retiring, another test's child) is a zombie for the few
     * milliseconds before its exit watcher reaps it, which is not a leak; one that lasts is.
     */
    public static List<Long> lastingZombieChildren(long parent) throws InterruptedException {
        long deadline = System.nanoTime() + REAP_GRACE.toNanos();
        List<Long> zombies = zombieChildren(parent);
        while (!zombies.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            zombies = zombieChildren(parent);
        }
        return zombies;
    }

    /** How long a child's exit may take to be reaped before its zombie counts as left behind. */
    public static final Duration REAP_GRACE = Duration.ofSeconds(2);

    /** Zombie children of {@code parent}: processes that ended and were never reaped. */
    public static List<Long> zombieChildren(long parent) {
        List<Long> zombies = new ArrayList<>();
        for (long pid : childrenOf(parent)) {
            if (state(pid) == 'Z') {
                zombies.add(pid);
            }
        }
        return zombies;
    }

    /** The children of {@code parent} now, whatever their state. */
    public static List<Long> childrenOf(long parent) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            List<Long> children = new ArrayList<>();
            entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> parentPid(pid) == parent)
                    .forEach(children::add);
            return children;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nice value of process or thread {@code pid} (a path under /proc: "123" or "self/task/45"). */
    public static int nice(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    /**
     * What this process has open, sorted, without fd numbers or socket/pipe inode numbers: a
     * warm spare replaced by another holds the same kind of fd under another number and inode,
     * which is not a leak. (The listing's own directory fd is left out too, and the cgroup files the
     * JVM reads for its container support.)
     */
    public static List<String> openFdKinds() {
        List<String> kinds = new ArrayList<>();
        for (String fd : openFds()) {
            String target = fd.substring(fd.indexOf(" -> ") + 4).replaceAll("(socket|pipe):\\[\\d+\\]", "$1");
            // The JVM itself reads cgroup files now and then (container support: memory limits and
            // use), so one may be open for a moment whatever the work under test did.
            if (!target.matches("/proc/\\d+/fd") && !target.startsWith("/sys/fs/cgroup/")) {
                kinds.add(target);
            }
        }
        kinds.sort(null);
        return kinds;
    }

    /**
     * The kinds of fd (as {@link #openFdKinds()} gives them) open now beyond those in {@code before},
     * counted: what a piece of work left open. One that was open before and has been closed since,
     * by the library's own housekeeping say, is not a leak and does not show.
     */
    public static List<String> fdKindsOpenedSince(List<String> before) {
        awaitHoldersOfEndedChildren(HOLDER_BOUND);
        List<String> added = new ArrayList<>(openFdKinds());
        for (String kind : before) {
            added.remove(kind);
        }
        return added;
    }

    /** How long an ended child's memory holder may take to free the child's memory and be reaped. */
    private static final Duration HOLDER_BOUND = Duration.ofSeconds(10);

    /**
     * Waits, at most {@code bound}, until no memory holder of this JVM's outlives its child: a
     * child's holder frees the child's memory after the child's end, and this JVM keeps a pidfd on
     * it until it is reaped, a few milliseconds later (see MemoryHolders). True if none is left.
     */
    public static boolean awaitHoldersOfEndedChildren(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        // Twice in a row, 5 ms apart: the exit watcher closes a holder's pidfd a moment after
        // reaping it, so "no holder" alone may be seen in between.
        int quietLooks = 0;
        while (quietLooks < 2) {
            quietLooks = holdersOfEndedChildren() == 0 ? quietLooks + 1 : 0;
            if (quietLooks == 2) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Whether {@code pid} is a child's memory holder (by the name it gives itself). */
    public static boolean isMemoryHolder(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals(MEMORY_HOLDER_NAME);
        } catch (IOException gone) {
            return false;
        }
    }

    private static final String MEMORY_HOLDER_NAME = "mp4j-holder";

    /**
     * Whether {@code pid} is a resource tracker (a child of every JVM that has started a child or
     * made a segment), by its command line.
     */
    public static boolean isResourceTracker(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains("ResourceTrackerMain");
        } catch (IOException gone) {
            return false;
        }
    }

    private static int holdersOfEndedChildren() {
        int count = 0;
        for (long pid : childrenOf(ProcessHandle.current().pid())) {
            try {
                if (isMemoryHolder(pid) && !watchesALiveProcess(pid)) {
                    count++;
                }
            } catch (IOException gone) {
                // ended meanwhile
            }
        }
        return count;
    }

    /** Whether a holder's pidfd refers to a process that still runs. */
    private static boolean watchesALiveProcess(long holder) throws IOException {
        return pidsWatchedBy(holder).stream().anyMatch(ProcessTable::isRunning);
    }

    /** The pids that the pidfds of process {@code pid} refer to (the "Pid:" line of each fd's fdinfo). */
    public static List<Long> pidsWatchedBy(long pid) throws IOException {
        List<Long> watched = new ArrayList<>();
        try (Stream<Path> infos = Files.list(Path.of("/proc/" + pid + "/fdinfo"))) {
            for (Path info : (Iterable<Path>) infos::iterator) {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("Pid:")) {
                        watched.add(Long.parseLong(line.substring(4).strip()));
                    }
                }
            }
        }
        return watched;
    }

    /** The fds open in this process, each as "fd -> target". */
    public static List<String> openFds() {
        List<String> fds = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            entries.forEach(path -> {
                try {
                    fds.add(path.getFileName() + " -> " + Files.readSymbolicLink(path));
                } catch (IOException vanished) {
                    // the fd used to list the directory itself, closed by now
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    /** Whether {@code fd} is open in this process with FD_CLOEXEC set (false when it is not open). */
    public static boolean isCloseOnExec(int fd) {
        try {
            int flags = FileDescriptors.flags(fd); // NOT_OPEN (-1) when fd is not open
            return flags >= 0 && (flags & FD_CLOEXEC) != 0;
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
