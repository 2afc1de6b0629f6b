package io.multiprocessing4j.internal.nativ;

/**
 * Peer of native/process_exit.c: {@code _exit(2)}, without the JVM's exit sequence, and a read of
 * the JDK's private tables that tell whether that sequence would have anything to do.
 */
public final class ProcessExit {
    private ProcessExit() {
    }

    private static native void exitNow0(int status);

    private static native Object staticObjectField0(Class<?> owner, String name, String signature);

    private static native Object staticObjectCall0(Class<?> owner, String name, String signature);

    /**
     * Ends this process with {@code status} at once: no shutdown hook, no JVM exit-time action,
     * no flush of Java streams. The caller has done whatever had to happen before.
     */
    public static void exitNow(int status) {
        NativeLibrary.load();
        exitNow0(status);
    }

    /**
     * The value of {@code owner}'s static field {@code name} of type {@code signature} (a JNI
     * type signature, such as {@code Ljava/util/IdentityHashMap;}), read whatever its access and
     * whatever its module opens: for the JDK's tables of what its exit would run, which a child
     * reads before ending at once. Initializes {@code owner} if it was not.
     *
     * @throws NoSuchFieldError if {@code owner} has no such field (a JDK that moved it)
     */
    public static Object staticObjectField(Class<?> owner, String name, String signature) {
        NativeLibrary.load();
        return staticObjectField0(owner, name, signature);
    }

    /**
     * What {@code owner}'s static method {@code name} of type {@code signature} (a JNI method
     * signature with no parameters, such as {@code ()[Ljava/lang/String;}) returns, called
     * whatever its access and whatever its module exports: for the JVM's own list of its options.
     *
     * @throws NoSuchMethodError if {@code owner} has no such method (a JDK that moved it)
     */
    public static Object staticObjectCall(Class<?> owner, String name, String signature) {
        NativeLibrary.load();
        return staticObjectCall0(owner, name, signature);
    }
}
