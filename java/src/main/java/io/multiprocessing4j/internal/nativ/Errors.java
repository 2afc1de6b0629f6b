package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.SystemCallException;

/** Turns the native layer's {@code -errno} results into {@link SystemCallException}s. */
public final class Errors {
    private Errors() {
    }

    private static String describe(int errno) {
        NativeLibrary.load();
        return describe0(errno);
    }

    private static native String describe0(int errno);

    private static String name(int errno) {
        NativeLibrary.load();
        return name0(errno);
    }

    private static native String name0(int errno);

    /** Returns {@code result} when it is not negative; otherwise throws naming {@code call}. */
    public static int check(int result, String call) throws SystemCallException {
        if (result < 0) {
            throw exception(call, -result);
        }
        return result;
    }

    public static SystemCallException exception(String call, int errno) {
        String symbolic = name(errno);
        return new SystemCallException(call, errno, symbolic != null ? symbolic : "errno " + errno, describe(errno));
    }
}
