package io.multiprocessing4j.internal.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.function.ProcessTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The compact lambda form: what it takes, what it refuses, and that it rebuilds exactly. */
class LambdaCodecTest {
    static final List<Object> SEEN = new ArrayList<>();

    static void record(Object... values) {
        SEEN.addAll(java.util.Arrays.asList(values));
    }

    private static void roundTrip(ProcessTarget target) throws Exception {
        byte[] encoded = LambdaCodec.encode(target);
        assertNotNull(encoded, "expected the compact form");
        SEEN.clear();
        ((ProcessTarget) LambdaCodec.decode(encoded, LambdaCodecTest.class.getClassLoader())).run();
    }

    @Test
    void everyPlainValueTypeArrivesIntact() throws Exception {
        boolean z = true;
        byte b = -3;
        short s = 1234;
        char c = 'λ';
        int i = Integer.MIN_VALUE;
        long j = Long.MAX_VALUE;
        float f = 1.5f;
        double d = Double.NaN;
        String text = "héllo";
        String nothing = null;
        roundTrip(() -> record(z, b, s, c, i, j, f, d, text, nothing));
        assertEquals(List.of(true, (byte) -3, (short) 1234, 'λ', Integer.MIN_VALUE, Long.MAX_VALUE, 1.5f, Double.NaN,
                "héllo"), SEEN.subList(0, 9));
        assertNull(SEEN.get(9));
    }

    @Test
    void stringsAndFloatingPointArriveBitForBit() throws Exception {
        String loneSurrogate = "a \ud800 b";
        String beyondTheBmp = "\ud83d\ude00";
        float oddFloatNan = Float.intBitsToFloat(0x7fc0_1234);
        double oddNan = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        double[] nans = {oddNan, -0.0};
        roundTrip(() -> record(loneSurrogate, beyondTheBmp, oddFloatNan, oddNan, nans));
        assertEquals(loneSurrogate, SEEN.get(0));
        assertEquals(beyondTheBmp, SEEN.get(1));
        assertEquals(0x7fc0_1234, Float.floatToRawIntBits((Float) SEEN.get(2)));
        assertEquals(0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits((Double) SEEN.get(3)));
        double[] got = (double[]) SEEN.get(4);
        assertEquals(0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits(got[0]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(got[1]));
    }

    @Test
    void primitiveArraysArriveIntact() throws Exception {
        byte[] bytes = {1, 2, 3};
        int[] ints = {4, 5};
        long[] longs = {6L};
        double[] doubles = {};
        roundTrip(() -> record(bytes, ints, longs, doubles));
        assertArrayEquals(bytes, (byte[]) SEEN.get(0));
        assertArrayEquals(ints, (int[]) SEEN.get(1));
        assertArrayEquals(longs, (long[]) SEEN.get(2));
        assertArrayEquals(doubles, (double[]) SEEN.get(3));
    }

    static void staticTarget() {
        record("static");
    }

    @Test
    void methodReferencesOfEveryKindWork() throws Exception {
        roundTrip(LambdaCodecTest::staticTarget);
        assertEquals(List.of("static"), SEEN);
        String receiver = "bound receiver";
        roundTrip(receiver::length); // a bound virtual call whose result is dropped, as run() would
        roundTrip(StringBuilder::new);
    }

    @Test
    void aProcessTargetIsRebuiltAsADirectCallNotThroughLambdaMetafactory() throws Exception {
        // Spinning a lambda class cost a child half a millisecond of its start; the library's own
        // interfaces are called directly instead (a target stopped being, unnoticed, when its
        // interface moved package).
        Object rebuilt = rebuild((ProcessTarget) LambdaCodecTest::staticTarget);
        assertFalse(rebuilt.getClass().isHidden(), rebuilt.getClass() + " was spun by LambdaMetafactory");
        int captured = 7;
        rebuilt = rebuild((ProcessTarget) () -> record(captured));
        assertFalse(rebuilt.getClass().isHidden(), rebuilt.getClass() + " was spun by LambdaMetafactory");
        SEEN.clear();
        ((ProcessTarget) rebuilt).run();
        assertEquals(List.of(7), SEEN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void poolFunctionsOfEveryShapeAreCalledDirectly() throws Exception {
        int offset = 10;
        PoolFunction<Integer, Integer> add = x -> x + offset;
        PoolFunction<String, Integer> length = String::length; // unbound: the argument is the receiver
        PoolFunction<Integer, Integer> absolute = Math::abs; // a primitive parameter, unboxed
        PoolBiFunction<Integer, Integer, Integer> times = (a, b) -> a * b;
        PoolStarFunction<Integer> count = List::size;
        PoolCallable<String> call = () -> "called " + offset;
        List<Object> rebuilt = new ArrayList<>();
        for (Object function : List.of(add, length, absolute, times, count, call)) {
            Object copy = rebuild(function);
            assertFalse(copy.getClass().isHidden(), function + " was spun by LambdaMetafactory");
            rebuilt.add(copy);
        }
        assertEquals(15, ((PoolFunction<Object, Object>) rebuilt.get(0)).apply(5));
        assertEquals(5, ((PoolFunction<Object, Object>) rebuilt.get(1)).apply("hello"));
        assertEquals(3, ((PoolFunction<Object, Object>) rebuilt.get(2)).apply(-3));
        assertEquals(42, ((PoolBiFunction<Object, Object, Object>) rebuilt.get(3)).apply(6, 7));
        assertEquals(3, ((PoolStarFunction<?>) rebuilt.get(4)).apply(List.of(1, 2, 3)));
        assertEquals("called 10", ((PoolCallable<?>) rebuilt.get(5)).call());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aWrongArgumentFailsAsTheLambdaWouldHave() throws Exception {
        PoolFunction<Integer, Integer> plusOne = x -> x + 1;
        PoolFunction<Integer, Integer> absolute = Math::abs;
        PoolFunction raw = (PoolFunction) rebuild(plusOne);
        assertThrows(ClassCastException.class, () -> raw.apply("not an Integer"));
        PoolFunction rawAbsolute = (PoolFunction) rebuild(absolute);
        assertThrows(NullPointerException.class, () -> rawAbsolute.apply(null));
        PoolFunction<String, Integer> length = String::length;
        PoolFunction rawLength = (PoolFunction) rebuild(length);
        assertThrows(NullPointerException.class, () -> rawLength.apply(null));
        // The same calls on the lambdas themselves, for the record of what they throw:
        PoolFunction original = plusOne;
        assertThrows(ClassCastException.class, () -> original.apply("not an Integer"));
        PoolFunction originalAbsolute = absolute;
        assertThrows(NullPointerException.class, () -> originalAbsolute.apply(null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDirectlyCalledFunctionSerializedAgainIsTheLambdaItWasBuiltFrom() throws Exception {
        int offset = 3;
        Object rebuilt = rebuild((PoolFunction<Integer, Integer>) x -> x * offset);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rebuilt);
        }
        Object again;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            again = in.readObject();
        }
        assertEquals(12, ((PoolFunction<Object, Object>) again).apply(4));
    }

    private static Object rebuild(Object function) throws Exception {
        byte[] encoded = LambdaCodec.encode(function);
        assertNotNull(encoded, "expected the compact form for " + function);
        return LambdaCodec.decode(encoded, LambdaCodecTest.class.getClassLoader());
    }

    @Test
    void classNamesOfALambdaAreItsCapturingAndImplementationClasses() {
        assertEquals(List.of(LambdaCodecTest.class.getName()),
                LambdaCodec.classNamesOf((ProcessTarget) LambdaCodecTest::staticTarget));
        assertEquals(List.of(LambdaCodecTest.class.getName(), NamedTarget.class.getName()),
                LambdaCodec.classNamesOf((ProcessTarget) NamedTarget::touch));
        assertEquals(List.of(NamedTarget.class.getName()), LambdaCodec.classNamesOf(new NamedTarget()));
        assertEquals(List.of(), LambdaCodec.classNamesOf("a JDK class"));
    }

    /** A class whose static state its initializer sets: a direct call must find it set. */
    static final class InitializedOnFirstCall {
        static final List<String> CALLS = new ArrayList<>(List.of("initialized"));

        static void called() {
            CALLS.add("called");
        }
    }

    @Test
    void aStaticTargetsClassIsInitializedBeforeItsMethodRuns() throws Exception {
        Object rebuilt = rebuild((ProcessTarget) InitializedOnFirstCall::called);
        ((ProcessTarget) rebuilt).run();
        assertEquals(List.of("initialized", "called"), InitializedOnFirstCall.CALLS);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aFunctionCalledManyTimesGivesTheSameResultsAndErrorsThroughout() throws Exception {
        // The first calls go through JNI, later ones through reflection: no call may tell them apart.
        PoolFunction<Integer, Integer> absolute = Math::abs;
        PoolFunction<String, Integer> length = String::length;
        PoolFunction rawAbsolute = (PoolFunction) rebuild(absolute);
        PoolFunction rawLength = (PoolFunction) rebuild(length);
        for (int call = 0; call < 3 * DirectCall.JNI_CALLS; call++) {
            assertEquals(call, rawAbsolute.apply(-call));
            assertEquals(call, rawLength.apply("x".repeat(call)));
            assertThrows(NullPointerException.class, () -> rawAbsolute.apply(null));
            assertThrows(ClassCastException.class, () -> rawAbsolute.apply(7L)); // a Long is no int, as for the lambda
            assertThrows(NullPointerException.class, () -> rawLength.apply(null));
        }
        PoolFunction original = absolute;
        assertThrows(ClassCastException.class, () -> original.apply(7L));
    }

    @Test
    void theTargetsExceptionsComeThroughUnwrapped() throws Exception {
        byte[] encoded = LambdaCodec.encode((ProcessTarget) () -> {
            throw new IOException("from the target");
        });
        ProcessTarget target = (ProcessTarget) LambdaCodec.decode(encoded, getClass().getClassLoader());
        IOException thrown = assertThrows(IOException.class, target::run);
        assertEquals("from the target", thrown.getMessage());
    }

    @Test
    void otherCapturedObjectsAndNonLambdasTakeJavaSerialization() {
        List<String> list = new ArrayList<>(List.of("a"));
        assertNull(LambdaCodec.encode((ProcessTarget) () -> record(list)), "a captured object that is not a plain value");
        assertNull(LambdaCodec.encode(new NamedTarget()), "not a lambda");
        Object self = this;
        assertNull(LambdaCodec.encode((ProcessTarget) () -> record(self)));
    }

    static final class NamedTarget implements ProcessTarget {
        @Override
        public void run() {
        }

        static void touch() {
        }
    }

    @Test
    void otherFunctionalInterfacesAreRebuiltThroughDeserializeLambda() throws Exception {
        int value = 42;
        Supplier<Integer> supplier = (Supplier<Integer> & Serializable) () -> value + 1;
        Object rebuilt = LambdaCodec.decode(LambdaCodec.encode(supplier), getClass().getClassLoader());
        @SuppressWarnings("unchecked")
        Supplier<Integer> copy = (Supplier<Integer>) rebuilt;
        assertEquals(43, copy.get());
    }

    @Test
    void corruptInputIsAClearErrorNeverAHugeAllocation() throws Exception {
        byte[] good = LambdaCodec.encode((ProcessTarget) () -> record("x"));
        assertThrows(StreamCorruptedException.class,
                () -> LambdaCodec.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, getClass().getClassLoader()));
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] mangled = good.clone();
            mangled[4 + random.nextInt(mangled.length - 4)] = (byte) random.nextInt();
            try {
                Object decoded = LambdaCodec.decode(mangled, getClass().getClassLoader());
                assertNotNull(decoded);
            } catch (IOException | ClassNotFoundException | LinkageError | IllegalArgumentException expected) {
                // a clear refusal is what corruption must get
            }
        }
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertThrows(IOException.class, () -> LambdaCodec.decode(truncated, getClass().getClassLoader()));
        assertSame(null, LambdaCodec.encode(new Object()));
    }
}
