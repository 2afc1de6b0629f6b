package io.multiprocessing4j.internal.nativ;

/** Peer of native/system_info.c. */
public final class SystemInfo {
    /** What a count is when the call failed: the caller falls back to another source. */
    public static final int UNKNOWN = 0;

    private SystemInfo() {
    }

    private static native int affinityCpuCount0();

    private static native int onlineCpuCount0();

    /** CPUs in this process's affinity mask, or {@link #UNKNOWN}. */
    public static int affinityCpuCount() {
        NativeLibrary.load();
        return Math.max(UNKNOWN, affinityCpuCount0());
    }

    /** CPUs online, or {@link #UNKNOWN}. */
    public static int onlineCpuCount() {
        NativeLibrary.load();
        return Math.max(UNKNOWN, onlineCpuCount0());
    }
}
