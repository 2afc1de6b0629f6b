package io.multiprocessing4j.internal.process;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The spare JVMs of one context under the warm start method: {@link #launch} hands a ready spare
 * its orders (a socket write and an answer: no JVM boot on the caller's clock) and boots its
 * replacement in the background. With no spare ready, the caller boots one itself, so a burst of
 * starts is never slower than spawning, and a context that cannot boot gets the real error.
 */
public final class WarmSpares {
    private static final Map<LaunchSettings, WarmSpares> BY_CONTEXT = new ConcurrentHashMap<>();
    private static final ExecutorService BOOTERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "multiprocessing4j-warm-boot");
        thread.setDaemon(true);
        return thread;
    });
    private static final int HANDOFF_ATTEMPTS = 3;
    private static final System.Logger LOG = System.getLogger(WarmSpares.class.getName());

    private final LaunchSettings context;
    private final ConcurrentLinkedQueue<Spare> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger booting = new AtomicInteger();
    /** Set when a background boot failed: no more background boots until a start succeeds. */
    private volatile boolean failing;

    private WarmSpares(LaunchSettings context) {
        this.context = context;
    }

    public static WarmSpares of(LaunchSettings context) {
        return BY_CONTEXT.computeIfAbsent(context, WarmSpares::new);
    }

    /** Starts the process {@code message} describes on a spare, passing it {@code fds} (the caller keeps its own). */
    ChildHandle launch(BootstrapMessage message, int[] fds) {
        for (int attempt = 1; ; attempt++) {
            Spare spare = takeReady();
            boolean fresh = spare == null;
            if (fresh) {
                LOG.log(System.Logger.Level.DEBUG, () -> "warm start of " + message.name
                        + " boots a JVM: no spare was ready");
                spare = ChildLauncher.bootSpare(context); // errors reach start() as they are
                failing = false;
            }
            replenish();
            try {
                return spare.handOff(message, fds);
            } catch (BootHandshake.SpareLost lost) {
                if (fresh || attempt >= HANDOFF_ATTEMPTS) {
                    throw lost;
                }
            }
        }
    }

    private Spare takeReady() {
        Spare spare;
        while ((spare = ready.poll()) != null) {
            if (spare.isAlive()) {
                return spare;
            }
            spare.retire();
        }
        return null;
    }

    /** Boots spares in the background until the context's count is ready or booting. */
    public void replenish() {
        while (!failing) {
            int inFlight = booting.get();
            if (ready.size() + inFlight >= context.warmSpares()) {
                return;
            }
            if (booting.compareAndSet(inFlight, inFlight + 1)) {
                BOOTERS.execute(this::bootOne);
            }
        }
    }

    private void bootOne() {
        try {
            ready.add(ChildLauncher.bootSpare(context));
        } catch (RuntimeException e) {
            failing = true;
        } finally {
            booting.decrementAndGet();
        }
    }

    /** Spares currently ready (for tests and diagnostics). */
    public int readyCount() {
        return ready.size();
    }

    /**
     * Waits until no spare is booting in the background and the full count is ready (or boots
     * are failing); true if that happened within {@code timeout}. For tests that count fds.
     */
    public boolean awaitSettled(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (booting.get() > 0 || (!failing && ready.size() < context.warmSpares())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
