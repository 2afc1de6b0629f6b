package io.multiprocessing4j.internal.transfer;

import io.multiprocessing4j.internal.nativ.MethodCalls;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * What a serializable lambda does when called: its implementation method, called with the values
 * it captured and then the call's own arguments. {@link DirectLambdas} wraps one in the lambda's
 * interface; a child or pool worker then skips LambdaMetafactory, which spins a class per lambda
 * (about half a millisecond of a fresh JVM's time, on every start).
 *
 * <p>For the lambdas {@link LambdaCodec} ships (plain captured values, carried fds) and those
 * Java serialization ships as a {@link DirectLambdaForm} (any captured objects). {@link #resolve}
 * returns null where the method cannot be reached (a module that is not open) or the shape is not
 * one it knows, so that the caller falls back to {@code $deserializeLambda$}.
 *
 * <p>Its first {@value #JNI_CALLS} calls of a method go through JNI ({@link MethodCalls}): on JDK
 * 22 and later, reflection's first call of a method spins classes for it (some 3 ms of a child's
 * start, for a target that runs once). Later calls (a pool function's) go through reflection,
 * whose path, once built, costs less per call.
 */
final class DirectCall {
    /** Calls of a method made through JNI before reflection takes over. */
    static final int JNI_CALLS = 16;

    private final Executable implementation;
    /** The implementation, when a method JNI can call; else null. */
    private final MethodCalls.Prepared throughJni;
    /** Calls made through JNI so far (a race only moves the switch to reflection by a call or two). */
    private int jniCalls;
    /** A bound method reference's receiver (the first captured value), or null. */
    private final Object receiver;
    /** An unbound method reference ({@code String::length}): the receiver is the call's first argument. */
    private final boolean receiverFirst;
    private final Object[] captured;
    /** The lambda as Java serialization knows it: what a rebuilt function writes if serialized again. */
    final SerializedLambda original;

    private DirectCall(Executable implementation, Object receiver, boolean receiverFirst, Object[] captured,
                       SerializedLambda original) {
        this.implementation = implementation;
        this.throughJni = implementation instanceof Method ? MethodCalls.prepare((Method) implementation) : null;
        this.receiver = receiver;
        this.receiverFirst = receiverFirst;
        this.captured = captured;
        this.original = original;
    }

    /**
     * The call {@code lambda} stands for, given that its interface method takes {@code arity}
     * arguments; null if it cannot be made directly.
     */
    static DirectCall resolve(Class<?> capturingClass, SerializedLambda lambda, int arity) {
        try {
            ClassLoader loader = capturingClass.getClassLoader();
            Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            Class<?>[] parameters = parameterTypes(lambda.getImplMethodSignature(), loader);
            Object[] values = new Object[lambda.getCapturedArgCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = lambda.getCapturedArg(i);
            }
            String name = lambda.getImplMethodName();
            switch (lambda.getImplMethodKind()) {
                case MethodHandleInfo.REF_invokeStatic: {
                    if (parameters.length != values.length + arity) {
                        return null;
                    }
                    Method method = owner.getDeclaredMethod(name, parameters);
                    method.setAccessible(true);
                    return new DirectCall(method, null, false, values, lambda);
                }
                case MethodHandleInfo.REF_invokeVirtual:
                case MethodHandleInfo.REF_invokeInterface: {
                    Method method = findMethod(owner, name, parameters);
                    method.setAccessible(true);
                    if (values.length > 0 && values[0] != null && parameters.length == values.length - 1 + arity) {
                        Object[] rest = new Object[values.length - 1];
                        System.arraycopy(values, 1, rest, 0, rest.length);
                        return new DirectCall(method, values[0], false, rest, lambda); // bound: receiver::method
                    }
                    if (values.length == 0 && arity >= 1 && parameters.length == arity - 1) {
                        return new DirectCall(method, null, true, values, lambda); // unbound: Type::method
                    }
                    return null;
                }
                case MethodHandleInfo.REF_newInvokeSpecial: {
                    if (parameters.length != values.length + arity) {
                        return null;
                    }
                    Constructor<?> constructor = owner.getDeclaredConstructor(parameters);
                    constructor.setAccessible(true);
                    return new DirectCall(constructor, null, false, values, lambda);
                }
                default:
                    return null;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreachable) {
            return null;
        }
    }

    /** Calls the implementation with the captured values and then {@code arguments}; what it threw, unwrapped. */
    Object invoke(Object... arguments) throws Exception {
        Object target = receiver;
        Object[] all;
        if (receiverFirst) {
            target = arguments[0];
            all = new Object[arguments.length - 1];
            System.arraycopy(arguments, 1, all, 0, all.length);
        } else if (arguments.length == 0) {
            all = captured;
        } else {
            all = new Object[captured.length + arguments.length];
            System.arraycopy(captured, 0, all, 0, captured.length);
            System.arraycopy(arguments, 0, all, captured.length, arguments.length);
        }
        if (throughJni != null && jniCalls < JNI_CALLS) {
            jniCalls++;
            Object result = throughJni.call(target, all);
            if (result != MethodCalls.REFUSED) {
                return result;
            } // an argument it does not take as it is: reflection converts it, or says what is wrong
        }
        try {
            if (implementation instanceof Method) {
                return ((Method) implementation).invoke(target, all);
            }
            return ((Constructor<?>) implementation).newInstance(all);
        } catch (InvocationTargetException e) {
            throw DirectCall.<Exception>rethrow(e.getCause());
        } catch (IllegalArgumentException mismatch) {
            // Reflection's own complaint about an argument (the implementation's exceptions come
            // wrapped, above): thrown as the lambda would have thrown it.
            throw asTheLambdaWould(target, all, mismatch);
        }
    }

    /**
     * What a lambda throws for an argument its implementation cannot take: NullPointerException
     * for a null where a primitive (or a receiver) is wanted, ClassCastException for the wrong type.
     */
    private RuntimeException asTheLambdaWould(Object target, Object[] arguments, IllegalArgumentException mismatch) {
        Class<?>[] parameters = implementation.getParameterTypes();
        boolean nullForPrimitive = implementation instanceof Method && !Modifier.isStatic(implementation.getModifiers())
                && target == null;
        for (int i = 0; i < parameters.length && i < arguments.length; i++) {
            nullForPrimitive |= parameters[i].isPrimitive() && arguments[i] == null;
        }
        RuntimeException thrown = nullForPrimitive ? new NullPointerException(mismatch.getMessage())
                : new ClassCastException(mismatch.getMessage());
        thrown.initCause(mismatch);
        return thrown;
    }

    /** Rethrows what the implementation threw, checked or not, as the lambda itself would have. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T rethrow(Throwable thrown) throws T {
        throw (T) thrown;
    }

    private static Method findMethod(Class<?> owner, String name, Class<?>[] parameters) throws NoSuchMethodException {
        for (Class<?> type = owner; type != null; type = type.getSuperclass()) {
            try {
                return type.getDeclaredMethod(name, parameters);
            } catch (NoSuchMethodException next) {
                // inherited: look further up
            }
        }
        return owner.getMethod(name, parameters);
    }

    /** The parameter classes of a method descriptor such as {@code (I[JLjava/lang/String;)V}. */
    static Class<?>[] parameterTypes(String descriptor, ClassLoader loader) throws ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        int i = 1;
        while (descriptor.charAt(i) != ')') {
            int start = i;
            while (descriptor.charAt(i) == '[') {
                i++;
            }
            if (descriptor.charAt(i) == 'L') {
                i = descriptor.indexOf(';', i);
            }
            i++;
            types.add(typeOf(descriptor.substring(start, i), loader));
        }
        return types.toArray(new Class<?>[0]);
    }

    private static Class<?> typeOf(String type, ClassLoader loader) throws ClassNotFoundException {
        switch (type) {
            case "Z": return boolean.class;
            case "B": return byte.class;
            case "S": return short.class;
            case "C": return char.class;
            case "I": return int.class;
            case "J": return long.class;
            case "F": return float.class;
            case "D": return double.class;
            default:
                String name = type.startsWith("L") ? type.substring(1, type.length() - 1) : type;
                return Class.forName(name.replace('/', '.'), false, loader);
        }
    }
}
