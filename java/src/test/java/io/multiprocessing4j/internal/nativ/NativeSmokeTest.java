package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The C layer on its own, for each architecture the jar carries: native/test/smoke.c loads the
 * library, binds its entry points through JNI_OnLoad and spawns, signals and reaps children
 * through them, with close_range and with its fallback forced. The aarch64 library runs under
 * qemu-aarch64 (Debian's qemu-user), and is skipped with a message where qemu is not installed.
 */
@Timeout(120)
class NativeSmokeTest {
    private static final String SYSROOT = "/usr/aarch64-linux-gnu";

    private static Path driver(String platform) {
        return Path.of(System.getProperty("basedir", "."), "target", "native-test", platform, "mp4j-smoke");
    }

    private static Path library(String platform) {
        return GlibcSymbolVersionTest.nativeDirectory().resolve(platform).resolve("libmultiprocessing4j.so");
    }

    private static String run(List<String> command, String forcedFallbacks) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(KernelFeatures.FORCE_VARIABLE);
        if (forcedFallbacks != null) {
            builder.environment().put(KernelFeatures.FORCE_VARIABLE, forcedFallbacks);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("smoke driver did not finish in 90 s: " + command);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("smoke: ok"), output);
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    private static List<String> command(List<String> prefix, String platform) {
        List<String> command = new ArrayList<>(prefix);
        command.add(driver(platform).toString());
        command.add(library(platform).toString());
        return command;
    }

    @Test
    void x86_64LibrarySpawnsSignalsAndReaps() throws Exception {
        assumeTrue(NativeLibrary.platform().equals("linux-x86_64"), "not an x86-64 machine");
        assumeTrue(Files.isExecutable(driver("linux-x86_64")), "smoke driver not built: " + driver("linux-x86_64"));
        String output = run(command(List.of(), "linux-x86_64"), null);
        String fallback = run(command(List.of(), "linux-x86_64"), "close_range");
        java.util.regex.Matcher features = java.util.regex.Pattern.compile("kernel features 0x([0-9a-f]+)").matcher(fallback);
        assertTrue(features.find(), "no feature mask printed: " + fallback);
        assertEquals(0, Integer.parseInt(features.group(1), 16) & KernelFeatures.CLOSE_RANGE,
                "close_range fallback forced: " + fallback);
        assertTrue(output.contains("natives registered"), output);
    }

    @Test
    void aarch64LibrarySpawnsSignalsAndReapsUnderQemu() throws Exception {
        // CI (.ci/run) installs the cross compiler and qemu and sets this: nothing may be skipped then.
        boolean required = "1".equals(System.getenv("MP4J_REQUIRE_ALL_ARCHS"));
        if (required) {
            assertTrue(Files.isRegularFile(library("linux-aarch64")), "no linux-aarch64 library");
            assertTrue(GlibcSymbolVersionTest.onPath("qemu-aarch64") || GlibcSymbolVersionTest.onPath("qemu-aarch64-static"),
                    "MP4J_REQUIRE_ALL_ARCHS=1 but qemu-aarch64 is not installed");
        }
        assumeTrue(Files.isRegularFile(library("linux-aarch64")),
                "no linux-aarch64 library was built (install gcc-aarch64-linux-gnu): skipped");
        assumeTrue(Files.isExecutable(driver("linux-aarch64")), "aarch64 smoke driver not built: skipped");
        String qemu = GlibcSymbolVersionTest.onPath("qemu-aarch64") ? "qemu-aarch64"
                : GlibcSymbolVersionTest.onPath("qemu-aarch64-static") ? "qemu-aarch64-static" : null;
        if (qemu == null) {
            System.out.println("NativeSmokeTest: qemu-aarch64 not found (apt-get install qemu-user): "
                    + "the aarch64 smoke test is skipped");
        }
        assumeTrue(qemu != null, "qemu-aarch64 not found (apt-get install qemu-user): skipped");
        assumeTrue(Files.isDirectory(Path.of(SYSROOT)), "no aarch64 sysroot at " + SYSROOT + ": skipped");
        List<String> prefix = List.of(qemu, "-L", SYSROOT);
        run(command(prefix, "linux-aarch64"), null);
        String fallback = run(command(prefix, "linux-aarch64"), "close_range");
        java.util.regex.Matcher features = java.util.regex.Pattern.compile("kernel features 0x([0-9a-f]+)").matcher(fallback);
        assertTrue(features.find(), "no feature mask printed: " + fallback);
        assertEquals(0, Integer.parseInt(features.group(1), 16) & KernelFeatures.CLOSE_RANGE,
                "close_range fallback forced: " + fallback);
    }
}
