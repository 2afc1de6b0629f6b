package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.SystemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many CPUs this process may actually use: the affinity mask, capped by a cgroup CPU quota
 * (v2 {@code cpu.max} at every level of our cgroup, or v1 {@code cpu.cfs_quota_us}), rounded up.
 */
public final class CpuCount {
    private CpuCount() {
    }

    public static int get() {
        int cpus = SystemInfo.affinityCpuCount();
        if (cpus <= 0) {
            cpus = SystemInfo.onlineCpuCount();
        }
        if (cpus <= 0) {
            cpus = Runtime.getRuntime().availableProcessors();
        }
        double quota = cgroupQuota();
        if (quota > 0) {
            cpus = (int) Math.min(cpus, Math.ceil(quota));
        }
        return Math.max(1, cpus);
    }

    /** CPUs allowed by the cgroup quota, or 0 when unlimited or unknown. */
    static double cgroupQuota() {
        try {
            Cgroups cgroups = Cgroups.ofThisProcess();
            if (cgroups == null) {
                return 0;
            }
            double limit = 0;
            for (Path level : cgroups.v2Levels()) {
                limit = min(limit, parseCpuMax(level.resolve("cpu.max"))); // any ancestor's cpu.max caps us too
            }
            String v1 = cgroups.v1Path("cpu");
            if (v1 != null) {
                limit = min(limit, cgroupV1Quota(v1));
            }
            return limit;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static double min(double a, double b) {
        return a <= 0 ? b : b <= 0 ? a : Math.min(a, b);
    }

    private static double parseCpuMax(Path file) {
        try {
            String[] fields = Files.readString(file).trim().split("\\s+");
            if (fields.length == 2 && !fields[0].equals("max")) {
                return Double.parseDouble(fields[0]) / Double.parseDouble(fields[1]);
            }
        } catch (IOException | RuntimeException e) {
            // no such controller here: no limit from this level
        }
        return 0;
    }

    private static double cgroupV1Quota(String relative) {
        for (String mount : new String[] {"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu"}) {
            for (String sub : new String[] {relative, "/"}) {
                Path dir = Path.of(mount + (sub.equals("/") ? "" : sub));
                try {
                    long quota = Long.parseLong(Files.readString(dir.resolve("cpu.cfs_quota_us")).trim());
                    long period = Long.parseLong(Files.readString(dir.resolve("cpu.cfs_period_us")).trim());
                    if (quota > 0 && period > 0) {
                        return (double) quota / period;
                    }
                    return 0;
                } catch (IOException | RuntimeException e) {
                    // try the next place
                }
            }
        }
        return 0;
    }
}
