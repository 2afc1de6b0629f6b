package io.multiprocessing4j.hazelcast.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multiprocessing4j.function.PoolFunction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A lambda that captures nothing is encoded once; one that captures is encoded each time, with what it holds now. */
class FunctionsTest {

    private static PoolFunction<Integer, Integer> adding(int n) {
        return x -> x + n;
    }

    private static PoolFunction<Integer, Integer> doubling() {
        return x -> 2 * x;
    }

    @Test
    void onlyLambdasThatCaptureNothingAreEncodedOnce() throws Exception {
        assertSame(Functions.encode(doubling()), Functions.encode(doubling()));
        byte[] one = Functions.encode(adding(1));
        byte[] two = Functions.encode(adding(2));
        assertFalse(Arrays.equals(one, two));
        @SuppressWarnings("unchecked")
        PoolFunction<Integer, Integer> decoded = (PoolFunction<Integer, Integer>) Functions.decode(two);
        assertEquals(12, decoded.apply(10));
    }

    @Test
    void aFunctionThatCannotBeSerializedIsRefused() {
        Object notSerializable = new Object();
        java.util.function.Function<Integer, Integer> plain = x -> x + notSerializable.hashCode();
        assertThrows(IllegalArgumentException.class, () -> Functions.encode(plain));
    }
}
