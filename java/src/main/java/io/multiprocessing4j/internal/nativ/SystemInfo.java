package io.multiprocessing4j.internal.nativ;

/** Binding for native/sysinfo.c. */
public final class SystemInfo {
    static {
        NativeLibrary.load();
    }

    private SystemInfo() {
    }

    /** CPUs in this process's affinity mask, or -errno. */
    public static native int affinityCpuCount();

    /** CPUs online, or -errno. */
    public static native int onlineCpuCount();
}
