package io.multiprocessing4j.internal.transfer;

import io.multiprocessing4j.function.PoolBiFunction;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import io.multiprocessing4j.function.PoolInitializer;
import io.multiprocessing4j.function.PoolRunnable;
import io.multiprocessing4j.function.PoolStarFunction;
import io.multiprocessing4j.function.ProcessTarget;
import java.lang.invoke.SerializedLambda;
import java.util.List;

/**
 * The library's own functional interfaces (a process's target, a pool's tasks and initializer),
 * implemented by a {@link DirectCall} instead of a class LambdaMetafactory spins: a child's start
 * and a pool worker's first task skip that. Each keeps the lambda's serialized form, so that
 * serializing it again writes the lambda, exactly as the original would.
 */
final class DirectLambdas {
    private DirectLambdas() {
    }

    /** The interfaces known, each as its name, its method and the method's arity; see {@link #wrap}. */
    private static final String[][] SHAPES = {
        {ProcessTarget.class.getName(), "run()V", "0"},
        {PoolCallable.class.getName(), "call()Ljava/lang/Object;", "0"},
        {PoolRunnable.class.getName(), "run()V", "0"},
        {PoolInitializer.class.getName(), "initialize()V", "0"},
        {PoolFunction.class.getName(), "apply(Ljava/lang/Object;)Ljava/lang/Object;", "1"},
        {PoolBiFunction.class.getName(), "apply(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", "2"},
        {PoolStarFunction.class.getName(), "apply(Ljava/util/List;)Ljava/lang/Object;", "1"},
    };

    /**
     * {@code lambda} as its interface, called directly; null for an interface this does not know
     * or a call that cannot be made directly.
     */
    static Object of(Class<?> capturingClass, SerializedLambda lambda) {
        int shape = shapeOf(lambda);
        if (shape < 0) {
            return null;
        }
        DirectCall call = DirectCall.resolve(capturingClass, lambda, Integer.parseInt(SHAPES[shape][2]));
        return call == null ? null : wrap(shape, call);
    }

    /** Whether {@code lambda} implements one of the interfaces known here. */
    static boolean knows(SerializedLambda lambda) {
        return shapeOf(lambda) >= 0;
    }

    private static int shapeOf(SerializedLambda lambda) {
        String type = lambda.getFunctionalInterfaceClass().replace('/', '.');
        String method = lambda.getFunctionalInterfaceMethodName() + lambda.getFunctionalInterfaceMethodSignature();
        for (int shape = 0; shape < SHAPES.length; shape++) {
            if (SHAPES[shape][0].equals(type) && SHAPES[shape][1].equals(method)) {
                return shape;
            }
        }
        return -1;
    }

    /** A switch rather than constructor references: those would spin lambda classes, what this avoids. */
    private static Object wrap(int shape, DirectCall call) {
        switch (shape) {
            case 0: return new TargetCall(call);
            case 1: return new CallableCall(call);
            case 2: return new RunnableCall(call);
            case 3: return new InitializerCall(call);
            case 4: return new FunctionCall(call);
            case 5: return new BiFunctionCall(call);
            default: return new StarFunctionCall(call);
        }
    }

    /** What the wrappers share: the call, and the lambda they stand for when serialized again. */
    abstract static class Direct {
        final transient DirectCall call;

        Direct(DirectCall call) {
            this.call = call;
        }

        /** Serialized again (a worker passing its function on), it is the lambda it was built from. */
        final Object writeReplace() {
            return call.original;
        }
    }

    static final class TargetCall extends Direct implements ProcessTarget {
        private static final long serialVersionUID = 1L;

        TargetCall(DirectCall call) {
            super(call);
        }

        @Override
        public void run() throws Exception {
            call.invoke();
        }
    }

    static final class CallableCall extends Direct implements PoolCallable<Object> {
        private static final long serialVersionUID = 1L;

        CallableCall(DirectCall call) {
            super(call);
        }

        @Override
        public Object call() throws Exception {
            return call.invoke();
        }
    }

    static final class RunnableCall extends Direct implements PoolRunnable {
        private static final long serialVersionUID = 1L;

        RunnableCall(DirectCall call) {
            super(call);
        }

        @Override
        public void run() {
            try {
                call.invoke();
            } catch (Exception e) {
                throw DirectCall.<RuntimeException>rethrow(e); // what the lambda itself threw
            }
        }
    }

    static final class InitializerCall extends Direct implements PoolInitializer {
        private static final long serialVersionUID = 1L;

        InitializerCall(DirectCall call) {
            super(call);
        }

        @Override
        public void initialize() throws Exception {
            call.invoke();
        }
    }

    static final class FunctionCall extends Direct implements PoolFunction<Object, Object> {
        private static final long serialVersionUID = 1L;

        FunctionCall(DirectCall call) {
            super(call);
        }

        @Override
        public Object apply(Object argument) throws Exception {
            return call.invoke(argument);
        }
    }

    static final class BiFunctionCall extends Direct implements PoolBiFunction<Object, Object, Object> {
        private static final long serialVersionUID = 1L;

        BiFunctionCall(DirectCall call) {
            super(call);
        }

        @Override
        public Object apply(Object first, Object second) throws Exception {
            return call.invoke(first, second);
        }
    }

    static final class StarFunctionCall extends Direct implements PoolStarFunction<Object> {
        private static final long serialVersionUID = 1L;

        StarFunctionCall(DirectCall call) {
            super(call);
        }

        @Override
        public Object apply(List<?> arguments) throws Exception {
            return call.invoke(arguments);
        }
    }
}
