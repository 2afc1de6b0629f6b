package io.multiprocessing4j.pool;

import io.multiprocessing4j.support.ProcessTable;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the pool tests run in workers: static methods, so that no lambda captures a test instance. */
final class Tasks {
    private Tasks() {
    }

    /** The walkthrough's cube: the sum of i³ for i below {@code number}. */
    static long cube(int number) {
        long total = 0;
        for (long i = 0; i < number; i++) {
            total += i * i * i;
        }
        return total;
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** {@code value} after {@code millis} ms. */
    static int sleepThenReturn(int millis, int value) throws InterruptedException {
        Thread.sleep(millis);
        return value;
    }

    /** Sleeps far longer than any test waits (to be killed or timed out). */
    static long sleepForever() throws InterruptedException {
        Thread.sleep(Duration.ofMinutes(10).toMillis());
        return -1;
    }

    static int failOn13(int value) throws IOException {
        if (value == 13) {
            throw new IOException("thirteen is unlucky");
        }
        return value;
    }

    static int exitWith(int code) {
        System.exit(code);
        return code;
    }

    /** Returns {@code value} at once, except for {@code sleeper}: writes its pid to {@code marker}, then sleeps for ever. */
    static int sleepOn(int value, int sleeper, String marker) throws Exception {
        if (value == sleeper) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(marker), Long.toString(pid()));
            sleepForever();
        }
        return value;
    }

    /** How often this worker's initializer ran (set by {@link #initialize}). */
    static int initializations;
    /** A shared value the initializer received (as Python's initargs). */
    static io.multiprocessing4j.sharedctypes.SharedLong shared;

    static void initialize() {
        initializations++;
    }

    static void initializeWith(io.multiprocessing4j.sharedctypes.SharedLong value) {
        shared = value;
        value.incrementAndGet();
    }

    static long sharedValue() {
        return shared.get();
    }

    static void failToInitialize() {
        throw new IllegalStateException("no database");
    }

    /** An exception that cannot be serialized: it holds a thread. */
    static final class UnserializableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Thread holder = Thread.currentThread();

        UnserializableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static int throwUnserializable(int value) {
        throw new UnserializableException("cannot travel: " + value, new IllegalStateException("inner cause"));
    }

    /** A value that is not serializable. */
    static final class Opaque {
        final int value;

        Opaque(int value) {
            this.value = value;
        }
    }

    static Object opaqueResult(int value) {
        return value == 3 ? new Opaque(value) : value;
    }

    record Point(int x, int y) implements Serializable {
    }

    static Point mirror(Point point) {
        return new Point(point.y(), point.x());
    }

    /** Worker pids of a pool are the pool's children, running; none is after the pool ended. */
    static void assertAllGone(Collection<Long> pids) throws InterruptedException {
        List<Long> alive = new ArrayList<>();
        for (long pid : pids) {
            if (!ProcessTable.awaitGone(pid, Duration.ofSeconds(20))) {
                alive.add(pid);
            }
        }
        if (!alive.isEmpty()) {
            throw new AssertionError("workers still running: " + alive);
        }
    }
}
