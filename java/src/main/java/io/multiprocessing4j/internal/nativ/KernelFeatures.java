package io.multiprocessing4j.internal.nativ;

import java.util.ArrayList;
import java.util.List;

/**
 * Peer of native/kernel_features.c: which kernel calls newer than the 5.4 baseline the native
 * layer uses in this process, probed once when the library loaded.
 *
 * <p>Each has a fallback, taken where the kernel lacks the call or a seccomp filter refuses it.
 * The environment variable {@value #FORCE_VARIABLE} (a comma-separated list of {@link #names()})
 * forces fallbacks for testing; it is read by the native layer at load, so a child JVM, which
 * inherits the environment, takes the same paths as its parent.
 */
public final class KernelFeatures {
    /** The environment variable that forces fallbacks, read when the library loads. */
    public static final String FORCE_VARIABLE = "MULTIPROCESSING4J_FORCE_FALLBACKS";

    /** close_range(2), Linux 5.9; without it, a spawned child closes the parent's fds one by one. */
    public static final int CLOSE_RANGE = 1;

    /**
     * Pipes that honour RWF_NOWAIT in preadv2/pwritev2 (probed: newer kernels); without it, a
     * virtual thread's "don't wait" on a one-way pipe polls first and then reads, or writes at
     * most PIPE_BUF bytes, which can still wait when another process drains or fills the same pipe
     * in between.
     */
    public static final int PIPE_NOWAIT = 2;

    private static final String[] NAMES = {"close_range", "pipe_nowait"};

    private KernelFeatures() {
    }

    /** The mask of features in use (bits such as {@link #CLOSE_RANGE}). */
    public static int features() {
        NativeLibrary.load();
        return features0();
    }

    private static native int features0();

    /** Whether {@code feature} is in use, or its fallback is. */
    public static boolean inUse(int feature) {
        return (features() & feature) != 0;
    }

    /** The names of every feature with a fallback, as {@value #FORCE_VARIABLE} takes them. */
    public static List<String> names() {
        return List.of(NAMES);
    }

    /** The names of the features whose fallback this process takes. */
    public static List<String> fallbacksTaken() {
        List<String> taken = new ArrayList<>();
        int mask = features();
        for (int i = 0; i < NAMES.length; i++) {
            if ((mask & (1 << i)) == 0) {
                taken.add(NAMES[i]);
            }
        }
        return taken;
    }
}
