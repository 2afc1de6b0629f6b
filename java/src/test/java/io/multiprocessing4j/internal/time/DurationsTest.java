package io.multiprocessing4j.internal.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one saturation rule: negative is zero, overlong is FOREVER, deadlines compare as differences. */
class DurationsTest {
    @Test
    void negativeTimeoutsCountAsZero() {
        assertEquals(0, Durations.toNanos(Duration.ofNanos(-1)));
        assertEquals(0, Durations.toNanos(Duration.ofSeconds(Long.MIN_VALUE)));
        assertEquals(0, Durations.toNanos(-5, TimeUnit.SECONDS));
        assertEquals(0, Durations.toNanos(Long.MIN_VALUE, TimeUnit.DAYS));
    }

    @Test
    void ordinaryTimeoutsAreExact() {
        assertEquals(0, Durations.toNanos(Duration.ZERO));
        assertEquals(1_500_000_000L, Durations.toNanos(Duration.ofMillis(1500)));
        assertEquals(7, Durations.toNanos(7, TimeUnit.NANOSECONDS));
        assertEquals(Long.MAX_VALUE, Durations.toNanos(Duration.ofNanos(Long.MAX_VALUE)));
    }

    @Test
    void overlongTimeoutsSaturateToForever() {
        assertEquals(Durations.FOREVER, Durations.toNanos(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)));
        assertEquals(Durations.FOREVER, Durations.toNanos(ChronoUnit.FOREVER.getDuration()));
        assertEquals(Durations.FOREVER, Durations.toNanos(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Durations.FOREVER, Durations.toNanos(Long.MAX_VALUE, TimeUnit.DAYS));
    }

    @Test
    void nullIsAnError() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Durations.toNanos(null));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Durations.toNanos(1, null));
    }

    @Test
    void aDeadlineAtForeverStaysInTheFutureThoughTheSumWraps() {
        long deadline = Durations.deadline(Durations.FOREVER);
        long left = Durations.remaining(deadline);
        assertTrue(left > Long.MAX_VALUE / 2, "remaining " + left);
    }

    @Test
    void aPassedDeadlineLeavesZero() {
        long deadline = Durations.deadline(0);
        assertEquals(0, Durations.remaining(deadline - 1_000_000));
        assertEquals(0, Durations.remaining(Durations.deadline(-5)));
    }

    @Test
    void pollMillisRoundUpAndSaturate() {
        assertEquals(0, Durations.toPollMillis(0));
        assertEquals(1, Durations.toPollMillis(1));
        assertEquals(1, Durations.toPollMillis(1_000_000));
        assertEquals(2, Durations.toPollMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, Durations.toPollMillis(Durations.FOREVER - 1));
        assertEquals(-1, Durations.toPollMillis(Durations.FOREVER));
        assertEquals(-1, Durations.toPollMillis(-1));
    }
}
