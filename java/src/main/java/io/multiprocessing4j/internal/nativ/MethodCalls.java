package io.multiprocessing4j.internal.nativ;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Peer of native/method_calls.c: a method called through JNI rather than {@link Method#invoke},
 * which on JDK 22 and later spins two or three classes for the first call of every method (some
 * 3 ms of a fresh child's life). For a child's target and a pool worker's first calls of a
 * function; reflection stays the way for everything else (JNI costs more per call once
 * reflection's own path is built).
 *
 * <p>JNI checks nothing: every argument is checked here against its parameter's type, and a call
 * this class cannot make exactly as the language would (a primitive that would need widening, an
 * argument of another type) is refused ({@link Prepared#call} returns {@link #REFUSED}), for the
 * caller to make it through reflection, which reports the mismatch.
 */
public final class MethodCalls {
    /** What {@link Prepared#call} returns when it does not make the call. */
    public static final Object REFUSED = new Object();
    /** JNI passes at most this many arguments. */
    private static final int MAX_ARGUMENTS = 255;

    private MethodCalls() {
    }

    private static native Object call0(Method method, Class<?> owner, Object receiver, Object[] arguments,
                                       byte[] kinds, boolean returnsVoid);

    /**
     * {@code method} (made accessible or not: JNI does not ask), ready to be called through JNI;
     * null if it cannot be: a primitive result, too many parameters.
     */
    public static Prepared prepare(Method method) {
        Class<?> result = method.getReturnType();
        Class<?>[] parameters = method.getParameterTypes();
        if ((result.isPrimitive() && result != void.class) || parameters.length > MAX_ARGUMENTS) {
            return null;
        }
        byte[] kinds = new byte[parameters.length];
        Class<?>[] accepted = new Class<?>[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            kinds[i] = (byte) kindOf(parameters[i]);
            accepted[i] = parameters[i].isPrimitive() ? boxOf(parameters[i]) : parameters[i];
        }
        return new Prepared(method, kinds, accepted, result == void.class);
    }

    /** A method and what its arguments must be. */
    public static final class Prepared {
        private final Method method;
        private final byte[] kinds;
        /** Per parameter, the class an argument must be an instance of (a primitive's box). */
        private final Class<?>[] accepted;
        private final boolean returnsVoid;
        private final boolean isStatic;
        /** Whether a static method's class is known to be initialized (JNI's call would not do it). */
        private volatile boolean ownerInitialized;

        private Prepared(Method method, byte[] kinds, Class<?>[] accepted, boolean returnsVoid) {
            this.method = method;
            this.kinds = kinds;
            this.accepted = accepted;
            this.returnsVoid = returnsVoid;
            this.isStatic = Modifier.isStatic(method.getModifiers());
        }

        /**
         * Calls the method on {@code receiver} (ignored when static) with {@code arguments}; what
         * it returns (null for void), or {@link #REFUSED} when an argument or the receiver is not
         * exactly what it takes (null included), for the caller to go through reflection. What
         * the method throws comes out as it is, not wrapped.
         */
        public Object call(Object receiver, Object[] arguments) {
            if (arguments.length != kinds.length || (!isStatic && !method.getDeclaringClass().isInstance(receiver))) {
                return REFUSED;
            }
            for (int i = 0; i < arguments.length; i++) {
                Object argument = arguments[i];
                if (argument == null ? kinds[i] != 'L' : !accepted[i].isInstance(argument)) {
                    return REFUSED;
                }
            }
            if (isStatic && !ownerInitialized) {
                initialize(method.getDeclaringClass()); // as invokestatic and reflection would
                ownerInitialized = true;
            }
            NativeLibrary.load();
            return call0(method, method.getDeclaringClass(), isStatic ? null : receiver, arguments, kinds, returnsVoid);
        }
    }

    /** Initializes {@code type} if it is not (its initializer's failure comes out as the language's). */
    private static void initialize(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new NoClassDefFoundError(type.getName()); // a hidden class, which no lambda calls into
        }
    }

    private static char kindOf(Class<?> type) {
        if (type == boolean.class) {
            return 'Z';
        } else if (type == char.class) {
            return 'C';
        } else if (type == byte.class) {
            return 'B';
        } else if (type == short.class) {
            return 'S';
        } else if (type == int.class) {
            return 'I';
        } else if (type == long.class) {
            return 'J';
        } else if (type == float.class) {
            return 'F';
        } else if (type == double.class) {
            return 'D';
        }
        return 'L';
    }

    /** The box of a primitive parameter type: the one class whose instances unbox to it as a lambda would. */
    private static Class<?> boxOf(Class<?> primitive) {
        switch (kindOf(primitive)) {
            case 'Z': return Boolean.class;
            case 'C': return Character.class;
            case 'B': return Byte.class;
            case 'S': return Short.class;
            case 'I': return Integer.class;
            case 'J': return Long.class;
            case 'F': return Float.class;
            default: return Double.class;
        }
    }
}
