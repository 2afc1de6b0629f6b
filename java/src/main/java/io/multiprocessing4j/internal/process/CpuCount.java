package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.nativ.SystemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many CPUs this process may actually use: the affinity mask, capped by a cgroup CPU quota
 * (v2 {@code cpu.max} or v1 {@code cpu.cfs_quota_us}, at every level of our cgroup), rounded up.
 */
public final class CpuCount {
    /** Where v1's CPU controller is mounted: with cpuacct (the usual name) or on its own. */
    private static final List<Path> V1_MOUNTS = List.of(Path.of("/sys/fs/cgroup/cpu,cpuacct"),
            Path.of("/sys/fs/cgroup/cpu"));

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
            for (Path mount : V1_MOUNTS) {
                List<Path> levels = cgroups.v1Levels(mount, "cpu");
                for (Path level : levels) {
                    limit = min(limit, cgroupV1Quota(level)); // a parent's quota caps its children too
                }
                if (!levels.isEmpty()) {
                    break;
                }
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

    private static double cgroupV1Quota(Path level) {
        try {
            long quota = Long.parseLong(Files.readString(level.resolve("cpu.cfs_quota_us")).trim());
            long period = Long.parseLong(Files.readString(level.resolve("cpu.cfs_period_us")).trim());
            return quota > 0 && period > 0 ? (double) quota / period : 0;
        } catch (IOException | RuntimeException e) {
            return 0; // not readable at this level: no limit known from it
        }
    }
}
