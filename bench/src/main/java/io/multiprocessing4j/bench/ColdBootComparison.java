package io.multiprocessing4j.bench;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.ProcessContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A child's cold boot against a bare {@code java Hello}, measured in one interleaved run so that
 * the machine's load falls on every row alike: a bare {@code java Hello}, the same with an
 * archive of its own (JDK 25: an AOT cache; before: a dynamic AppCDS archive), and {@code spawn}
 * start→join of an empty target with the child archive, without it, with hsperfdata back on
 * (children start with {@code -XX:-UsePerfData}) and with the serial collector (considered, not kept). Not JMH: each sample is one process's life, and the rows
 * must alternate. Prints "RESULT key value ms/op" lines (medians) for bench/compare/report.py.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.multiprocessing4j.bench.ColdBootComparison <dir with Hello.class> [rounds]}
 */
public final class ColdBootComparison {
    /** The documented switch for the class-data archive of children (README, start methods). */
    private static final String ARCHIVE_PROPERTY = "multiprocessing4j.classDataArchive";

    private ColdBootComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path helloDir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean aotCache = Runtime.version().feature() >= 25;
        // In a jar: JDK 17 refuses to dump an archive for a class path holding a non-empty directory.
        String helloJar = jar(helloDir.resolve("Hello.class")).toString();
        Path helloArchive = helloDir.resolve(aotCache ? "hello.aot" : "hello.jsa");
        // Hello's own archive, made as its documentation says (the JDK's one-step workflow).
        run(List.of(java, aotCache ? "-XX:AOTCacheOutput=" + helloArchive : "-XX:ArchiveClassesAtExit=" + helloArchive,
                "-cp", helloJar, "Hello"));
        if (!Files.isRegularFile(helloArchive)) {
            throw new IllegalStateException("no archive for Hello at " + helloArchive);
        }

        ProcessContext plain = ProcessContext.builder().build();
        // Children start with -XX:-UsePerfData; this row undoes it, to show what it is worth.
        ProcessContext perfData = plain.toBuilder().jvmOptions("-XX:+UsePerfData").build();
        ProcessContext serialGc = plain.toBuilder().jvmOptions("-XX:+UseSerialGC").build();
        for (ProcessContext context : List.of(plain, perfData, serialGc)) {
            // A first start, as any program makes: the archive built after it holds its target's class too.
            System.setProperty(ARCHIVE_PROPERTY, "true");
            startJoin(context, true);
            if (!context.awaitClassDataArchive(Duration.ofMinutes(5))) {
                throw new IllegalStateException("no child archive for " + context);
            }
        }

        Map<String, Sample> rows = new LinkedHashMap<>();
        rows.put("floor.java_hello_same_run", () -> run(List.of(java, "-cp", helloJar, "Hello")));
        rows.put("floor.java_hello_archived", () -> run(List.of(java,
                (aotCache ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + helloArchive, "-cp", helloJar, "Hello")));
        rows.put("cold.spawn_start_join_archived", () -> startJoin(plain, true));
        rows.put("cold.spawn_start_join_no_archive", () -> startJoin(plain, false));
        rows.put("cold.spawn_start_to_running_archived", () -> startToRunning(plain));
        rows.put("cold.spawn_start_join_archived_perf_data", () -> startJoin(perfData, true));
        rows.put("cold.spawn_start_join_archived_serial_gc", () -> startJoin(serialGc, true));

        Map<String, List<Double>> samples = new LinkedHashMap<>();
        rows.keySet().forEach(key -> samples.put(key, new ArrayList<>()));
        for (int round = -5; round < rounds; round++) { // five rounds of warm-up
            for (Map.Entry<String, Sample> row : rows.entrySet()) {
                double millis = row.getValue().run();
                if (round >= 0) {
                    samples.get(row.getKey()).add(millis);
                }
            }
        }
        System.out.println("# " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", " + rounds
                + " interleaved rounds, medians");
        double hello = median(samples.get("floor.java_hello_same_run"));
        for (Map.Entry<String, List<Double>> row : samples.entrySet()) {
            double median = median(row.getValue());
            System.out.printf("RESULT %s %.3f ms/op%n", row.getKey(), median);
            System.out.printf("#   %s: %.2fx a bare java Hello%n", row.getKey(), median / hello);
        }
    }

    /** One sample: what it took, in ms. */
    private interface Sample {
        double run() throws Exception;
    }

    private static double startJoin(ProcessContext context, boolean archive) throws InterruptedException {
        System.setProperty(ARCHIVE_PROPERTY, Boolean.toString(archive));
        long began = System.nanoTime();
        ChildProcess child = context.newProcess(ColdBootComparison::nothing);
        child.start();
        child.join();
        double millis = (System.nanoTime() - began) / 1e6;
        checkAndClose(child);
        return millis;
    }

    /** start() alone: it returns once the child has taken its target; the join is not timed. */
    private static double startToRunning(ProcessContext context) throws InterruptedException {
        System.setProperty(ARCHIVE_PROPERTY, "true");
        long began = System.nanoTime();
        ChildProcess child = context.newProcess(ColdBootComparison::nothing);
        child.start();
        double millis = (System.nanoTime() - began) / 1e6;
        child.join();
        checkAndClose(child);
        return millis;
    }

    private static void checkAndClose(ChildProcess child) {
        if (child.exitCode().orElse(-1) != 0) {
            throw new IllegalStateException("child exit code " + child.exitCode());
        }
        child.close();
    }

    private static void nothing() {
        // the empty target
    }

    private static double run(List<String> argv) throws Exception {
        long began = System.nanoTime();
        Process process = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + argv);
        }
        return (System.nanoTime() - began) / 1e6;
    }

    private static Path jar(Path classFile) throws Exception {
        Path jar = classFile.resolveSibling("hello.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry(classFile.getFileName().toString()));
            out.write(Files.readAllBytes(classFile));
            out.closeEntry();
        }
        return jar;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
