package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.Reaping;
import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reaps processes this JVM did not start but that became its children: orphans re-parented to
 * us because the JVM is PID 1 of a PID namespace (a container whose entry point is {@code java}),
 * or because it was made a child subreaper. Without it they stay zombies for ever.
 *
 * <p>The hard part is what it must never reap, because reaping is collecting an exit status and
 * a status can be collected once:
 * <ul>
 * <li>Our own children. Every pid we spawn is in {@link #OURS} from the moment the spawn returns
 *     until its {@link ChildHandle} has collected its status, and a reap is never decided while
 *     a spawn is in flight ({@link #spawnBegins}/{@link #spawnEnds}), so a child that ended
 *     before it was registered is not mistaken for an orphan.</li>
 * <li>Children of the JDK's {@code ProcessBuilder}. The JDK waits for each with
 *     {@code waitpid(pid)} on a reaper thread started right after the fork, and reports exit
 *     code 0 if somebody else reaped it. It has no API that names them, so they are told apart by
 *     time: while the JDK waits on its child, that child never stays a zombie (the JDK collects it
 *     at once); only a zombie that nobody collected over {@link #GRACE_NANOS} and at least
 *     {@link #SIGHTINGS} of our rounds (so a pause of the whole JVM counts once) is taken for an
 *     orphan. The JDK's reaper thread would have to be stalled for longer than that, alone, between
 *     its fork and its waitpid.</li>
 * </ul>
 * The reap itself goes through a pidfd opened on the zombie and checked against its start time,
 * so a pid recycled between our look and our reap is never touched. Nothing here ever calls
 * {@code waitpid(-1)} or {@code waitid(P_ALL)} without {@code WNOWAIT}.
 *
 * <p>The work is one daemon thread that, every {@link #PERIOD_MILLIS} ms, asks the kernel with
 * {@code waitid(P_ALL, WNOHANG|WNOWAIT)} whether any child has ended (one syscall, and nothing
 * more when none has), and only then reads {@code /proc} for our zombie children.
 *
 * <p>When: automatically at PID 1; on request ({@link #becomeSubreaper}, or the system property
 * {@value #PROPERTY}{@code =true}); never with {@value #PROPERTY}{@code =false}.
 */
public final class OrphanReaper {
    /** {@code auto} (the default: reap when this JVM is PID 1), {@code true} (become a child subreaper and reap), {@code false}. */
    public static final String PROPERTY = "multiprocessing4j.reapOrphans";

    static final long PERIOD_MILLIS = 100;
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int SIGHTINGS = 3;

    private static final System.Logger LOG = System.getLogger(OrphanReaper.class.getName());

    /** Pids we spawned whose status our ChildHandle has not collected yet. */
    private static final Set<Integer> OURS = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger SPAWNS_IN_FLIGHT = new AtomicInteger();

    private static volatile boolean decided;
    private static volatile boolean running;

    /** A zombie child we have seen: identity (pid and start time) and when and how often. */
    private static final class Sighting {
        final long firstSeen;
        int count;

        Sighting(long firstSeen) {
            this.firstSeen = firstSeen;
        }
    }

    private final int self;
    private final Map<String, Sighting> sightings = new HashMap<>();

    private OrphanReaper(int self) {
        this.self = self;
    }

    /** Called before a spawn of ours; pair with {@link #spawnEnds}. */
    static void spawnBegins() {
        SPAWNS_IN_FLIGHT.incrementAndGet();
    }

    /** Called after a spawn of ours, with its pid once registered (or -1 if it failed). */
    static void spawnEnds(int pid) {
        if (pid > 0) {
            OURS.add(pid);
        }
        SPAWNS_IN_FLIGHT.decrementAndGet();
    }

    /** Marks {@code pid} as ours until {@link #released}. */
    static void adopted(int pid) {
        OURS.add(pid);
    }

    /** Whether {@code pid} is a child of ours whose status has not been collected yet. */
    static boolean isOurs(int pid) {
        return OURS.contains(pid);
    }

    /** Our status of {@code pid} has been collected: it is no longer a zombie of ours. */
    static void released(int pid) {
        OURS.remove(pid);
    }

    /**
     * Starts reaping if this JVM should: at PID 1 unless the property says {@code false}, or
     * anywhere if it says {@code true} (then as a child subreaper). Cheap after the first call.
     */
    public static void startIfWanted() {
        if (decided) {
            return;
        }
        synchronized (OrphanReaper.class) {
            if (decided) {
                return;
            }
            decided = true;
            String setting = System.getProperty(PROPERTY, "auto").trim();
            if ("false".equalsIgnoreCase(setting)) {
                return;
            }
            if ("true".equalsIgnoreCase(setting)) {
                becomeSubreaper();
            } else if (ProcessHandle.current().pid() == 1) {
                start();
            }
        }
    }

    /**
     * Makes this process a child subreaper (PR_SET_CHILD_SUBREAPER), so that orphaned descendants
     * are re-parented to it rather than to init, and starts reaping them. Idempotent.
     */
    public static synchronized void becomeSubreaper() {
        decided = true;
        try {
            Reaping.setChildSubreaper(true);
        } catch (SystemCallException e) {
            throw new IllegalStateException(e);
        }
        start();
    }

    /** Whether the reaper thread runs in this JVM. */
    public static boolean isRunning() {
        return running;
    }

    private static synchronized void start() {
        if (running) {
            return;
        }
        OrphanReaper reaper = new OrphanReaper((int) ProcessHandle.current().pid());
        LibraryThreads.daemon("mp4j-orphan-reaper", reaper::loop).start();
        running = true;
    }

    private void loop() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                continue; // nobody may stop it: orphans keep coming as long as we live
            }
            try {
                round();
            } catch (SystemCallException | RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "orphan reaping round failed", e);
            }
        }
    }

    private void round() throws SystemCallException {
        int ended = Reaping.peekExitedChild();
        if (ended <= 0) {
            sightings.clear(); // no zombie child at all (or no child)
            return;
        }
        long now = System.nanoTime();
        Set<String> seenNow = new HashSet<>();
        for (Zombie zombie : zombieChildren()) {
            if (OURS.contains(zombie.pid)) {
                continue;
            }
            seenNow.add(zombie.key);
            Sighting sighting = sightings.computeIfAbsent(zombie.key, k -> new Sighting(now));
            sighting.count++;
            if (sighting.count >= SIGHTINGS && now - sighting.firstSeen >= GRACE_NANOS) {
                reap(zombie);
            }
        }
        for (Iterator<String> keys = sightings.keySet().iterator(); keys.hasNext(); ) {
            if (!seenNow.contains(keys.next())) {
                keys.remove();
            }
        }
    }

    private void reap(Zombie zombie) throws SystemCallException {
        int pidfd = ProcessCalls.pidfdOpen(zombie.pid);
        if (pidfd == ProcessCalls.GONE) {
            return; // gone already (reaped by its owner)
        }
        try {
            Zombie again = readStat(zombie.pid);
            // The pidfd names the process that held the pid when it was opened: if that is still
            // the zombie we timed, it is the one we reap, whatever happens to the pid later.
            if (again == null || !again.key.equals(zombie.key) || !again.isZombie || again.parent != self) {
                return;
            }
            if (SPAWNS_IN_FLIGHT.get() != 0 || OURS.contains(zombie.pid)) {
                return;
            }
            int[] status = new int[2];
            try {
                if (ProcessCalls.waitidPidfd(pidfd, true, status) == ProcessCalls.EXITED) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "reaped orphan " + zombie.pid + " (exit code "
                            + ChildHandle.exitCode(status[0], status[1]) + ")");
                }
            } catch (SystemCallException e) {
                LOG.log(System.Logger.Level.WARNING, "waitid(P_PIDFD) on orphan " + zombie.pid + " failed: "
                        + e.getMessage());
            }
        } finally {
            FileDescriptors.closeQuietly(pidfd);
        }
    }

    /** One line of /proc/PID/stat, as far as we need it. */
    private static final class Zombie {
        final int pid;
        final int parent;
        final boolean isZombie;
        final String key;

        Zombie(int pid, int parent, boolean isZombie, String startTime) {
            this.pid = pid;
            this.parent = parent;
            this.isZombie = isZombie;
            this.key = pid + "@" + startTime;
        }
    }

    private Iterable<Zombie> zombieChildren() {
        List<Zombie> zombies = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                int pid;
                try {
                    pid = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                Zombie stat = readStat(pid);
                if (stat != null && stat.isZombie && stat.parent == self) {
                    zombies.add(stat);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list /proc", e);
        }
        return zombies;
    }

    /** Parses /proc/PID/stat: the state and ppid follow the last ')', the start time is field 22. */
    private static Zombie readStat(int pid) {
        String line;
        try {
            line = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat")),
                    StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.length < 20) {
            return null;
        }
        try {
            return new Zombie(pid, Integer.parseInt(fields[1]), "Z".equals(fields[0]), fields[19]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
