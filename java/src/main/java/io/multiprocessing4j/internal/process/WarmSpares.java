package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.threads.LibraryThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spare JVMs of one context under the warm start method: {@link #launch} hands a ready spare
 * its orders (a socket write and an answer: no JVM boot on the caller's clock), then has its
 * replacement booted in the background a moment later, at a lower priority (see
 * {@link SparePriority}).
 *
 * <p>The count adapts to demand between the context's floor ({@code warmSpares}) and ceiling
 * ({@code maxWarmSpares}): a start that finds no spare ready doubles the count aimed at; a spare
 * beyond the floor left unused for {@code spareIdleTimeout} exits, and the aim drops by one. A
 * spare beyond the floor boots only while the memory and the task limit have room for it
 * ({@link SpareMemory}, {@link SpareTasks}). Ready
 * spares are taken newest first, so that under a steady trickle of starts the oldest ones idle
 * out. With no spare ready, {@link #launch} returns null and the caller spawns a JVM itself (no
 * slower than {@code spawn}); spares never outlive their parent (a booting one dies of its
 * parent-death signal, a booted one exits at the EOF of its control socket: see
 * ChildLauncher.bootSpare). {@link #release} sends the spares away and aims at none until the
 * context is used again.
 */
public final class WarmSpares {
    private static final Map<LaunchSettings, WarmSpares> BY_CONTEXT = new ConcurrentHashMap<>();
    /**
     * At the caller's priority: a spare boots nicer because the spawner gives it a lower nice
     * value (see SparePriority), and no thread of this JVM is lowered for it, so none that a
     * booting thread happens to start first (a cleaner, the spawner) inherits a lower one.
     */
    private static final ExecutorService BOOTERS = Executors.newCachedThreadPool(
            task -> LibraryThreads.daemon("mp4j-warm-boot", task));
    /** Retires idle spares, and boots replacements a moment after their handoff. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            task -> LibraryThreads.daemon("mp4j-warm-timer", task));
    private static final int HANDOFF_ATTEMPTS = 3;
    /**
     * How long after a handoff its spare's replacement starts to boot (see {@link #replenishSoon}).
     * A warm Pool(2)'s start, first task, shutdown and join: 8.5 -> 5.6 ms median with 30 ms.
     */
    private static final long REPLACEMENT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    /** JVM boots at once in the background: more only share the same cores and memory bandwidth. */
    private static final int MAX_PARALLEL_BOOTS = Math.max(1, Math.min(4, CpuCount.get()));
    private static final System.Logger LOG = System.getLogger(WarmSpares.class.getName());

    private final LaunchSettings context;
    /** Ready spares, newest first. */
    private final ConcurrentLinkedDeque<Spare> ready = new ConcurrentLinkedDeque<>();
    private final AtomicInteger booting = new AtomicInteger();
    /**
     * Held while replenish counts the spares ready and booting and decides on one more, and while
     * a booted spare moves from booting to ready: without it, a count taken just before another
     * thread's boot began (the memory check between them widens the gap) boots one too many.
     * Taking a spare needs no lock: it only lowers the count, and its replacement follows. A
     * ReentrantLock, not a monitor: a virtual thread's start may hold it while /proc is read, and
     * before JDK 24 a monitor would pin its carrier meanwhile.
     */
    private final ReentrantLock counting = new ReentrantLock();
    /** How many spares (ready or booting) the demand calls for, between the floor and the ceiling. */
    private final AtomicInteger aim;
    private final AtomicLong handOffs = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    /**
     * Counts releases (guarded by {@link #counting}): a boot begun before the last release ends
     * with its spare sent away, not made ready.
     */
    private int generation;
    /** Set when a background boot failed: no more background boots until a start succeeds. */
    private volatile boolean failing;
    /** Why the last background boot failed, for diagnostics; null if none has. */
    private volatile RuntimeException lastBootFailure;
    /**
     * Set when the last replenish left spares beyond the floor unbooted for want of memory or of
     * tasks (see {@link SpareMemory}, {@link SpareTasks}); the next start, miss or expectation looks again.
     */
    private volatile boolean heldBack;

    private WarmSpares(LaunchSettings context) {
        this.context = context;
        this.aim = new AtomicInteger(context.warmSpares());
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), context.spareIdleTimeout().toNanos() / 4);
        TIMER.scheduleWithFixedDelay(this::retireIdle, period, period, TimeUnit.NANOSECONDS);
    }

    public static WarmSpares of(LaunchSettings context) {
        return BY_CONTEXT.computeIfAbsent(context, WarmSpares::new);
    }

    /**
     * Starts the process {@code message} describes on a ready spare, passing it {@code fds} (the
     * caller keeps its own); null if no spare is ready (the count aimed at grows).
     */
    ChildHandle launch(BootstrapMessage message, int[] fds) {
        try {
            for (int attempt = 1; ; attempt++) {
                Spare spare = takeReady();
                if (spare == null) {
                    misses.incrementAndGet();
                    failing = false; // the caller's spawn says whether JVMs boot; spares may try again
                    grow();
                    LOG.log(System.Logger.Level.DEBUG, () -> "warm start of " + message.name
                            + " spawns a JVM: no spare was ready (aiming at " + aim.get() + " spares)");
                    fill(); // demand outran the spares: no time to lose
                    return null;
                }
                try {
                    ChildHandle child = spare.handOff(message, fds);
                    handOffs.incrementAndGet();
                    failing = false;
                    return child;
                } catch (BootHandshake.SpareLost lost) {
                    if (attempt >= HANDOFF_ATTEMPTS) {
                        // Spares killed from outside (kill -9 of every java, the OOM killer) are
                        // no reason to fail a start: a spawned JVM says whether JVMs still boot.
                        LOG.log(System.Logger.Level.DEBUG, () -> "warm start of " + message.name + " spawns a JVM: "
                                + HANDOFF_ATTEMPTS + " spares in a row ended before taking it (" + lost.getMessage()
                                + ")");
                        return null;
                    }
                }
            }
        } finally {
            replenishSoon();
        }
    }

    /**
     * Boots the replacements of spares just taken a moment from now rather than at once: what
     * follows a start is usually on somebody's clock (the child's first steps, a pool's first
     * task and its end), and a JVM boot takes both cores of a small machine for a while, nicer or
     * not. A moment is nothing beside a boot.
     */
    private void replenishSoon() {
        TIMER.schedule(this::fill, REPLACEMENT_DELAY_NANOS, TimeUnit.NANOSECONDS);
    }

    private Spare takeReady() {
        Spare spare;
        while ((spare = ready.pollFirst()) != null) {
            if (spare.isAlive()) {
                return spare;
            }
            spare.retire();
        }
        return null;
    }

    /** Demand outran the spares: aim at twice as many (at least the floor), up to the ceiling. */
    private void grow() {
        aim.updateAndGet(current -> Math.min(context.maxWarmSpares(),
                Math.max(context.warmSpares(), Math.max(current + 1, current * 2))));
    }

    /**
     * Asks for at least {@code count} spares (within the ceiling) ahead of starts known to come,
     * such as a pool's workers; boots the missing ones in the background.
     */
    public void expect(int count) {
        int wanted = Math.min(context.maxWarmSpares(), Math.max(context.warmSpares(), count));
        aim.updateAndGet(current -> Math.max(current, wanted));
        fill();
    }

    /**
     * Boots spares in the background until the floor, or the count aimed at if higher, is ready
     * or booting (also after a {@link #release}); those beyond the floor only while the memory and
     * the task limit have room for them.
     */
    public void replenish() {
        aim.updateAndGet(current -> Math.max(current, context.warmSpares()));
        fill();
    }

    /**
     * Sends the ready spares away (each exits at the end of its control socket, as at its
     * parent's end), has those still booting sent away as their boot ends, and aims at none until
     * the next start, {@link #expect} or {@link #replenish}: for a context no longer in use,
     * whose spares at the floor would otherwise wait for starts until this JVM exits.
     */
    public void release() {
        List<Spare> leaving = new ArrayList<>();
        counting.lock();
        try {
            generation++;
            aim.set(0);
            Spare spare;
            while ((spare = ready.pollFirst()) != null) {
                leaving.add(spare);
            }
        } finally {
            counting.unlock();
        }
        leaving.forEach(Spare::retire);
        LOG.log(System.Logger.Level.DEBUG, () -> "released " + leaving.size() + " warm spares");
    }

    /** Boots spares in the background until the count aimed at is ready or booting (see {@link #replenish}). */
    private void fill() {
        heldBack = false;
        while (!failing) {
            int bootGeneration;
            counting.lock();
            try {
                int inFlight = booting.get();
                int spares = ready.size() + inFlight;
                if (spares >= aim.get() || inFlight >= MAX_PARALLEL_BOOTS) {
                    return;
                }
                if (spares >= context.warmSpares() && !SpareMemory.roomForAnother(inFlight)) {
                    heldBack = true;
                    LOG.log(System.Logger.Level.DEBUG, () -> "not booting warm spare " + (spares + 1) + " of the "
                            + aim.get() + " aimed at: the memory left (" + (MemoryLimits.available() >> 20)
                            + " MiB) has no room for it");
                    return;
                }
                if (spares >= context.warmSpares() && !SpareTasks.roomForAnother(inFlight)) {
                    heldBack = true;
                    LOG.log(System.Logger.Level.DEBUG, () -> "not booting warm spare " + (spares + 1) + " of the "
                            + aim.get() + " aimed at: the tasks left under the pids limit (" + TaskLimits.available()
                            + ") have no room for it");
                    return;
                }
                booting.incrementAndGet();
                bootGeneration = generation;
            } finally {
                counting.unlock();
            }
            int ofGeneration = bootGeneration;
            BOOTERS.execute(() -> bootOne(ofGeneration));
        }
    }

    /**
     * Notes classes that children will need after their start (a pool's function, sent to its
     * workers with their tasks): spares booted from now on load them ahead, as they load recent
     * targets' classes (see SparePreload). Names a spare cannot load are skipped there.
     */
    public static void noteClassesInUse(List<String> classNames) {
        SparePreload.note(classNames);
    }

    private void bootOne(int ofGeneration) {
        Spare booted = null;
        Spare released = null;
        try {
            booted = ChildLauncher.bootSpare(context, SparePreload::inUse);
        } catch (RuntimeException e) {
            failing = true;
            lastBootFailure = e;
            LOG.log(System.Logger.Level.DEBUG, () -> "cannot boot a warm spare: " + e.getMessage());
        } finally {
            counting.lock(); // from booting to ready in one step, as replenish counts them
            try {
                if (booted != null && ofGeneration == generation) {
                    ready.addFirst(booted);
                } else {
                    released = booted;
                }
                booting.decrementAndGet();
            } finally {
                counting.unlock();
            }
        }
        if (released != null) {
            released.retire();
        }
        fill();
    }

    /** Retires the spares beyond the floor that waited longer than the idle timeout, oldest first. */
    private void retireIdle() {
        long idleNanos = context.spareIdleTimeout().toNanos();
        long now = System.nanoTime();
        Iterator<Spare> oldestFirst = ready.descendingIterator();
        while (oldestFirst.hasNext()) {
            Spare spare = oldestFirst.next();
            if (now - spare.readySince < idleNanos) {
                return;
            }
            if (ready.size() + booting.get() <= context.warmSpares()) {
                return;
            }
            if (ready.removeLastOccurrence(spare)) {
                aim.updateAndGet(current -> Math.max(context.warmSpares(), current - 1));
                spare.retire(); // after the aim: its count and the ready ones' agree the sooner
            }
        }
    }

    /** Spares currently ready (for tests and diagnostics). */
    public int readyCount() {
        return ready.size();
    }

    /** How many spares ready or booting the demand calls for now (for tests and diagnostics). */
    public int aimedCount() {
        return aim.get();
    }

    /** The pids of the spares ready now (for tests and diagnostics). */
    public List<Integer> readyPids() {
        List<Integer> pids = new ArrayList<>();
        for (Spare spare : ready) {
            pids.add(spare.child.pid());
        }
        return pids;
    }

    /** Starts handed to a spare so far (for tests and diagnostics). */
    public long handOffCount() {
        return handOffs.get();
    }

    /** Why the last background boot failed, or null if none has (for tests and diagnostics). */
    public String lastBootFailure() {
        RuntimeException failure = lastBootFailure;
        return failure == null ? null : failure.toString();
    }

    /** Why background boots last failed, of every context's spares (for tests and diagnostics). */
    public static List<String> bootFailures() {
        List<String> failures = new ArrayList<>();
        for (WarmSpares spares : BY_CONTEXT.values()) {
            String failure = spares.lastBootFailure();
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }

    /** Starts that found no spare ready so far (for tests and diagnostics). */
    public long missCount() {
        return misses.get();
    }

    /**
     * Waits until no spare is booting in the background and the count aimed at is ready (or boots
     * are failing, or memory or the task limit holds the rest back); true if that happened within {@code timeout}.
     * For tests and benchmarks.
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (booting.get() > 0 || (!failing && !heldBack && ready.size() < aim.get())) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
