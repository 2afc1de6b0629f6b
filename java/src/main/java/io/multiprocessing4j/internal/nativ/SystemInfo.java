package io.multiprocessing4j.internal.nativ;

/** Binding for native/system_info.c. */
public final class SystemInfo {
    private SystemInfo() {
    }

    /** CPUs in this process's affinity mask, or -errno. */
    public static int affinityCpuCount() {
        NativeLibrary.load();
        return affinityCpuCount0();
    }

    private static native int affinityCpuCount0();

    /** CPUs online, or -errno. */
    public static int onlineCpuCount() {
        NativeLibrary.load();
        return onlineCpuCount0();
    }

    private static native int onlineCpuCount0();
}
