package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Python's {@code m.Pool()}: a pool whose workers are the server's children, used from anywhere. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
@Timeout(180)
class ManagerPoolTest {
    private static final Duration BOUND = Duration.ofSeconds(90);

    static int square(int x) {
        return x * x;
    }

    @Test
    void thePoolOfTheServerFromHereAChildAndAPoolTask() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children(); Pool local = new Pool(1)) {
            PoolProxy pool = manager.pool(1);
            assertEquals(1, pool.processes());
            long here = ProcessHandle.current().pid();
            long worker = pool.apply(() -> ProcessHandle.current().parent().orElseThrow().pid());
            assertEquals(manager.pid().getAsLong(), worker, "the workers are the server's children");
            assertTrue(worker != here);
            assertEquals(List.of(0, 1, 4, 9), pool.map(ManagerPoolTest::square, List.of(0, 1, 2, 3)));

            ListProxy<Integer> results = manager.list();
            Children.assertExitsCleanly(children.start(() -> results.addAll(pool.map(ManagerPoolTest::square, List.of(4, 5)))),
                    BOUND);
            assertEquals(List.of(16, 25), results.copy());
            assertEquals(36, local.apply(() -> pool.apply(ManagerPoolTest::square, 6)), "from a task of another pool");

            ExecutionException failed = assertThrows(ExecutionException.class, () -> pool.apply(() -> {
                throw new IllegalArgumentException("bad task");
            }));
            assertTrue(String.valueOf(failed.getCause()).contains("bad task"), String.valueOf(failed.getCause()));

            Future<Integer> slow = pool.applyAsync(() -> {
                Thread.sleep(2_000);
                return 1;
            });
            assertThrows(TimeoutException.class, () -> slow.get(50, TimeUnit.MILLISECONDS));
            assertFalse(slow.isDone());
            CompletableFuture<Integer> waited = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    waited.complete(slow.get());
                } catch (Throwable t) {
                    waited.completeExceptionally(t);
                }
            });
            waiter.start();
            Thread.sleep(100); // its get is waiting in the server
            long looked = System.nanoTime();
            assertFalse(slow.isDone(), "not done while another thread waits for it");
            assertTrue(System.nanoTime() - looked < TimeUnit.MILLISECONDS.toNanos(1_000),
                    "isDone answers at once while another thread waits in get");
            assertEquals(1, waited.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertTrue(slow.isDone());
            assertEquals(1, slow.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, slow.get(), "a fetched result stays here");
            waiter.join(BOUND.toMillis());

            local.close(); // its worker holds a proxy of the pool, until it exits
            pool.close();
            assertTrue(Eventually.within(BOUND, () -> manager.numberOfObjects() == 1),
                    "only the list is left: " + manager.numberOfObjects());
        }
    }

    @Test
    void aPendingResultKeepsItsPoolAliveWhenTheProxyIsDropped() throws Exception {
        try (Manager manager = Manager.start()) {
            Future<Integer> result = submitThroughAProxyDroppedAtOnce(manager);
            for (int i = 0; i < 5; i++) {
                System.gc(); // the proxy is collected, and its reference released, unless the result holds it
                Thread.sleep(20);
            }
            assertEquals(49, result.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertTrue(result.isDone());
        }
    }

    private static Future<Integer> submitThroughAProxyDroppedAtOnce(Manager manager) {
        return manager.pool(1).applyAsync(() -> {
            Thread.sleep(300);
            return 49;
        });
    }
}
