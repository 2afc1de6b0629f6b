package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ReapChildren;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Python's {@code BaseManager.register}: objects of the user's own types in the server, through an interface. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
@Timeout(120)
class ManagerRegisterTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    interface Counter {
        int increment();

        int add(int delta);

        int get();

        /** A new counter kept in the server (marked in method_to_typeid). */
        Counter child(int start);

        List<String> echo(List<String> values);

        void fail(String message) throws IOException;

        void failUndeclared() throws InterruptedException;

        /** Waits in the server until {@link #release()} is called. */
        boolean block() throws InterruptedException;

        void release();
    }

    public static final class CounterImpl implements Counter {
        private int value;

        public CounterImpl() {
        }

        CounterImpl(int value) {
            this.value = value;
        }

        @Override
        public synchronized int increment() {
            return ++value;
        }

        @Override
        public synchronized int add(int delta) {
            if (delta < 0) {
                throw new IllegalArgumentException("a counter only goes up: " + delta);
            }
            return value += delta;
        }

        @Override
        public synchronized int get() {
            return value;
        }

        @Override
        public Counter child(int start) {
            return new CounterImpl(start);
        }

        @Override
        public List<String> echo(List<String> values) {
            List<String> changed = new ArrayList<>(values);
            changed.add("server");
            values.clear(); // the caller's list is a copy: by value, as in Python
            return changed;
        }

        @Override
        public void fail(String message) throws IOException {
            throw new IOException(message);
        }

        @Override
        public void failUndeclared() {
            throw new UnsupportedOperationException("not here");
        }

        private final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        @Override
        public boolean block() throws InterruptedException {
            return gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public void release() {
            gate.countDown();
        }

        /** Not in the interface: no proxy can call it. */
        public void secret() {
        }
    }

    private static Manager start() {
        return Manager.builder()
                .register("Counter", Counter.class, CounterImpl::new, Map.of("child", "Counter"))
                .start();
    }

    @Test
    void aRegisteredTypeFromParentChildAndPoolTask() throws Exception {
        try (Manager manager = start(); Children children = new Children(); Pool pool = new Pool(1)) {
            Counter counter = manager.create("Counter", Counter.class);
            assertEquals(1, counter.increment());
            Children.assertExitsCleanly(children.start(() -> counter.add(10)), BOUND);
            assertEquals(12, pool.apply(counter::increment));
            assertEquals(12, counter.get());

            List<String> mine = new ArrayList<>(List.of("a"));
            assertEquals(List.of("a", "server"), counter.echo(mine));
            assertEquals(List.of("a"), mine, "arguments travel by value");
            assertTrue(counter.toString().contains("CounterProxy"), counter.toString());
        }
    }

    @Test
    void aMethodMarkedInMethodToTypeIdAnswersAProxy() throws Exception {
        try (Manager manager = start(); Children children = new Children()) {
            Counter counter = manager.create("Counter", Counter.class);
            Counter child = counter.child(100);
            assertTrue(java.lang.reflect.Proxy.isProxyClass(child.getClass()), "a proxy, not a copy");
            assertEquals(101, child.increment());
            Children.assertExitsCleanly(children.start(() -> child.increment()), BOUND);
            assertEquals(102, child.get(), "the object lives in the server, shared");
            assertEquals(0, counter.get());
        }
    }

    @Test
    void anExceptionThrownInTheServerArrivesAsItsOwnType() throws Exception {
        try (Manager manager = start()) {
            Counter counter = manager.create("Counter", Counter.class);
            IllegalArgumentException runtime = assertThrows(IllegalArgumentException.class, () -> counter.add(-1));
            assertTrue(runtime.getMessage().contains("only goes up"), runtime.getMessage());
            assertNotNull(runtime.getCause(), "the server's exception, with its stack trace");
            IOException checked = assertThrows(IOException.class, () -> counter.fail("disk on fire"));
            assertEquals("disk on fire", checked.getMessage());
            assertThrows(UnsupportedOperationException.class, counter::failUndeclared);
            assertEquals(1, counter.increment(), "the proxy goes on working");
        }
    }

    /** Python serves each thread on a connection of its own; a method that waits in the server holds up no other thread. */
    @Test
    void aMethodWaitingInTheServerHoldsUpNoOtherThread() throws Exception {
        try (Manager manager = start()) {
            Counter counter = manager.create("Counter", Counter.class);
            java.util.concurrent.CompletableFuture<Boolean> blocked = new java.util.concurrent.CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    blocked.complete(counter.block());
                } catch (Throwable t) {
                    blocked.completeExceptionally(t);
                }
            });
            waiter.start();
            ListProxy<Integer> list = manager.list();
            for (int i = 0; i < 50; i++) {
                counter.increment();
                list.add(i);
            }
            assertTrue(!blocked.isDone(), "still waiting in the server while this thread's calls went through");
            counter.release(); // another method of the same object, while block() waits there
            assertTrue(blocked.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(50, counter.get());
        }
    }

    @Test
    void unknownTypesAndBadRegistrationsAreClearErrors() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> Manager.builder().register("Impl", CounterImpl.class, CounterImpl::new), "not an interface");
        assertThrows(IllegalArgumentException.class, () -> Manager.builder()
                .register("Counter", Counter.class, CounterImpl::new, Map.of("nothing", "Counter")), "no such method");
        try (Manager manager = start()) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> manager.create("Nothing", Counter.class));
            assertTrue(unknown.getMessage().contains("Nothing"), unknown.getMessage());
            assertEquals(1, manager.create("Counter", Counter.class).increment(), "the manager goes on");
        }
    }
}
