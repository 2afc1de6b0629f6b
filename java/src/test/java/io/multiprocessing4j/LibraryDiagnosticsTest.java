package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library reports through {@link System.Logger} (see the README's table of loggers), never by
 * writing to {@code System.err} itself: an application decides where diagnostics go. The only
 * writes allowed are a child's own, as Python's children make them: the traceback of a target or
 * initializer that threw ({@code Process ChildProcess-1:} and the stack trace, in
 * {@code ChildMain} and the pool's {@code WorkerMain}), and what a child JVM printed while it
 * booted, passed on as it is ({@code BootHandshake}). Flushing is not writing.
 */
class LibraryDiagnosticsTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Set<String> CHILD_OUTPUT = Set.of("ChildMain.java", "WorkerMain.java", "BootHandshake.java");
    /** A write to stderr or stdout, or a stack trace printed there; not a flush, not a comment. */
    private static final Pattern WRITE = Pattern.compile(
            "System\\.(err|out)\\.(?!flush\\(\\))\\w+|\\.printStackTrace\\(\\)");

    @Test
    void libraryCodeWritesNoDiagnosticsToTheStandardStreams() throws IOException {
        List<String> writes = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) walk.filter(path -> path.toString().endsWith(".java"))::iterator) {
                files++;
                if (CHILD_OUTPUT.contains(file.getFileName().toString())) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceFirst("//.*", "").trim();
                    if (!code.startsWith("*") && WRITE.matcher(code).find()) {
                        writes.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + code);
                    }
                }
            }
        }
        assertTrue(files > 100, "the library's sources were found: " + files);
        assertEquals(List.of(), writes, "log through System.Logger instead");
    }

    @Test
    void thePatternCatchesWritesAndLetsFlushesBe() {
        assertTrue(WRITE.matcher("System.err.println(\"x\");").find());
        assertTrue(WRITE.matcher("System.out.print(x);").find());
        assertTrue(WRITE.matcher("failure.printStackTrace();").find());
        assertTrue(!WRITE.matcher("System.err.flush();").find());
        assertTrue(!WRITE.matcher("e.printStackTrace(new PrintWriter(trace));").find());
    }
}
