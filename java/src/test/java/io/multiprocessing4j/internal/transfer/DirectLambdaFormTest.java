package io.multiprocessing4j.internal.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.ProcessTarget;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Java serialization of the library's own lambdas for another process of ours (a target that
 * captures objects, so not in the compact form): read back as direct calls, with no lambda class
 * spun, and as the same lambdas in every respect that shows.
 */
class DirectLambdaFormTest {
    private static final List<Object> RUN = new ArrayList<>();

    /** A lambda capturing its enclosing instance: its implementation is an instance method. */
    static final class Labelled implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String label = "mine";

        ProcessTarget target() {
            return () -> RUN.add(label);
        }
    }

    private static Object roundTrip(Object value) throws Exception {
        FdTransfer out = FdTransfer.forWriting();
        byte[] bytes = Serialization.serialize(value, out);
        out.releaseExported();
        return Serialization.deserialize(bytes, FdTransfer.forReading(new int[0]));
    }

    static void record(List<String> captured, int number) {
        RUN.add(captured.get(0) + number);
    }

    private static boolean isSpunLambda(Object value) {
        return value.getClass().isHidden() || value.getClass().isSynthetic();
    }

    @Test
    void aTargetCapturingObjectsIsReadBackAsADirectCall() throws Exception {
        List<String> captured = new ArrayList<>(List.of("x"));
        ProcessTarget target = () -> record(captured, 7);
        Object rebuilt = roundTrip(target);
        assertFalse(isSpunLambda(rebuilt), "a lambda class was spun: " + rebuilt.getClass());
        RUN.clear();
        ((ProcessTarget) rebuilt).run();
        assertEquals(List.of("x7"), RUN);
        Object again = roundTrip(rebuilt); // a direct call written again is the lambda it came from
        RUN.clear();
        ((ProcessTarget) again).run();
        assertEquals(List.of("x7"), RUN);
    }

    @Test
    void aPoolFunctionCapturingObjectsKeepsItsArgumentsAndErrors() throws Exception {
        List<Integer> offsets = new ArrayList<>(List.of(100));
        PoolFunction<Object, Object> add = value -> (Integer) value + offsets.get(0);
        @SuppressWarnings("unchecked")
        PoolFunction<Object, Object> rebuilt = (PoolFunction<Object, Object>) roundTrip(add);
        assertFalse(isSpunLambda(rebuilt));
        assertEquals(142, rebuilt.apply(42));
        Exception wrongType = org.junit.jupiter.api.Assertions.assertThrows(ClassCastException.class,
                () -> rebuilt.apply("not a number"));
        assertTrue(wrongType.getMessage() != null);
    }

    @Test
    void otherInterfacesAndInstanceLambdasStillComeBackWorking() throws Exception {
        List<String> captured = new ArrayList<>(List.of("s"));
        Supplier<String> supplier = (Supplier<String> & Serializable) () -> captured.get(0) + "!";
        @SuppressWarnings("unchecked")
        Supplier<String> copy = (Supplier<String>) roundTrip(supplier);
        assertEquals("s!", copy.get());
        RUN.clear();
        ((ProcessTarget) roundTrip(new Labelled().target())).run();
        assertEquals(List.of("mine"), RUN);
    }
}
