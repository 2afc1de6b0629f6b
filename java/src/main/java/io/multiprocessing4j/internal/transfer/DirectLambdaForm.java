package io.multiprocessing4j.internal.transfer;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;

/**
 * A serializable lambda of the library's own interfaces (a target, a pool's initializer or
 * function) as Java serialization writes it for another process of ours ({@link Serialization}):
 * the fields of its {@link SerializedLambda}, read back as a {@link DirectLambdas direct call}
 * (or, for a shape it cannot call directly, through {@code $deserializeLambda$} after all).
 * Java serialization's own form is rebuilt through the capturing class's
 * {@code $deserializeLambda$}, whose LambdaMetafactory spins a class for every lambda: 1.5 ms of a
 * warm child's start when its target captures a lock or a queue (which keeps it out of the compact
 * form of {@link LambdaCodec}).
 *
 * <p>Written only for a capturing class that the library may reach by reflection (the class path,
 * or a package open to it), so that the reader's direct call can be made; captured values are
 * written and read as any other objects of the graph (fds travel beside it, see {@link FdTransfer}).
 */
final class DirectLambdaForm implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Class<?> capturingClass;
    private final String functionalInterfaceClass;
    private final String functionalInterfaceMethodName;
    private final String functionalInterfaceMethodSignature;
    private final int implMethodKind;
    private final String implClass;
    private final String implMethodName;
    private final String implMethodSignature;
    private final String instantiatedMethodType;
    private final Object[] capturedArgs;

    private DirectLambdaForm(Class<?> capturingClass, SerializedLambda lambda) {
        this.capturingClass = capturingClass;
        this.functionalInterfaceClass = lambda.getFunctionalInterfaceClass();
        this.functionalInterfaceMethodName = lambda.getFunctionalInterfaceMethodName();
        this.functionalInterfaceMethodSignature = lambda.getFunctionalInterfaceMethodSignature();
        this.implMethodKind = lambda.getImplMethodKind();
        this.implClass = lambda.getImplClass();
        this.implMethodName = lambda.getImplMethodName();
        this.implMethodSignature = lambda.getImplMethodSignature();
        this.instantiatedMethodType = lambda.getInstantiatedMethodType();
        this.capturedArgs = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < capturedArgs.length; i++) {
            capturedArgs[i] = lambda.getCapturedArg(i);
        }
    }

    /** What to write for {@code lambda}: this form where a direct call can be made of it, else the lambda itself. */
    static Object replacing(SerializedLambda lambda) {
        if (!DirectLambdas.knows(lambda)) {
            return lambda;
        }
        Class<?> capturing = reachableClass(lambda.getCapturingClass().replace('/', '.'));
        return capturing == null ? lambda : new DirectLambdaForm(capturing, lambda);
    }

    /** The capturing class, if reflection from the library may reach into its package; else null. */
    private static Class<?> reachableClass(String name) {
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(),
            DirectLambdaForm.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            try {
                Class<?> type = Class.forName(name, false, loader);
                return type.getModule().isOpen(type.getPackageName(), DirectLambdaForm.class.getModule())
                        ? type : null;
            } catch (ClassNotFoundException | LinkageError notThere) {
                // the next loader may know it
            }
        }
        return null;
    }

    private Object readResolve() throws ObjectStreamException {
        if (capturingClass == null || implClass == null || implMethodName == null || capturedArgs == null) {
            throw new InvalidObjectException("a lambda without its capturing class or implementation");
        }
        SerializedLambda lambda = new SerializedLambda(capturingClass, functionalInterfaceClass,
                functionalInterfaceMethodName, functionalInterfaceMethodSignature, implMethodKind, implClass,
                implMethodName, implMethodSignature, instantiatedMethodType, capturedArgs.clone());
        try {
            return LambdaCodec.rebuild(capturingClass, lambda);
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw (InvalidObjectException) new InvalidObjectException("cannot rebuild " + implClass + "."
                    + implMethodName + ": " + e).initCause(e);
        }
    }
}
