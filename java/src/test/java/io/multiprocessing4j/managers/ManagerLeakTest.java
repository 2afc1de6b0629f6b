package io.multiprocessing4j.managers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.Eventually;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.KernelThreadNames;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.support.Spares;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a manager leaves behind: server processes, server threads, objects, and fds and threads here. */
@InFaultSuite
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class ManagerLeakTest {
    /**
     * What the kernel shows for the server's session threads ("manager-session-N", numbered from 1
     * in each server): "manager-session" for all on JDK 25 and earlier, "manager..sion-1",
     * "manager..ion-12" and so on after. Never its wait watcher ("manager-wait-watcher").
     */
    private static final Set<String> SESSION_NAMES = IntStream.rangeClosed(1, 10_000)
            .mapToObj(n -> KernelThreadNames.of("manager-session-" + n)).collect(Collectors.toSet());
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void manyProxiesCreatedAndDroppedLeakNoObjectFdOrThread() throws Exception {
        try (Manager manager = Manager.start()) {
            manager.list().close(); // the first use loads classes and opens this process's connection
            Spares.settle();
            List<String> fdsBefore = ProcessTable.openFdKinds();
            int threadsBefore = Thread.activeCount();

            List<ListProxy<Integer>> closed = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                ListProxy<Integer> list = manager.list();
                list.add(i);
                if (i % 2 == 0) {
                    closed.add(list);
                } // the odd ones are dropped: the Cleaner releases them
            }
            closed.forEach(ListProxy::close);
            assertTrue(Eventually.within(BOUND, () -> {
                System.gc();
                return manager.numberOfObjects() == 0; // this request carries the releases queued so far
            }), "objects left in the server: " + manager.numberOfObjects());

            Spares.settle();
            assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(fdsBefore));
            // fewer is fine: a thread of the JVM or of the test runner may have ended meanwhile
            assertTrue(Thread.activeCount() <= threadsBefore,
                    "threads: " + threadsBefore + " before, now " + Thread.getAllStackTraces().keySet());
        }
    }

    @Test
    void startingAndClosingManagersLeaksNoFdOrProcess() throws Exception {
        Manager.start().close();
        Spares.settle();
        List<String> fdsBefore = ProcessTable.openFdKinds();
        for (int i = 0; i < 3; i++) {
            long pid;
            try (Manager manager = Manager.start()) {
                pid = manager.pid().getAsLong();
                manager.dict().put("k", i);
            }
            assertTrue(ProcessTable.awaitGone(pid, BOUND), "server " + pid + " still runs");
        }
        Spares.settle();
        assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(fdsBefore));
    }

    @Test
    void clientsThatEndOrAreKilledLeaveNoServerThreadOrReference() throws Exception {
        try (Manager manager = Manager.start(); Children children = new Children()) {
            long server = manager.pid().getAsLong();
            ListProxy<Integer> list = manager.list();
            // This process's own session. Waited for rather than read once: a thread starts with
            // the kernel name of the thread that made it, until it first runs and names itself, and
            // the session's first wait that parks makes the server's readiness poller. On a loaded
            // machine that poller can show here as a second session for a moment, most
            // likely what a CI run once failed on. A second session that stays fails here, naming
            // the server's threads.
            assertTrue(Eventually.within(BOUND, () -> threads(server) == 1),
                    "sessions in the server, which should hold only this process's own: " + threadNames(server));
            int threadsBefore = 1;

            for (int i = 0; i < 3; i++) {
                int value = i;
                children.start(() -> list.add(value));
            }
            children.assertAllExitCleanly(Duration.ofSeconds(90));
            List<ChildProcess> killed = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                killed.add(children.start(() -> {
                    list.add(-1);
                    Thread.sleep(60_000);
                }));
            }
            assertTrue(Eventually.within(Duration.ofSeconds(90), () -> list.size() == 5));
            for (ChildProcess child : killed) {
                child.kill();
                Children.join(child, BOUND);
            }
            for (int i = 0; i < 10; i++) {
                Manager.connect(manager.address(), manager.authkey()).close();
            }
            assertTrue(Eventually.within(BOUND, () -> threads(server) == threadsBefore),
                    "server threads: " + threadNames(server) + ", sessions before: " + threadsBefore);
            list.close();
            assertEquals(0, manager.numberOfObjects(), "the children's references went with their connections");
        }
    }

    @Test
    void theServerDiesWithItsOwner() throws Exception {
        try (SeparateJvm owner = SeparateJvm.start(ManagerOwnerMain.class)) {
            assertTrue(owner.awaitReady(), owner.stderr());
            long server = Long.parseLong(owner.fact("SERVER"));
            assertTrue(ProcessTable.isRunning(server));
            owner.kill();
            assertTrue(ProcessTable.awaitGone(server, BOUND), "server " + server + " outlived its owner");
        }
    }

    /** Python's remote manager: serve_forever in one process, connect() from others. */
    @Test
    void aManagerServedInAProcessOfOurOwnIsReachedByConnect() throws Exception {
        AbstractUnixAddress address = AbstractUnixAddress.random();
        byte[] authkey = new byte[16];
        new SecureRandom().nextBytes(authkey);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread serving = new Thread(() -> {
            try {
                Manager.serve(address, authkey);
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        }, "serve-forever");
        serving.setDaemon(true);
        serving.start();
        AtomicReference<Manager> connected = new AtomicReference<>();
        assertTrue(Eventually.within(BOUND, () -> {
            try {
                connected.set(Manager.connect(address, authkey));
                return true;
            } catch (IOException notYetListening) {
                return false;
            }
        }), "could not connect: " + failure.get());
        Manager manager = connected.get();
        try (Children children = new Children()) {
            DictProxy<String, Integer> dict = manager.dict();
            dict.put("parent", 1);
            Children.assertExitsCleanly(children.start(() -> dict.put("child", dict.get("parent") + 1)),
                    Duration.ofSeconds(90));
            assertEquals(2, dict.get("child"));
        } finally {
            manager.shutdown();
        }
        serving.join(BOUND.toMillis());
        assertTrue(!serving.isAlive(), "serve() returned after shutdown");
        assertEquals(null, failure.get());
    }

    /**
     * The server's session threads, counted by their kernel names ({@link #SESSION_NAMES}).
     * Counting every thread would also count the JVM's own, whose number changes by
     * itself: compiler and GC threads are started and retired as the load changes.
     */
    private static int threads(long pid) throws IOException {
        return (int) threadNames(pid).stream().filter(SESSION_NAMES::contains).count();
    }

    /** The kernel names of the threads of process {@code pid}, for counting and for failure messages. */
    private static List<String> threadNames(long pid) throws IOException {
        List<String> names = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    names.add(Files.readString(task.resolve("comm")).strip());
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return names;
    }
}
