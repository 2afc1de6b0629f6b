package io.multiprocessing4j.internal.nativ;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.CacheDirectories;

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
        return new SystemCallException(call, errno, shown, describe(errno), advice(call, errno));
    }

    /**
     * What an error means where the bare errno would not say why, and what to do; null for every
     * other call and error.
     */
    static String advice(String call, int errno) {
        if (errno == Errno.E2BIG && call.startsWith("execve")) {
            return "the command line and environment of a child JVM are longer than the kernel takes (one"
                    + " string at most 128 KiB, all together a quarter of the stack size limit); an option or"
                    + " class path longer than 32 KiB goes to an argument file in the cache directory"
                    + " (-D" + CacheDirectories.PROPERTY + "), so either none"
                    + " could be written there or the environment is too large";
        }
        return pidfdAdvice(call, errno);
    }

    /**
     * What a refused pidfd call means, for the one place users meet it: a container whose seccomp
     * profile predates pidfds (Docker before 20.10 answers EPERM for calls it does not list), or a
     * kernel before 5.3 (ENOSYS). Every child is tracked through a pidfd, so nothing starts there.
     */
    private static String pidfdAdvice(String call, int errno) {
        boolean open = call.startsWith("pidfd_open");
        // EPERM from pidfd_send_signal can also be the kernel's own answer (a process of another user).
        boolean missing = errno == Errno.ENOSYS && (open || call.startsWith("pidfd_send_signal"));
        if (!(open && errno == Errno.EPERM) && !missing) {
            return null;
        }
        String need = "multiprocessing4j tracks its children through pidfds (pidfd_open, pidfd_send_signal,"
                + " waitid(P_PIDFD): Linux 5.4 or newer)";
        if (errno == Errno.ENOSYS) {
            return "the call is missing from this kernel (Linux " + System.getProperty("os.version", "?")
                    + ") or refused by a seccomp filter; " + need;
        }
        return "a seccomp filter refuses the call, as the default profiles of container runtimes older than"
                + " pidfds do (Docker before 20.10); " + need + ": allow them, with a newer runtime or a seccomp"
                + " profile that lists them";
    }

    /** For results only a bug can produce: an IllegalStateException caused by the call's exception. */
    static IllegalStateException bug(String call, int result) {
        return new IllegalStateException(exception(call, -result));
    }
}
