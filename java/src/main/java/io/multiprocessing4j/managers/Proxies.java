package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;

/**
 * What the proxies share: the proxy class for each kind of shared object, timeouts as Python takes
 * them, and exceptions that need unwrapping.
 */
final class Proxies {
    private Proxies() {
    }

    /** The proxy of the right type for {@code handle}. */
    static Object proxyFor(ProxyHandle handle) {
        switch (handle.kind()) {
            case LIST: return new ListProxy<>(handle);
            case DICT: return new DictProxy<>(handle);
            case NAMESPACE: return new Namespace(handle);
            case VALUE: case TYPED_VALUE: return new ValueProxy<>(handle);
            case LOCK: case RLOCK: return new LockProxy(handle);
            case SEMAPHORE: case BOUNDED_SEMAPHORE: return new SemaphoreProxy(handle);
            case CONDITION: return new ConditionProxy(handle);
            case EVENT: return new EventProxy(handle);
            case BARRIER: return new BarrierProxy(handle);
            case QUEUE: case JOINABLE_QUEUE: return new QueueProxy<>(handle);
            case ARRAY: return new ArrayProxy<>(handle);
            case POOL: return new PoolProxy(handle);
            default: throw new IllegalStateException("no proxy for " + handle.kind());
        }
    }

    /** {@code timeout} in nanoseconds, saturated; negative is an error, as for the local primitives. */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return Durations.toNanos(timeout);
    }

    /** The {@link BrokenBarrierException} the server sent inside {@code failure}, or null. */
    static BrokenBarrierException brokenBarrier(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BrokenBarrierException) {
                BrokenBarrierException here = new BrokenBarrierException("the manager's barrier is broken");
                here.initCause(failure);
                return here;
            }
        }
        return null;
    }
}
