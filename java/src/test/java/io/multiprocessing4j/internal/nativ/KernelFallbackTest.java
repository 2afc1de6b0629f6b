package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The switch that forces kernel fallbacks does what the build's "kernel-fallbacks" surefire
 * execution relies on: with {@value KernelFeatures#FORCE_VARIABLE} set, the named calls are not
 * used (so the process tests that execution runs go through the fallbacks); without it, a kernel
 * that has a call uses it.
 */
class KernelFallbackTest {

    @Test
    void theForcedFallbacksAreTheOnesTaken() throws Exception {
        String forced = System.getenv(KernelFeatures.FORCE_VARIABLE);
        List<String> expected = new ArrayList<>();
        if (forced != null) {
            for (String name : forced.split(",")) {
                if (KernelFeatures.names().contains(name)) {
                    expected.add(name);
                }
            }
        }
        List<String> taken = KernelFeatures.fallbacksTaken();
        assertTrue(taken.containsAll(expected), "forced " + expected + ", taken " + taken);
        if (forced == null && kernelAtLeast(5, 9)) {
            assertTrue(!taken.contains("close_range"), "this kernel has close_range, yet taken: " + taken);
        }
        System.out.println("KernelFallbackTest: fallbacks taken: " + taken);
    }

    static boolean kernelAtLeast(int major, int minor) throws Exception {
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String[] parts = release.split("[.-]");
        int a = Integer.parseInt(parts[0]), b = Integer.parseInt(parts[1]);
        return a > major || (a == major && b >= minor);
    }
}
