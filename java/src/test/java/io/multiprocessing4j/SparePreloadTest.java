package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.process.WarmSpares;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.support.ReapChildren;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm spare booted after a start loads that start's target class before its own orders come,
 * so that a later start of the same kind of target meets it loaded. Seen in the class-loading log
 * of the child that ran the second target: the first target's class was loaded there, before the
 * second's.
 */
@ExtendWith(ReapChildren.class)
class SparePreloadTest {
    @Test
    void aSpareBootedAfterAStartHasLoadedThatStartsTargetClassBeforeItsOrders(@TempDir Path directory)
            throws Exception {
        ProcessContext context = Multiprocessing.getContext("warm").toBuilder()
                .jvmOptions("-Xlog:class+load=info:file=" + directory.resolve("load-%p.log")).build().warmUp();
        try {
            firstAndSecond(context, directory);
        } finally {
            context.releaseWarmSpares(); // whose later boots would log to a directory gone by then
        }
    }

    private static void firstAndSecond(ProcessContext context, Path directory) throws Exception {
        WarmSpares spares = WarmSpares.of(context.settings());
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
        long handOffs = spares.handOffCount();

        ChildProcess first = context.newProcess(FirstTarget::run);
        first.start();
        assertTrue(first.join(Duration.ofSeconds(30)));
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)), "the replacement spare booted");
        ChildProcess second = context.newProcess(SecondTarget::run);
        second.start();
        assertTrue(second.join(Duration.ofSeconds(30)));
        assertEquals(handOffs + 2, spares.handOffCount(), "both ran on spares");
        assertEquals(OptionalInt.of(0), first.exitCode());
        assertEquals(OptionalInt.of(0), second.exitCode());

        List<String> loads = Files.readAllLines(directory.resolve("load-" + second.pid().orElseThrow() + ".log"));
        int firstLoaded = indexOf(loads, FirstTarget.class.getName());
        int secondLoaded = indexOf(loads, SecondTarget.class.getName());
        assertTrue(firstLoaded >= 0, "the first target's class was loaded by the spare that ran the second");
        assertTrue(secondLoaded > firstLoaded, "before the second's orders came (lines " + firstLoaded + ", "
                + secondLoaded + ")");
        first.close();
        second.close();
    }

    /**
     * A pool's function reaches its workers after their start, with the tasks: a spare that
     * finishes booting after a pool's first task loads the function's class ahead, so that the
     * next pool's worker decodes its first task with the class already loaded.
     */
    @Test
    void aSpareReadyAfterAPoolsTaskHasLoadedThatTasksFunctionClass(@TempDir Path directory) throws Exception {
        ProcessContext context = Multiprocessing.getContext("warm").toBuilder()
                .jvmOptions("-Xlog:class+load=info:file=" + directory.resolve("load-%p.log"), "-Dmp4j.test=pool-preload")
                .build().warmUp();
        try {
            firstPoolThenSecond(context, directory);
        } finally {
            context.releaseWarmSpares();
        }
    }

    private static void firstPoolThenSecond(ProcessContext context, Path directory) throws Exception {
        WarmSpares spares = WarmSpares.of(context.settings());
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)));
        try (Pool first = Pool.builder().processes(1).context(context).build()) {
            assertEquals(1, first.apply(PoolFunctions::first));
            first.shutdown();
            first.join();
        }
        // The spare that replaced the first pool's worker gets its preload once it has booted.
        assertTrue(spares.awaitSettled(Duration.ofSeconds(60)), "the replacement spare booted");
        long handOffs = spares.handOffCount();
        try (Pool second = Pool.builder().processes(1).context(context).build()) {
            assertEquals(handOffs + 1, spares.handOffCount(), "the second pool's worker is a spare");
            long worker = second.workerPids().get(0);
            // Read before the second pool has sent any task: only a preload can have loaded it.
            List<String> loads = Files.readAllLines(directory.resolve("load-" + worker + ".log"));
            assertTrue(indexOf(loads, PoolFunctions.class.getName()) >= 0,
                    "the first pool's function class was loaded in the second pool's worker before its first task");
            assertEquals(2, second.apply(PoolFunctions::second));
            second.shutdown();
            second.join();
        }
    }

    static final class PoolFunctions {
        static int first() {
            return 1;
        }

        static int second() {
            return 2;
        }
    }

    private static int indexOf(List<String> loads, String className) {
        for (int i = 0; i < loads.size(); i++) {
            if (loads.get(i).contains(" " + className + " ")) {
                return i;
            }
        }
        return -1;
    }

    static final class FirstTarget {
        static void run() {
        }
    }

    static final class SecondTarget {
        static void run() {
        }
    }
}
