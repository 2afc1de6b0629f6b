package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Reports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** start/run/join/isAlive/close and their misuse, as Python's Process has them. */
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class LifecycleTest {

    static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Test
    void isAliveBeforeStartWhileRunningAndAfter() throws Exception {
        ChildProcess child = new ChildProcess(() -> sleep(1500));
        assertFalse(child.isAlive());
        assertEquals(OptionalLong.empty(), child.pid());
        assertEquals(OptionalInt.empty(), child.exitCode());
        child.start();
        assertTrue(child.isAlive());
        assertTrue(ProcessTable.isRunning(child.pid().orElseThrow()));
        assertEquals(OptionalInt.empty(), child.exitCode());
        child.join();
        assertFalse(child.isAlive());
        assertEquals(OptionalInt.of(0), child.exitCode());
    }

    @Test
    void joinWithTimeoutReturnsAfterAboutTheTimeoutWithTheChildStillAlive() throws Exception {
        ChildProcess child = new ChildProcess(() -> sleep(60_000));
        child.start();
        long began = System.nanoTime();
        boolean ended = child.join(Duration.ofMillis(500));
        long elapsedMillis = (System.nanoTime() - began) / 1_000_000;
        assertFalse(ended);
        assertTrue(elapsedMillis >= 490, "returned after " + elapsedMillis + " ms");
        assertTrue(elapsedMillis < 2500, "returned after " + elapsedMillis + " ms");
        assertTrue(child.isAlive());
        assertTrue(ProcessTable.isRunning(child.pid().orElseThrow()));
        child.terminate();
        assertTrue(child.join(Duration.ofSeconds(30)));
    }

    @Test
    void joinWithTimeoutReturnsAsSoonAsTheChildEnds() throws Exception {
        ChildProcess child = new ChildProcess(() -> sleep(300));
        child.start();
        long began = System.nanoTime();
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - began < Duration.ofSeconds(10).toNanos());
        assertTrue(child.join(Duration.ZERO), "an ended child joins at once");
    }

    @Test
    void runExecutesTheTargetInTheCallingProcess(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ChildProcess process = new ChildProcess(() -> Reports.put(report, "pid", ProcessHandle.current().pid()));
        process.run();
        assertEquals(String.valueOf(ProcessHandle.current().pid()), Reports.read(Path.of(report)).get("pid"));
        assertFalse(process.isAlive());
        assertEquals(OptionalLong.empty(), process.pid(), "run() does not start a process");
    }

    @Test
    void defaultNamesCountUpAndExplicitNamesAreKept() {
        ChildProcess first = new ChildProcess(() -> { });
        ChildProcess second = new ChildProcess(() -> { });
        assertTrue(first.name().matches("ChildProcess-\\d+"), first.name());
        int n = Integer.parseInt(first.name().substring("ChildProcess-".length()));
        assertEquals("ChildProcess-" + (n + 1), second.name());
        assertEquals("worker", new ChildProcess(() -> { }, "worker").name());
        ChildProcess renamed = new ChildProcess(() -> { });
        renamed.setName("renamed");
        assertEquals("renamed", renamed.name());
    }

    @Test
    void theChildKnowsItsOwnNameAndDaemonFlag(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ChildProcess child = new ChildProcess(() -> {
            CurrentProcess self = Multiprocessing.currentProcess();
            Reports.put(report, "name", self.name());
            Reports.put(report, "daemon", self.isDaemon());
            Reports.put(report, "pid", self.pid());
        }, "reporter", true);
        child.start();
        child.join();
        Map<String, String> seen = Reports.read(Path.of(report));
        assertEquals("reporter", seen.get("name"));
        assertEquals("true", seen.get("daemon"));
        assertEquals(String.valueOf(child.pid().orElseThrow()), seen.get("pid"));
    }

    @Test
    void toStringShowsThePhase() throws Exception {
        ChildProcess child = new ChildProcess(() -> sleep(60_000), "shown");
        assertTrue(child.toString().contains("initial"), child.toString());
        child.start();
        assertTrue(child.toString().contains("started"), child.toString());
        child.terminate();
        child.join();
        assertTrue(child.toString().contains("exitcode=-SIGTERM"), child.toString());
        child.close();
        assertTrue(child.toString().contains("closed"), child.toString());
    }

    @Test
    void startingTwiceIsRefused() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        child.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, child::start);
        assertEquals("cannot start a process twice", e.getMessage());
        child.join();
        assertThrows(IllegalStateException.class, child::start);
    }

    @Test
    void joinBeforeStartIsRefused() {
        ChildProcess child = new ChildProcess(() -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, child::join);
        assertEquals("can only join a started process", e.getMessage());
        assertThrows(IllegalStateException.class, () -> child.join(Duration.ofSeconds(1)));
        assertThrows(IllegalStateException.class, child::terminate);
        assertThrows(IllegalStateException.class, child::sentinel);
    }

    @Test
    void negativeJoinTimeoutCountsAsZero() throws Exception {
        ChildProcess child = new ChildProcess(() -> sleep(60_000));
        child.start();
        try {
            long began = System.nanoTime();
            assertFalse(child.join(Duration.ofSeconds(-1)), "a negative timeout returns at once, as join(-1) does in Python");
            assertTrue(System.nanoTime() - began < 5_000_000_000L);
        } finally {
            child.kill();
            child.join();
        }
    }

    @Test
    void closingARunningProcessIsRefused() throws Exception {
        ChildProcess child = new ChildProcess(() -> sleep(60_000));
        child.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, child::close);
        assertTrue(e.getMessage().startsWith("Cannot close a process while it is still running."), e.getMessage());
        assertTrue(child.isAlive(), "a refused close changes nothing");
        child.kill();
        child.join();
        child.close();
    }

    @Test
    void everyUseAfterCloseIsRefused() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        child.start();
        child.join();
        child.close();
        child.close(); // twice is fine, as in Python
        for (org.junit.jupiter.api.function.Executable use : new org.junit.jupiter.api.function.Executable[] {
            child::start, child::join, child::isAlive, child::terminate, child::kill, child::pid, child::exitCode,
            child::sentinel, () -> child.join(Duration.ZERO)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            assertEquals("process object is closed", e.getMessage());
        }
        assertTrue(child.name().startsWith("ChildProcess-"), "name survives close, as in Python");
    }

    @Test
    void aNeverStartedProcessMayBeClosed() {
        ChildProcess child = new ChildProcess(() -> { });
        child.close();
        assertThrows(IllegalStateException.class, child::start);
    }

    @Test
    void daemonFlagIsFixedOnceStarted() throws Exception {
        ChildProcess child = new ChildProcess(() -> { });
        assertFalse(child.isDaemon(), "the main process is not a daemon, so neither are its children by default");
        child.setDaemon(true);
        assertTrue(child.isDaemon());
        child.start();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> child.setDaemon(false));
        assertEquals("process has already started", e.getMessage());
        child.join();
    }

    @Test
    void aDaemonCannotHaveChildren(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ChildProcess daemon = new ChildProcess(() -> {
            ChildProcess grandchild = new ChildProcess(() -> { });
            Reports.put(report, "defaultDaemon", grandchild.isDaemon());
            try {
                grandchild.start();
                Reports.put(report, "error", "none");
            } catch (IllegalStateException e) {
                Reports.put(report, "error", e.getMessage());
            }
        }, "daemon", true);
        daemon.start();
        daemon.join();
        Map<String, String> seen = Reports.read(Path.of(report));
        assertEquals("true", seen.get("defaultDaemon"), "the daemon flag defaults to the creator's");
        assertEquals("daemonic processes are not allowed to have children", seen.get("error"));
        assertEquals(OptionalInt.of(0), daemon.exitCode());
    }

    @Test
    void aChildCanStartItsOwnChildren(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ChildProcess child = new ChildProcess(() -> {
            ChildProcess grandchild = new ChildProcess(() -> {
                Reports.put(report, "grandchild", Multiprocessing.currentProcess().name());
                Reports.put(report, "grandparent", Multiprocessing.parentProcess().orElseThrow().pid());
            });
            grandchild.start();
            grandchild.join();
            Reports.put(report, "grandchildExit", grandchild.exitCode().orElseThrow());
        });
        child.start();
        child.join();
        Map<String, String> seen = Reports.read(Path.of(report));
        int n = child.identity().get(0);
        assertEquals("ChildProcess-" + n + ":1", seen.get("grandchild"), "Python's identity naming");
        assertEquals(String.valueOf(child.pid().orElseThrow()), seen.get("grandparent"));
        assertEquals("0", seen.get("grandchildExit"));
    }

    @Test
    void childrenHaveDistinctRealPids() throws Exception {
        ChildProcess a = new ChildProcess(() -> sleep(60_000));
        ChildProcess b = new ChildProcess(() -> sleep(60_000));
        a.start();
        b.start();
        long pidA = a.pid().orElseThrow();
        long pidB = b.pid().orElseThrow();
        assertNotEquals(pidA, pidB);
        assertNotEquals(ProcessHandle.current().pid(), pidA);
        assertEquals(ProcessHandle.current().pid(), ProcessTable.parentPid(pidA));
        assertEquals(ProcessHandle.current().pid(), ProcessTable.parentPid(pidB));
        a.kill();
        b.kill();
        a.join();
        b.join();
    }

    @Test
    void onExitCompletesWithTheProcess() throws Exception {
        ChildProcess child = new ChildProcess(() -> System.exit(5));
        child.start();
        ChildProcess ended = child.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(child, ended);
        assertEquals(OptionalInt.of(5), ended.exitCode());
    }

    /** Python's other style: a subclass overriding run(), whose fields travel with it. */
    static final class Greeter extends ChildProcess {
        private final String report;
        private final String greeting;

        Greeter(String report, String greeting) {
            super("greeter");
            this.report = report;
            this.greeting = greeting;
        }

        @Override
        public void run() {
            Reports.put(report, "greeting", greeting);
            Reports.put(report, "name", Multiprocessing.currentProcess().name());
            Reports.put(report, "selfPid", pid().orElseThrow());
            Reports.put(report, "selfAlive", isAlive());
        }
    }

    @Test
    void aSubclassOverridingRunTravelsToTheChild(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        Greeter greeter = new Greeter(report, "hello from a field");
        greeter.start();
        greeter.join();
        assertEquals(OptionalInt.of(0), greeter.exitCode());
        Map<String, String> seen = Reports.read(Path.of(report));
        assertEquals("hello from a field", seen.get("greeting"));
        assertEquals("greeter", seen.get("name"));
        assertEquals(String.valueOf(greeter.pid().orElseThrow()), seen.get("selfPid"));
        assertEquals("true", seen.get("selfAlive"));
    }

    @Test
    void theChildWaitsForTheNonDaemonThreadsItsTargetStarted(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        ChildProcess child = new ChildProcess(() -> {
            Thread worker = new Thread(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    return;
                }
                Reports.put(report, "worker", "finished");
            });
            worker.start();
            Thread daemonWorker = new Thread(() -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ignored) {
                    // ends with the process
                }
            });
            daemonWorker.setDaemon(true);
            daemonWorker.start();
        });
        child.start();
        assertTrue(child.join(Duration.ofSeconds(30)), "a daemon thread must not hold the child");
        assertEquals("finished", Reports.read(Path.of(report)).get("worker"));
        assertEquals(OptionalInt.of(0), child.exitCode());
    }

    @Test
    void authkeyIsInheritedFromTheCreatorUnlessSet(@TempDir Path directory) throws Exception {
        String report = directory.resolve("report").toString();
        byte[] mine = Multiprocessing.currentProcess().authkey();
        assertEquals(32, mine.length);
        ChildProcess child = new ChildProcess(() ->
                Reports.put(report, "key", java.util.HexFormat.of().formatHex(Multiprocessing.currentProcess().authkey())));
        assertTrue(java.util.Arrays.equals(mine, child.authkey()));
        child.start();
        child.join();
        assertEquals(java.util.HexFormat.of().formatHex(mine), Reports.read(Path.of(report)).get("key"));

        byte[] custom = {1, 2, 3};
        ChildProcess keyed = ChildProcess.builder(() ->
                Reports.put(report, "custom", java.util.HexFormat.of().formatHex(Multiprocessing.currentProcess().authkey())))
                .authkey(custom).build();
        keyed.start();
        keyed.join();
        assertEquals("010203", Reports.read(Path.of(report)).get("custom"));
    }
}
