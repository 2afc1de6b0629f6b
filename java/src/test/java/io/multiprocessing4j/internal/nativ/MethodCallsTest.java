package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Calls through JNI: every primitive unboxed as the language would, results and exceptions as
 * they are, and nothing passed to JNI that is not exactly what the method takes (refused, for the
 * caller to go through reflection).
 */
class MethodCallsTest {
    static final List<Object> SEEN = new ArrayList<>();

    static String everyKind(boolean z, char c, byte b, short s, int i, long j, float f, double d, String text) {
        return z + " " + c + " " + b + " " + s + " " + i + " " + j + " " + f + " " + d + " " + text;
    }

    static void record(Object value) {
        SEEN.add(value);
    }

    static void fails() throws IOException {
        throw new IOException("from the method");
    }

    static int primitiveResult() {
        return 1;
    }

    private final String name = "receiver";

    String greet(String whom) {
        return name + " greets " + whom;
    }

    private static Method method(String name, Class<?>... parameters) throws NoSuchMethodException {
        return MethodCallsTest.class.getDeclaredMethod(name, parameters);
    }

    @Test
    void everyPrimitiveArrivesAsTheLanguageWouldPassIt() throws Exception {
        MethodCalls.Prepared prepared = MethodCalls.prepare(method("everyKind", boolean.class, char.class, byte.class,
                short.class, int.class, long.class, float.class, double.class, String.class));
        assertNotNull(prepared);
        Object[] arguments = {true, 'λ', (byte) -3, (short) 1234, Integer.MIN_VALUE, Long.MAX_VALUE, 1.5f, Double.NaN,
            "text"};
        assertEquals(everyKind(true, 'λ', (byte) -3, (short) 1234, Integer.MIN_VALUE, Long.MAX_VALUE, 1.5f, Double.NaN,
                "text"), prepared.call(null, arguments));
    }

    @Test
    void aVoidMethodRunsAndReturnsNull() throws Exception {
        SEEN.clear();
        assertNull(MethodCalls.prepare(method("record", Object.class)).call(null, new Object[] {"value"}));
        assertEquals(List.of("value"), SEEN);
    }

    @Test
    void anInstanceMethodIsCalledOnItsReceiver() throws Exception {
        MethodCalls.Prepared prepared = MethodCalls.prepare(method("greet", String.class));
        assertEquals("receiver greets you", prepared.call(this, new Object[] {"you"}));
        assertSame(MethodCalls.REFUSED, prepared.call("not a MethodCallsTest", new Object[] {"you"}));
        assertSame(MethodCalls.REFUSED, prepared.call(null, new Object[] {"you"}));
    }

    @Test
    void whatTheMethodThrowsComesOutUnwrapped() throws Exception {
        IOException thrown = assertThrows(IOException.class,
                () -> MethodCalls.prepare(method("fails")).call(null, new Object[0]));
        assertEquals("from the method", thrown.getMessage());
    }

    @Test
    void anArgumentThatIsNotExactlyWhatTheMethodTakesIsRefused() throws Exception {
        MethodCalls.Prepared prepared = MethodCalls.prepare(method("everyKind", boolean.class, char.class, byte.class,
                short.class, int.class, long.class, float.class, double.class, String.class));
        Object[] good = {true, 'c', (byte) 1, (short) 2, 3, 4L, 5f, 6d, "text"};
        Object[] widened = good.clone();
        widened[5] = 4; // an Integer where a long goes: reflection widens it, the lambda would not
        Object[] nullPrimitive = good.clone();
        nullPrimitive[4] = null;
        Object[] wrongReference = good.clone();
        wrongReference[8] = 42;
        for (Object[] arguments : List.of(widened, nullPrimitive, wrongReference, new Object[] {true})) {
            assertSame(MethodCalls.REFUSED, prepared.call(null, arguments));
        }
        Object[] nullReference = good.clone();
        nullReference[8] = null;
        assertEquals(everyKind(true, 'c', (byte) 1, (short) 2, 3, 4L, 5f, 6d, null), prepared.call(null, nullReference));
    }

    @Test
    void aMethodWithAPrimitiveResultIsLeftToReflection() throws Exception {
        assertNull(MethodCalls.prepare(method("primitiveResult")));
    }
}
