package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.SystemCallException;

/**
 * Turns the native layer's {@code -errno} results into exceptions, for the peers of this package.
 *
 * <p>The peers' one style: a method returns what the call returns; an outcome that is not a
 * failure (would block, timed out, the word held another value, no such process, already exists)
 * is a named constant of the peer or a boolean, so that hot paths allocate nothing; every other
 * result throws a {@link SystemCallException} naming the call and the errno ({@link PeerGoneException}
 * for a vanished peer). Where only a bug can cause the error (a futex or semaphore word outside its
 * mapping), the peer throws {@link IllegalStateException} with that exception as its cause.
 */
final class Errors {
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
    static int check(int result, String call) throws SystemCallException {
        if (result < 0) {
            throw exception(call, -result);
        }
        return result;
    }

    /** {@link #check(int, String)} for the calls that count in 64 bits. */
    static long check(long result, String call) throws SystemCallException {
        if (result < 0) {
            throw exception(call, (int) -result);
        }
        return result;
    }

    /** The exception for {@code errno} reported by {@code call}. */
    static SystemCallException exception(String call, int errno) {
        String symbolic = name(errno);
        String shown = symbolic != null ? symbolic : "errno " + errno;
        if (errno == Errno.EPIPE || errno == Errno.ECONNRESET) {
            return new PeerGoneException(call, errno, shown, describe(errno));
        }
        return new SystemCallException(call, errno, shown, describe(errno));
    }

    /** For results only a bug can produce: an IllegalStateException caused by the call's exception. */
    static IllegalStateException bug(String call, int result) {
        return new IllegalStateException(exception(call, -result));
    }
}
