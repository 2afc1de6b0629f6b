package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.support.InFaultSuite;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.support.ProcessTable;
import io.multiprocessing4j.support.ReapChildren;
import io.multiprocessing4j.support.Spares;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starting, joining and closing children leaves this process's fd table as it was. */
@InFaultSuite
@ProcessSemantics
@ExtendWith(ReapChildren.class)
class FdLeakTest {
    /**
     * The default context with a fixed number of warm spares: under {@code warm} the count would
     * otherwise grow with a burst of starts, and the spares kept ready (a pidfd and a socket each)
     * would count as opened since; they retire only after {@code spareIdleTimeout}.
     */
    private static final ProcessContext CONTEXT = fixedSpares(ProcessContext.defaultContext());

    private static ProcessContext fixedSpares(ProcessContext context) {
        return context.toBuilder().maxWarmSpares(context.warmSpares()).build();
    }

    private static void settle() throws InterruptedException {
        Spares.settle(); // the default context's spares, which earlier tests may have left booting
        if (!CONTEXT.awaitWarmSpares(Duration.ofSeconds(60))) {
            throw new AssertionError("warm spares did not settle");
        }
    }

    private static void warmUp() throws InterruptedException {
        // The first start loads classes and opens the exit watcher's epoll fd for good.
        ChildProcess child = CONTEXT.newProcess(() -> { });
        child.start();
        child.join();
        child.close();
        settle();
    }

    @Test
    void fiftyStartJoinCloseCyclesLeakNoFd() throws Exception {
        warmUp();
        List<String> before = ProcessTable.openFdKinds();
        for (int i = 0; i < 50; i++) {
            ChildProcess child = CONTEXT.newProcess(() -> { });
            child.start();
            child.join();
            child.close();
        }
        settle();
        assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(before), "open now: " + ProcessTable.openFds());
    }

    @Test
    void withoutCloseTheFdsGoAwayOnceTheChildEnds() throws Exception {
        warmUp();
        List<String> before = ProcessTable.openFdKinds();
        for (int i = 0; i < 20; i++) {
            ChildProcess child = CONTEXT.newProcess(() -> { });
            child.start();
            child.join();
        }
        settle();
        assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(before), "a pidfd no one asked for as a sentinel is closed at exit");
    }

    @Test
    void anExportedSentinelStaysOpenUntilClose() throws Exception {
        warmUp();
        List<String> before = ProcessTable.openFdKinds();
        ChildProcess child = CONTEXT.newProcess(() -> Thread.sleep(200));
        child.start();
        int sentinel = child.sentinel();
        assertEquals(sentinel, child.sentinel(), "the same fd every time");
        child.join(Duration.ofSeconds(30));
        assertEquals(sentinel, child.sentinel(), "still valid after the end");
        child.close();
        settle();
        assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(before), "open now: " + ProcessTable.openFds());
    }

    @Test
    void failedStartsLeakNoFd() throws Exception {
        warmUp();
        List<String> before = ProcessTable.openFdKinds();
        ProcessContext broken = CONTEXT.toBuilder().jvmOptions("-XX:+NoSuchOptionAnywhere").build();
        for (int i = 0; i < 5; i++) {
            try {
                broken.newProcess(() -> { }).start();
            } catch (ProcessStartException expected) {
                // what this test is about
            }
        }
        broken.awaitWarmSpares(Duration.ofSeconds(60)); // its failing boots in the background end too
        settle();
        assertEquals(List.of(), ProcessTable.fdKindsOpenedSince(before), "open now: " + ProcessTable.openFds());
    }
}
