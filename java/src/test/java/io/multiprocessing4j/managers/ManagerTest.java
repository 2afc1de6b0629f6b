package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A manager's objects, used from the parent and from children, and the manager's lifecycle. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class ManagerTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    /** The walkthrough's program: two workers append to one managed list. */
    @Test
    void twoWorkersAppendToOneList() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            List<Integer> liste = manager.list();
            children.start(() -> worker(liste, 30));
            children.start(() -> worker(liste, 70));
            children.assertAllExitCleanly(CHILD_TIMEOUT);
            List<Integer> sorted = new ArrayList<>(liste);
            sorted.sort(null);
            assertEquals(List.of(30, 70), sorted, "both values, in either order");
        }
    }

    static void worker(List<Integer> liste, int x) {
        liste.add(x);
        System.out.println("list by: " + Multiprocessing.currentProcess().name() + " " + liste);
    }

    @Test
    void listOperationsFromParentAndChild() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            ListProxy<String> list = manager.list(List.of("a", "b"));
            list.add("c");
            list.add(0, "z");
            assertEquals(List.of("z", "a", "b", "c"), list);
            assertEquals("[z, a, b, c]", list.toString());
            assertEquals("a", list.set(1, "A"));
            assertEquals("z", list.remove(0));
            assertTrue(list.remove("c"));
            assertFalse(list.remove("nothing"));
            assertTrue(list.addAll(List.of("d", "e")));
            assertEquals(4, list.size());
            assertTrue(list.addAll(List.of("x", "y")));
            assertTrue(list.removeAll(List.of("x")));
            assertTrue(list.retainAll(List.of("A", "b", "d", "e")));
            assertEquals(List.of("A", "b", "d", "e"), list.copy());
            assertTrue(list.contains("d"));
            assertEquals(2, list.indexOf("d"));
            assertEquals(List.of("A", "b", "d", "e").hashCode(), list.hashCode());
            Iterator<String> snapshot = list.iterator();
            list.clear();
            assertTrue(list.isEmpty());
            assertEquals(List.of("A", "b", "d", "e"), iterate(snapshot), "the iterator walks a snapshot");
            assertThrows(UnsupportedOperationException.class, () -> list.iterator().remove());

            list.add("from parent");
            Children.assertExitsCleanly(children.start(() -> {
                check(list.get(0).equals("from parent"), "child sees " + list);
                list.add("from child");
                list.set(0, "changed by child");
            }), CHILD_TIMEOUT);
            assertEquals(List.of("changed by child", "from child"), list.copy());
        }
    }

    @Test
    void dictOperationsFromParentAndChild() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            DictProxy<String, Integer> dict = manager.dict(Map.of("one", 1));
            assertNull(dict.put("two", 2));
            assertEquals(1, dict.put("one", 11));
            assertEquals(11, dict.get("one"));
            assertNull(dict.get("none"));
            assertEquals(-1, dict.getOrDefault("none", -1));
            assertTrue(dict.containsKey("two"));
            assertTrue(dict.containsValue(2));
            assertEquals(2, dict.size());
            assertEquals("{one=11, two=2}", dict.toString());
            Map<String, Integer> more = new LinkedHashMap<>();
            more.put("three", 3);
            more.put("four", 4);
            dict.putAll(more);
            assertEquals(List.of("one", "two", "three", "four"), new ArrayList<>(dict.keySet()), "insertion order");
            assertEquals(List.of(11, 2, 3, 4), new ArrayList<>(dict.values()));
            assertThrows(UnsupportedOperationException.class, () -> dict.keySet().remove("one"),
                    "a snapshot cannot change the map");
            assertEquals(Map.of("one", 11, "two", 2, "three", 3, "four", 4), dict);
            assertEquals(3, dict.remove("three"));
            assertEquals(2, dict.putIfAbsent("two", 22));

            Children.assertExitsCleanly(children.start(() -> {
                check(dict.get("one") == 11, "child sees " + dict);
                dict.put("child", 99);
                dict.remove("one");
            }), CHILD_TIMEOUT);
            assertEquals(Map.of("two", 2, "four", 4, "child", 99), dict.copy());
            dict.clear();
            assertTrue(dict.isEmpty());
        }
    }

    @Test
    void namespaceAndValueFromParentAndChild() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            Namespace ns = manager.namespace();
            ValueProxy<Integer> value = manager.value(1);
            ns.set("x", 10);
            ns.set("y", "hello");
            assertEquals("Namespace(x=10, y=hello)", ns.toString());
            NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> ns.get("z"));
            assertTrue(missing.getMessage().contains("no attribute 'z'"), missing.getMessage());
            assertEquals("Value(1)", value.toString());

            Children.assertExitsCleanly(children.start(() -> {
                int x = ns.get("x");
                ns.set("z", x + value.get());
                value.set(42);
                ns.delete("y");
            }), CHILD_TIMEOUT);
            assertEquals(11, (Integer) ns.get("z"));
            assertFalse(ns.has("y"));
            assertEquals(List.of("x", "z"), new ArrayList<>(ns.asMap().keySet()));
            assertEquals(42, value.get());
        }
    }

    @Test
    void threeProcessesAppendingAHundredEachMakeThreeHundred() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            ListProxy<Integer> list = manager.list();
            for (int p = 0; p < 3; p++) {
                int base = p * 1000;
                children.start(() -> {
                    for (int i = 0; i < 100; i++) {
                        list.add(base + i);
                    }
                });
            }
            children.assertAllExitCleanly(CHILD_TIMEOUT);
            List<Integer> all = list.copy();
            assertEquals(300, all.size());
            List<Integer> expected = IntStream.range(0, 3).boxed()
                    .flatMap(p -> IntStream.range(0, 100).mapToObj(i -> p * 1000 + i)).sorted()
                    .collect(Collectors.toList());
            all.sort(null);
            assertEquals(expected, all);
        }
    }

    @Test
    void aPoolTaskUsesAProxyItCaptured() throws Exception {
        try (Manager manager = Manager.start(); Pool pool = new Pool(2)) {
            ListProxy<Integer> list = manager.list();
            pool.map(i -> list.add(i * i), List.of(1, 2, 3, 4));
            List<Integer> squares = list.copy();
            squares.sort(null);
            assertEquals(List.of(1, 4, 9, 16), squares);
        }
    }

    @Test
    void anExceptionInTheServerArrivesAsItsOwnType() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            ListProxy<Integer> list = manager.list();
            IndexOutOfBoundsException outOfRange = assertThrows(IndexOutOfBoundsException.class, () -> list.get(5));
            Throwable serverSide = outOfRange.getCause();
            assertNotNull(serverSide, "the server's exception is the cause");
            assertSame(IndexOutOfBoundsException.class, serverSide.getClass());
            assertEquals(outOfRange.getMessage(), serverSide.getMessage());
            assertTrue(Arrays.stream(serverSide.getStackTrace()).anyMatch(f -> f.getClassName().contains("SharedKind")),
                    "the cause carries the server's stack trace");
            assertTrue(Arrays.stream(outOfRange.getStackTrace())
                    .anyMatch(f -> f.getMethodName().equals("anExceptionInTheServerArrivesAsItsOwnType")),
                    "the exception thrown carries the caller's stack trace");
            assertThrows(IndexOutOfBoundsException.class, () -> list.remove(0));
            list.add(1);
            assertEquals(List.of(1), list, "the proxy goes on working");

            Children.assertExitsCleanly(children.start(() -> {
                try {
                    list.set(7, 0);
                    check(false, "no exception in the child");
                } catch (IndexOutOfBoundsException expected) {
                    // as in the parent
                }
            }), CHILD_TIMEOUT);
        }
    }

    @Test
    void anUnserializableValueFailsInTheCaller() throws Exception {
        try (Manager manager = Manager.start()) {
            ListProxy<Object> list = manager.list();
            IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                    () -> list.add(new NotSerializable()));
            assertTrue(failure.getMessage().contains("not serializable"), failure.getMessage());
            assertThrows(IllegalArgumentException.class, () -> manager.value(new NotSerializable()));
            list.add("fine");
            assertEquals(List.of("fine"), list, "the connection is still in step");
        }
    }

    static final class NotSerializable {
    }

    @Test
    void usingAProxyAfterShutdownIsAClearErrorAtOnce() throws Exception {
        Manager manager = Manager.start();
        ListProxy<Integer> list = manager.list();
        DictProxy<String, String> dict = manager.dict();
        list.add(1);
        manager.shutdown();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            IllegalStateException gone = assertThrows(IllegalStateException.class, () -> list.add(2));
            assertTrue(gone.getMessage().contains(manager.address().toString()), gone.getMessage());
            assertThrows(IllegalStateException.class, dict::size);
            assertThrows(IllegalStateException.class, manager::list);
        });
        manager.shutdown(); // idempotent
    }

    @Test
    void aChildUsingAProxyAfterShutdownFailsPromptly() throws Exception {
        try (Children children = new Children()) {
            Manager manager = Manager.start();
            ListProxy<Integer> list = manager.list();
            ChildProcess child = children.start(() -> {
                while (true) {
                    list.add(1); // until the manager is gone: then this throws
                    Thread.sleep(10);
                }
            });
            assertTrue(Eventually.within(CHILD_TIMEOUT, () -> !list.isEmpty() || !child.isAlive()));
            manager.shutdown();
            assertEquals(1, Children.join(child, Duration.ofSeconds(30)), "the child's call threw");
        }
    }

    @Test
    void aWrongAuthkeyIsRefused() throws Exception {
        try (Manager manager = Manager.start()) {
            byte[] wrong = manager.authkey();
            wrong[0] ^= 1;
            assertThrows(AuthenticationException.class, () -> Manager.connect(manager.address(), wrong));
            try (Manager connected = Manager.connect(manager.address(), manager.authkey())) {
                ListProxy<String> list = connected.list();
                list.add("still serving");
                assertEquals(1, list.size());
            }
            assertEquals(0, manager.list().size(), "the server goes on after refusing a client");
        }
    }

    @Test
    void noServerProcessIsLeftAfterClose() throws Exception {
        long pid;
        try (Manager manager = Manager.start()) {
            pid = manager.pid().getAsLong();
            assertTrue(ProcessTable.isRunning(pid));
            manager.list().add(1);
        }
        assertTrue(ProcessTable.awaitGone(pid, Duration.ofSeconds(10)), "server " + pid + " still runs");
    }

    @Test
    void objectsAreFreedWhenNoProxyHoldsThem() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            ListProxy<Integer> kept = manager.list();
            ListProxy<Integer> closed = manager.list();
            assertEquals(2, manager.numberOfObjects());
            closed.close();
            assertEquals(1, manager.numberOfObjects());
            assertThrows(IllegalStateException.class, closed::size);

            // a child that holds the list and is killed gives its reference back with its connection
            ChildProcess child = children.start(() -> {
                kept.add(1);
                Thread.sleep(60_000);
            });
            assertTrue(Eventually.within(CHILD_TIMEOUT, () -> !kept.isEmpty() || !child.isAlive()));
            child.kill();
            Children.join(child, CHILD_TIMEOUT);
            assertEquals(List.of(1), kept);
            assertEquals(1, manager.numberOfObjects());
            kept.close();
            // the server notices the killed child's connection close in its own time
            assertTrue(Eventually.within(CHILD_TIMEOUT, () -> manager.numberOfObjects() == 0),
                    "objects left: " + manager.numberOfObjects());
        }
    }

    private static List<String> iterate(Iterator<String> iterator) {
        List<String> seen = new ArrayList<>();
        iterator.forEachRemaining(seen::add);
        return seen;
    }

    /** In a child: fail (exit code 1, the message on stderr) unless {@code condition}. */
    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
