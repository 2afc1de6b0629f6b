package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every library the jar carries loads on glibc 2.17: no imported symbol is bound to a newer
 * GLIBC_ version. Read from the ELF itself (dynamic symbols, their version indices and the
 * version needs), the same fact the build's POST_BUILD check reads with readelf.
 */
class GlibcSymbolVersionTest {
    private static final String BASELINE = "2.17";

    /** target/classes/META-INF/native: what the jar packs. */
    static Path nativeDirectory() {
        return Path.of(System.getProperty("basedir", "."), "target", "classes", "META-INF", "native");
    }

    @Test
    void noLibraryNeedsAGlibcNewerThanTheBaseline() throws IOException {
        List<Path> libraries = libraries();
        assertFalse(libraries.isEmpty(), "no library under " + nativeDirectory());
        for (Path library : libraries) {
            Map<String, String> versions = glibcVersionsBySymbol(Files.readAllBytes(library));
            assertFalse(versions.isEmpty(), library + ": no GLIBC symbol version found, is it an ELF library?");
            List<String> offending = new ArrayList<>();
            versions.forEach((symbol, version) -> {
                if (compare(version, BASELINE) > 0) {
                    offending.add(symbol + "@GLIBC_" + version);
                }
            });
            assertEquals(List.of(), offending, library + " needs symbols newer than GLIBC_" + BASELINE);
        }
    }

    @Test
    void theJarCarriesBothArchitecturesWhereTheCrossCompilerIsInstalled() throws IOException {
        List<String> platforms = new ArrayList<>();
        for (Path library : libraries()) {
            platforms.add(library.getParent().getFileName().toString());
        }
        assertTrue(platforms.contains("linux-x86_64") || platforms.contains("linux-aarch64"), platforms.toString());
        boolean crossCompiler = onPath("aarch64-linux-gnu-gcc");
        if (crossCompiler || "1".equals(System.getenv("MP4J_REQUIRE_ALL_ARCHS"))) {
            assertEquals(List.of("linux-aarch64", "linux-x86_64"), platforms);
            for (Path library : libraries()) {
                assertEquals(library.getParent().getFileName().toString().equals("linux-aarch64") ? 183 : 62,
                        machine(Files.readAllBytes(library)), library + ": ELF machine");
            }
        }
    }

    /** The build's own check (cmake/check-glibc-versions.cmake) passes our libraries and fails a newer one. */
    @Test
    void theBuildStepFailsALibraryNeedingANewerGlibcAndNamesTheSymbol() throws Exception {
        Path script = Path.of(System.getProperty("basedir", "."), "..", "cmake", "check-glibc-versions.cmake");
        for (Path library : libraries()) {
            assertEquals(0, checkScript(script, library).exitValue, library.toString());
        }
        // Some library of this machine's glibc era that needs a newer version, if there is one.
        Path newer = null;
        String symbol = null;
        for (String directory : List.of("/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/lib64")) {
            if (newer != null || !Files.isDirectory(Path.of(directory))) {
                continue;
            }
            try (Stream<Path> files = Files.list(Path.of(directory))) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    if (newer != null || !file.getFileName().toString().matches("lib.*\\.so\\.[0-9]+")
                            || !Files.isRegularFile(file) || Files.size(file) > 8 << 20) {
                        continue;
                    }
                    try {
                        for (Map.Entry<String, String> e : glibcVersionsBySymbol(Files.readAllBytes(file)).entrySet()) {
                            if (compare(e.getValue(), BASELINE) > 0) {
                                newer = file;
                                symbol = e.getKey();
                                break;
                            }
                        }
                    } catch (RuntimeException | AssertionError notAnElfWeRead) {
                        // a linker script or a 32-bit file: not a candidate
                    }
                }
            }
        }
        assumeTrue(newer != null, "no library on this machine needs a glibc newer than " + BASELINE);
        Result result = checkScript(script, newer);
        assertTrue(result.exitValue != 0, "the check passed " + newer + ", which needs " + symbol);
        assertTrue(result.output.contains(symbol + " needs GLIBC_"), result.output);
    }

    private static final class Result {
        final int exitValue;
        final String output;

        Result(int exitValue, String output) {
            this.exitValue = exitValue;
            this.output = output;
        }
    }

    private static Result checkScript(Path script, Path library) throws Exception {
        Process process = new ProcessBuilder("cmake", "-DLIBRARY=" + library, "-DBASELINE=" + BASELINE, "-P",
                script.toString()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cmake -P did not finish");
        }
        return new Result(process.exitValue(), output.replaceAll("\\s+", " "));
    }

    @Test
    void versionsAreComparedNumerically() {
        assertTrue(compare("2.34", BASELINE) > 0);
        assertTrue(compare("2.2.5", BASELINE) < 0);
        assertEquals(0, compare("2.17", BASELINE));
    }

    static List<Path> libraries() throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(nativeDirectory())) {
            return found;
        }
        try (Stream<Path> platforms = Files.list(nativeDirectory())) {
            platforms.sorted().forEach(platform -> {
                Path library = platform.resolve("libmultiprocessing4j.so");
                if (Files.isRegularFile(library)) {
                    found.add(library);
                }
            });
        }
        return found;
    }

    static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0, q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int machine(byte[] elf) {
        return ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getShort(18) & 0xffff;
    }

    /**
     * Imported symbol → the GLIBC version it is bound to, from a 64-bit little-endian ELF:
     * .dynsym names each symbol, .gnu.version gives its version index, and .gnu.version_r
     * (the version needs) maps each index to a name such as GLIBC_2.17.
     */
    static Map<String, String> glibcVersionsBySymbol(byte[] bytes) {
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, elf.getInt(0), "ELF magic");
        assertEquals(2, elf.get(4), "64-bit ELF");
        long sectionHeaders = elf.getLong(0x28);
        int entrySize = elf.getShort(0x3a) & 0xffff, count = elf.getShort(0x3c) & 0xffff;
        int dynsym = -1, versym = -1, verneed = -1;
        for (int i = 0; i < count; i++) {
            int type = elf.getInt((int) (sectionHeaders + (long) i * entrySize) + 4);
            if (type == 11) {
                dynsym = i;            // SHT_DYNSYM
            } else if (type == 0x6fffffff) {
                versym = i;            // SHT_GNU_versym
            } else if (type == 0x6ffffffe) {
                verneed = i;           // SHT_GNU_verneed
            }
        }
        Map<String, String> result = new HashMap<>();
        if (dynsym < 0 || versym < 0 || verneed < 0) {
            return result;
        }
        Map<Integer, String> versionNames = new HashMap<>();
        int needStrings = (int) offset(elf, sectionHeaders, entrySize, link(elf, sectionHeaders, entrySize, verneed));
        int need = (int) offset(elf, sectionHeaders, entrySize, verneed);
        while (true) {
            int auxCount = elf.getShort(need + 2) & 0xffff;
            int aux = need + elf.getInt(need + 8);
            for (int a = 0; a < auxCount; a++) {
                int index = elf.getShort(aux + 6) & 0x7fff;
                versionNames.put(index, string(bytes, needStrings + elf.getInt(aux + 8)));
                aux += elf.getInt(aux + 12);
            }
            int next = elf.getInt(need + 12);
            if (next == 0) {
                break;
            }
            need += next;
        }
        int symbols = (int) offset(elf, sectionHeaders, entrySize, dynsym);
        long symbolsSize = elf.getLong((int) (sectionHeaders + (long) dynsym * entrySize) + 0x20);
        int symbolStrings = (int) offset(elf, sectionHeaders, entrySize, link(elf, sectionHeaders, entrySize, dynsym));
        int versions = (int) offset(elf, sectionHeaders, entrySize, versym);
        for (int i = 1; i < symbolsSize / 24; i++) {
            String version = versionNames.get(elf.getShort(versions + 2 * i) & 0x7fff);
            if (version != null && version.startsWith("GLIBC_") && !version.equals("GLIBC_PRIVATE")) {
                String name = string(bytes, symbolStrings + elf.getInt(symbols + 24 * i));
                result.put(name, version.substring("GLIBC_".length()));
            }
        }
        return result;
    }

    private static long offset(ByteBuffer elf, long headers, int entrySize, int section) {
        return elf.getLong((int) (headers + (long) section * entrySize) + 0x18);
    }

    private static int link(ByteBuffer elf, long headers, int entrySize, int section) {
        return elf.getInt((int) (headers + (long) section * entrySize) + 0x28);
    }

    private static String string(byte[] bytes, int at) {
        int end = at;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
    }

    @Test
    void theReaderFindsTheBindingsTheBuildChose() throws IOException {
        for (Path library : libraries()) {
            Map<String, String> versions = glibcVersionsBySymbol(Files.readAllBytes(library));
            // sem_init is bound to its first version on purpose (see native/posix_semaphores.c).
            String expected = library.toString().contains("aarch64") ? "2.17" : "2.2.5";
            assertEquals(expected, versions.get("sem_init"), library + ": " + new TreeSet<>(versions.keySet()));
        }
    }
}
