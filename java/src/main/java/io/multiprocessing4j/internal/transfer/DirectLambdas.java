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

    /**
     * {@code lambda} as its interface, called directly; null for an interface this does not know
     * or a call that cannot be made directly.
     */
    static Object of(Class<?> capturingClass, SerializedLambda lambda) {
        String type = lambda.getFunctionalInterfaceClass().replace('/', '.');
        String method = lambda.getFunctionalInterfaceMethodName() + lambda.getFunctionalInterfaceMethodSignature();
        if (type.equals(ProcessTarget.class.getName()) && method.equals("run()V")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 0);
            return call == null ? null : new TargetCall(call);
        }
        if (type.equals(PoolCallable.class.getName()) && method.equals("call()Ljava/lang/Object;")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 0);
            return call == null ? null : new CallableCall(call);
        }
        if (type.equals(PoolRunnable.class.getName()) && method.equals("run()V")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 0);
            return call == null ? null : new RunnableCall(call);
        }
        if (type.equals(PoolInitializer.class.getName()) && method.equals("initialize()V")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 0);
            return call == null ? null : new InitializerCall(call);
        }
        if (type.equals(PoolFunction.class.getName()) && method.equals("apply(Ljava/lang/Object;)Ljava/lang/Object;")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 1);
            return call == null ? null : new FunctionCall(call);
        }
        if (type.equals(PoolBiFunction.class.getName())
                && method.equals("apply(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 2);
            return call == null ? null : new BiFunctionCall(call);
        }
        if (type.equals(PoolStarFunction.class.getName()) && method.equals("apply(Ljava/util/List;)Ljava/lang/Object;")) {
            DirectCall call = DirectCall.resolve(capturingClass, lambda, 1);
            return call == null ? null : new StarFunctionCall(call);
        }
        return null;
    }

    /** What the wrappers share: the call, and the lambda they stand for when serialized again. */
    private abstract static class Direct {
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
