package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import io.multiprocessing4j.support.ReapChildren;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The warm method's settings: their defaults, their checks, and their way into a child's default context. */
@ExtendWith(ReapChildren.class)
class WarmSpareSettingsTest {

    /** The ceiling's rule for memory is SpareMemoryTest's; here, what it gives a machine of 4 GiB or more. */
    @Test
    void defaultsAreOneSpareAtLeastSixteenAtMostWithTheMemoryForThemAndThirtySecondsIdle() {
        ProcessContext context = ProcessContext.builder().build();
        assertEquals(1, context.warmSpares());
        long memory = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getTotalMemorySize();
        if (memory >= 4L << 30) {
            assertEquals(16, context.maxWarmSpares());
        } else {
            assertTrue(context.maxWarmSpares() >= 1 && context.maxWarmSpares() < 16, context.toString());
        }
        assertEquals(Duration.ofSeconds(30), context.spareIdleTimeout());
    }

    @Test
    void anUnsetCeilingRisesToTheFloor() {
        assertEquals(20, ProcessContext.builder().warmSpares(20).build().maxWarmSpares());
    }

    @Test
    void aDerivedContextsCeilingFollowsAHigherFloorUnlessItWasSet() {
        ProcessContext derived = ProcessContext.builder().build().toBuilder().warmSpares(20).build();
        assertEquals(20, derived.maxWarmSpares());
        ProcessContext capped = ProcessContext.builder().maxWarmSpares(8).build();
        assertEquals(8, capped.toBuilder().warmSpares(4).build().maxWarmSpares());
        assertThrows(IllegalArgumentException.class, () -> capped.toBuilder().warmSpares(9).build());
    }

    @Test
    void badSettingsAreRefusedWithTheirValues() {
        IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
                () -> ProcessContext.builder().warmSpares(4).maxWarmSpares(2).build());
        assertEquals("at most 2 warm spares, fewer than the 4 kept ready at least", below.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessContext.builder().maxWarmSpares(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessContext.builder().spareIdleTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ProcessContext.builder().spareIdleTimeout(null));
    }

    @Test
    void aChildInheritsTheSettings() throws Exception {
        ProcessContext context = ProcessContext.builder().warmSpares(2).maxWarmSpares(7)
                .spareIdleTimeout(Duration.ofMillis(1500)).build();
        ChildProcess child = context.newProcess(() -> {
            ProcessContext inherited = ProcessContext.defaultContext();
            boolean same = inherited.warmSpares() == 2 && inherited.spareIdleTimeout().equals(Duration.ofMillis(1500));
            System.exit(same ? inherited.maxWarmSpares() : 1);
        });
        child.start();
        child.join();
        assertEquals(OptionalInt.of(7), child.exitCode());
    }
}
