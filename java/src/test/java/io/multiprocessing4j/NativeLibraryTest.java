package io.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.nativ.NativeLibrary;
import io.multiprocessing4j.support.SeparateJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library is extracted once into a private directory and loaded from there; no platform, clear error. */
class NativeLibraryTest {

    /** Loads the library (as any first use does) and prints where from. */
    public static final class LoadAndPrint {
        public static void main(String[] args) {
            System.out.println(NativeLibrary.path());
            System.out.println(Multiprocessing.cpuCount() > 0);
        }
    }

    private static String load(Path directory, Path cache, String... extraOptions) throws Exception {
        List<String> options = new java.util.ArrayList<>(List.of("-D" + NativeLibrary.CACHE_PROPERTY + "=" + cache));
        options.addAll(List.of(extraOptions));
        try (SeparateJvm jvm = SeparateJvm.start(directory, List.of(), options, LoadAndPrint.class)) {
            int status = jvm.awaitExit(60);
            return status + "\n" + jvm.stdout() + jvm.stderr();
        }
    }

    @Test
    void extractsOnceIntoAPrivateDirectoryAndReusesIt(@TempDir Path directory) throws Exception {
        Path cache = directory.resolve("cache");
        String first = load(directory, cache);
        assertTrue(first.startsWith("0\n"), first);
        String loadedFrom = first.split("\n")[1];
        assertTrue(loadedFrom.startsWith(cache.toString()), loadedFrom);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        Path library = Path.of(loadedFrom);
        long modified = Files.getLastModifiedTime(library).toMillis();

        String second = load(directory, cache);
        assertEquals(loadedFrom, second.split("\n")[1], "the same file is loaded again");
        assertEquals(modified, Files.getLastModifiedTime(library).toMillis(), "and not rewritten");
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void tightensACacheDirectoryOthersCouldWrite(@TempDir Path directory) throws Exception {
        Path cache = Files.createDirectory(directory.resolve("open-cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        String output = load(directory, cache);
        assertTrue(output.startsWith("0\n"), output);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    }

    @Test
    void refusesASymlinkedCacheDirectory(@TempDir Path directory) throws Exception {
        Path real = Files.createDirectory(directory.resolve("real"));
        Path link = Files.createSymbolicLink(directory.resolve("link"), real);
        String output = load(directory, link);
        assertTrue(output.startsWith("0\n"), output);
        assertNotEquals(link.toString(), Path.of(output.split("\n")[1]).getParent().toString(),
                "a symlinked directory is not used; the loader falls back to the next candidate");
    }

    @Test
    void anUnknownPlatformGetsAnErrorNamingIt(@TempDir Path directory) throws Exception {
        String output = load(directory, directory.resolve("cache"), "-Dos.arch=riscv64");
        assertTrue(output.contains("no native library for platform 'linux-riscv64'"), output);
        assertTrue(output.contains("x86_64 and aarch64"), output);
    }
}
