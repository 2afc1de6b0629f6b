package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.CacheDirectories;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The URL forms of code nested in an executable jar, as Spring Boot's loader names it, each turned
 * into a local copy a class path can name (the end to end case is {@code ChildClassPathTest}), and
 * the forms that are not turned into anything.
 */
class NestedJarsTest {
    private static final byte[] INNER_JAR = {'P', 'K', 3, 4, 42};
    private static final byte[] CLASS_FILE = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};

    @TempDir
    Path directory;
    private String previousCache;
    private Path outer;

    @BeforeEach
    void outerJarAndOwnCache() throws IOException {
        previousCache = System.getProperty(CacheDirectories.PROPERTY);
        System.setProperty(CacheDirectories.PROPERTY, directory.resolve("cache").toString());
        outer = directory.resolve("app with space.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(outer))) {
            for (String folder : new String[] {"BOOT-INF/", "BOOT-INF/classes/", "BOOT-INF/classes/a/", "BOOT-INF/lib/"}) {
                out.putNextEntry(new ZipEntry(folder));
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("BOOT-INF/classes/a/B.class"));
            out.write(CLASS_FILE);
            out.closeEntry();
            out.putNextEntry(new ZipEntry("BOOT-INF/lib/dep.jar"));
            out.write(INNER_JAR);
            out.closeEntry();
        }
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) {
            System.clearProperty(CacheDirectories.PROPERTY);
        } else {
            System.setProperty(CacheDirectories.PROPERTY, previousCache);
        }
    }

    /**
     * A jar URL as a class loader hands it out, made without a handler for its inner protocol:
     * the JDK would refuse "nested:", which only Spring Boot's loader registers.
     */
    private static URL jarUrl(String file) throws IOException {
        return new URL("jar", null, -1, file, new java.net.URLStreamHandler() {
            @Override
            protected java.net.URLConnection openConnection(URL url) {
                throw new UnsupportedOperationException();
            }
        });
    }

    private String outerUri() {
        return outer.toUri().toString(); // file:/.../app%20with%20space.jar
    }

    @Test
    void springBoot32NestedJarAndClassesAreCopiedOut() throws IOException {
        String path = outer.toUri().getRawPath();
        String jar = NestedJars.localCopy(jarUrl("nested:" + path + "/!BOOT-INF/lib/dep.jar!/"));
        assertArrayEquals(INNER_JAR, Files.readAllBytes(Path.of(jar)));
        String classes = NestedJars.localCopy(jarUrl("nested:" + path + "/!BOOT-INF/classes/!/"));
        assertArrayEquals(CLASS_FILE, Files.readAllBytes(Path.of(classes, "a", "B.class")));
        assertTrue(jar.startsWith(directory.resolve("cache").toString()), jar);
    }

    @Test
    void olderSpringBootJarFileUrlsAreCopiedOutToTheSamePlaces() throws IOException {
        String jar = NestedJars.localCopy(new URL("jar:" + outerUri() + "!/BOOT-INF/lib/dep.jar!/"));
        assertArrayEquals(INNER_JAR, Files.readAllBytes(Path.of(jar)));
        String classes = NestedJars.localCopy(new URL("jar:" + outerUri() + "!/BOOT-INF/classes!/"));
        assertArrayEquals(CLASS_FILE, Files.readAllBytes(Path.of(classes, "a", "B.class")));
        assertEquals(jar, NestedJars.localCopy(jarUrl("nested:" + outer.toUri().getRawPath()
                + "/!BOOT-INF/lib/dep.jar!/")), "one copy per entry, whichever form named it");
    }

    @Test
    void aJarUrlOfAWholeJarIsThatJar() throws IOException {
        assertEquals(outer.toString(), NestedJars.localCopy(new URL("jar:" + outerUri() + "!/")));
    }

    @Test
    void nothingOutsideItsFolderAndNoDeeperNesting() throws IOException {
        assertNull(NestedJars.localCopy(new URL("jar:" + outerUri() + "!/../../escape.jar!/")));
        assertNull(NestedJars.localCopy(new URL("jar:" + outerUri() + "!/BOOT-INF/lib/dep.jar!/inner.jar!/")));
        assertNull(NestedJars.localCopy(new URL("jar:http://example.com/app.jar!/BOOT-INF/lib/dep.jar!/")));
    }

    /**
     * Each build of an executable jar leaves a folder of copies: the first copy a JVM makes in a
     * cache deletes the folders no JVM has used for 30 days, keeps the others, and marks its own.
     */
    @Test
    void foldersUnusedFor30DaysAreDeletedAndTheOneInUseIsMarked() throws IOException {
        Path cache = Files.createDirectories(directory.resolve("cache"));
        long day = 24L * 60 * 60 * 1000;
        Path stale = Files.createDirectories(cache.resolve("nested-oldbuild/BOOT-INF/lib")).getParent().getParent();
        Files.write(stale.resolve("BOOT-INF/lib/old.jar"), INNER_JAR);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 31 * day));
        Path recent = Files.createDirectories(cache.resolve("nested-lastweek"));
        Files.setLastModifiedTime(recent, FileTime.fromMillis(System.currentTimeMillis() - 7 * day));
        Path unrelated = Files.createDirectories(cache.resolve("not-ours-to-tidy"));
        Files.setLastModifiedTime(unrelated, FileTime.fromMillis(System.currentTimeMillis() - 90 * day));

        String jar = NestedJars.localCopy(jarUrl("nested:" + outer.toUri().getRawPath() + "/!BOOT-INF/lib/dep.jar!/"));

        assertFalse(Files.exists(stale), "a month unused: deleted");
        assertTrue(Files.exists(recent), "used a week ago: kept");
        assertTrue(Files.exists(unrelated), "only nested-* folders are the copies' own");
        Path used = cache.resolve(cache.relativize(Path.of(jar)).getName(0));
        assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(used).toMillis() < 60_000,
                "the folder in use is marked now");
    }

    /** A copy deleted under a running JVM (by hand, or by another JVM's tidying) is made again at its next start. */
    @Test
    void aCopyDeletedUnderARunningJvmIsMadeAgain() throws IOException {
        URL url = jarUrl("nested:" + outer.toUri().getRawPath() + "/!BOOT-INF/lib/dep.jar!/");
        String jar = NestedJars.localCopy(url);
        Files.delete(Path.of(jar));
        assertEquals(jar, NestedJars.localCopy(url));
        assertArrayEquals(INNER_JAR, Files.readAllBytes(Path.of(jar)));
    }
}
