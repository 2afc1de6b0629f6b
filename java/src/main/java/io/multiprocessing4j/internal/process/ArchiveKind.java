package io.multiprocessing4j.internal.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The kind of class-data archive this JVM's children get, and the options that build and use it. */
enum ArchiveKind {
    /**
     * JDK 17 to 24: a static AppCDS archive of the classes the training child loaded (its class
     * list), in place of the JDK's default archive. Not a dynamic archive: JDK 17 refuses to dump
     * one when the class path holds a directory (target/classes, an IDE's output), and the static
     * dump takes the JDK's classes whatever the class path (the class path's leading jars too).
     */
    STATIC_ARCHIVE("jsa") {
        @Override
        List<String> useOptions(Path archive) {
            return quiet(false, "-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        }

        @Override
        List<String> trainingOptions(Path classList) {
            return List.of("-XX:DumpLoadedClassList=" + classList);
        }

        @Override
        List<String> creationOptions(Path classList, Path output) {
            return quiet(false, "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + output);
        }

        @Override
        boolean dumpsJarsOnly() {
            return true;
        }
    },
    /**
     * JDK 25 on, for a class path of jars: the AOT cache. Its classes are loaded and linked as well as parsed, and it holds
     * the training run's method profiles; made in two steps, record (the training child) and create. (-XX:AOTCacheOutput does both
     * in one run, but its second step prints on the training child's stdout.)
     *
     * <p>Every class in it is loaded at the JVM's boot, used or not: its training child is a
     * spawned child, not a spare, whose rehearsal would load some 900 classes more and cost every
     * spawned child's boot the time to load them (spares boot off the clock, and rehearse anyway).
     */
    AOT_CACHE("aot") {
        @Override
        boolean trainsAsSpare() {
            return false;
        }

        @Override
        List<String> useOptions(Path archive) {
            return quiet(true, "-XX:AOTCache=" + archive);
        }

        @Override
        List<String> trainingOptions(Path configuration) {
            return quiet(true, "-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration);
        }

        @Override
        List<String> creationOptions(Path configuration, Path output) {
            return quiet(true, "-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
                    "-XX:AOTCache=" + output);
        }
    };

    final String extension;

    ArchiveKind(String extension) {
        this.extension = extension;
    }

    /** Options that make a child map {@code archive}. */
    abstract List<String> useOptions(Path archive);

    /** Options of the training child: what it writes at its exit to {@code output}. */
    abstract List<String> trainingOptions(Path output);

    /** Options of the step that turns the training's output into the archive. */
    abstract List<String> creationOptions(Path trainingOutput, Path archive);

    /**
     * {@code options}, then the archive's logging turned off on stdout and on stderr (where a child's
     * warnings go: see {@code JvmCommandLine.START_UP_OPTIONS}): a mismatch (another class path, a
     * rebuilt jar) is a silent miss, not a warning in the program's output. The {@code aot} tags
     * exist from JDK 24 on; a JDK that lacks a tag warns about the option.
     */
    private static List<String> quiet(boolean aotTags, String... options) {
        List<String> all = new ArrayList<>(Arrays.asList(options));
        for (String output : List.of("", ":stderr")) {
            all.add("-Xlog:cds*=off" + output);
            if (aotTags) {
                all.add("-Xlog:aot*=off" + output);
            }
        }
        return List.copyOf(all);
    }

    /**
     * Whether the training child runs as a warm spare (boot, rehearsal, orders) or as a spawned
     * child (orders only): an archive whose classes load only when used can take a spare's too.
     */
    boolean trainsAsSpare() {
        return true;
    }

    /** Whether that step takes only the class path's leading jars (it fails on a directory). */
    boolean dumpsJarsOnly() {
        return false;
    }

    /**
     * The AOT cache from JDK 25 on, for a command line whose class and module paths are all jars
     * (its training refuses a non-empty directory there); the static archive otherwise.
     */
    static ArchiveKind forCommandLine(List<String> argv) {
        if (Runtime.version().feature() < 25) {
            return STATIC_ARCHIVE;
        }
        for (int i = 0; i + 1 < argv.size(); i++) {
            String option = argv.get(i);
            if (option.equals("-cp") || option.equals("--module-path")) {
                for (String entry : argv.get(i + 1).split(File.pathSeparator)) {
                    if (!entry.isEmpty() && !Files.isRegularFile(Path.of(entry))) {
                        return STATIC_ARCHIVE;
                    }
                }
            }
        }
        return AOT_CACHE;
    }
}
