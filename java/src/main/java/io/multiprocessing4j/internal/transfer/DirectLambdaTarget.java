package io.multiprocessing4j.internal.transfer;

import io.multiprocessing4j.function.ProcessTarget;
import java.lang.invoke.MethodHandleInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link ProcessTarget} lambda rebuilt as a plain call of its implementation method with the
 * values it captured: for {@code run()}, that is all the lambda would do. Skipping
 * LambdaMetafactory saves a child several milliseconds of its start (it spins a class per lambda).
 *
 * <p>Only for what {@link LambdaCodec} ships (plain captured values). Returns null from
 * {@link #resolve} where the method cannot be reached (a module that is not open), so that the
 * caller falls back to {@code $deserializeLambda$}.
 */
final class DirectLambdaTarget implements ProcessTarget {
    private static final long serialVersionUID = 1L;

    private final transient Executable implementation;
    private final transient Object receiver;
    private final transient Object[] arguments;

    private DirectLambdaTarget(Executable implementation, Object receiver, Object[] arguments) {
        this.implementation = implementation;
        this.receiver = receiver;
        this.arguments = arguments;
    }

    /** The call the lambda stands for, or null if it cannot be made directly. */
    static ProcessTarget resolve(Class<?> capturingClass, int kind, String implClass, String implMethod,
                                 String implSignature, Object[] captured) {
        try {
            ClassLoader loader = capturingClass.getClassLoader();
            Class<?> owner = Class.forName(implClass.replace('/', '.'), false, loader);
            Class<?>[] parameters = parameterTypes(implSignature, loader);
            switch (kind) {
                case MethodHandleInfo.REF_invokeStatic: {
                    Method method = owner.getDeclaredMethod(implMethod, parameters);
                    method.setAccessible(true);
                    return parameters.length == captured.length ? new DirectLambdaTarget(method, null, captured) : null;
                }
                case MethodHandleInfo.REF_invokeVirtual:
                case MethodHandleInfo.REF_invokeInterface: {
                    // A bound method reference: the first captured value is the receiver.
                    if (captured.length != parameters.length + 1 || captured[0] == null) {
                        return null;
                    }
                    Method method = findMethod(owner, implMethod, parameters);
                    method.setAccessible(true);
                    return new DirectLambdaTarget(method, captured[0], Arrays.copyOfRange(captured, 1, captured.length));
                }
                case MethodHandleInfo.REF_newInvokeSpecial: {
                    Constructor<?> constructor = owner.getDeclaredConstructor(parameters);
                    constructor.setAccessible(true);
                    return parameters.length == captured.length ? new DirectLambdaTarget(constructor, null, captured) : null;
                }
                default:
                    return null;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreachable) {
            return null;
        }
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

    @Override
    public void run() throws Exception {
        try {
            if (implementation instanceof Method) {
                ((Method) implementation).invoke(receiver, arguments);
            } else {
                ((Constructor<?>) implementation).newInstance(arguments);
            }
        } catch (InvocationTargetException e) {
            throw DirectLambdaTarget.<Exception>rethrow(e.getCause());
        }
    }

    /** Rethrows what the target threw, checked or not, as the lambda itself would have. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable thrown) throws T {
        throw (T) thrown;
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
