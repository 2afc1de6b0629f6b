package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.CacheDirectories;
import io.multiprocessing4j.internal.CacheRetention;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Class path entries for code that lives inside another jar: an executable jar's nested jars and
 * class directory, as Spring Boot's loader names them ({@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}
 * from Spring Boot 3.2 on, {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/} before). No JVM's class
 * path can name such an entry, so each is copied out once into a private cache directory
 * ({@link CacheDirectories}), under a folder named by the outer jar's path, size and modification
 * time (a rebuilt jar gets a folder of its own), and the child's class path names the copies: the
 * extracted layout Spring Boot itself recommends for production. A copy is written under a
 * temporary name and renamed into place, so a racing JVM or one killed midway never leaves a
 * half-written entry where a child would read it.
 *
 * <p>Each build of a jar leaves a folder about its size, so a server that deploys a build a day
 * would fill its disk: folders no JVM has used for a month are deleted ({@link CacheRetention}),
 * and a copy deleted under a running JVM is made again at its next start.
 */
final class NestedJars {
    /** {@code jar:nested:<outer>/!<entry>!/} or {@code jar:file:<outer>!/<entry>!/}. */
    private static final Pattern NESTED = Pattern.compile("jar:nested:(/.+?)/!(.+?)/?!/");
    private static final Pattern FILE_IN_JAR = Pattern.compile("jar:(file:/.+?)!/(.+?)/?!/");
    /** {@code jar:file:<jar>!/}: a jar of its own, named as a jar URL. */
    private static final Pattern WHOLE_JAR = Pattern.compile("jar:(file:/[^!]+)!/");
    private static final String FOLDER_PREFIX = "nested-";
    /** What each URL was copied to in this JVM: later starts look nothing up again. */
    private static final Map<String, String> EXTRACTED = new ConcurrentHashMap<>();

    private NestedJars() {
    }

    /**
     * The local copy of the jar or class directory {@code url} names inside another jar, made if
     * needed (or the jar itself, for a jar URL of a whole jar); null if {@code url} is of neither form.
     */
    static String localCopy(URL url) throws IOException {
        String text = url.toString();
        String known = EXTRACTED.get(text);
        if (known != null && Files.exists(Path.of(known))) {
            CacheRetention.markInUse(folderOf(Path.of(known)));
            return known;
        }
        Path outer;
        String entry;
        Matcher nested = NESTED.matcher(text);
        Matcher fileInJar = FILE_IN_JAR.matcher(text);
        Matcher wholeJar = WHOLE_JAR.matcher(text);
        try {
            if (wholeJar.matches()) {
                return Path.of(new URI(wholeJar.group(1))).toString(); // nothing to copy
            } else if (nested.matches()) {
                outer = Path.of(decoded(nested.group(1)));
                entry = nested.group(2);
            } else if (fileInJar.matches()) {
                outer = Path.of(new URI(fileInJar.group(1)));
                entry = fileInJar.group(2);
            } else {
                return null;
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        if (entry.startsWith("/") || entry.contains("..") || entry.contains("!")) {
            return null; // only one level of nesting, and nothing that could leave the folder
        }
        String copy = extract(outer, entry).toString();
        EXTRACTED.put(text, copy);
        return copy;
    }

    /** A URL's path with its %-escapes decoded (Spring Boot escapes what a URI must); as it is if it has none to decode. */
    private static String decoded(String rawPath) {
        try {
            return new URI("file:" + rawPath).getPath();
        } catch (URISyntaxException e) {
            return rawPath;
        }
    }

    /** The copy of {@code entry} (a jar, or a directory prefix) of {@code outer}, extracted unless there. */
    private static Path extract(Path outer, String entry) throws IOException {
        Path cache = CacheDirectories.firstWritable(new ArrayList<>());
        CacheRetention.deleteUnusedOnce(cache, FOLDER_PREFIX);
        Path folder = cache.resolve(FOLDER_PREFIX + identity(outer));
        Path target = folder.resolve(entry);
        if (Files.exists(target)) {
            CacheRetention.markInUse(folder);
            return target;
        }
        Files.createDirectories(target.getParent());
        CacheRetention.markInUse(folder);
        Path temporary = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + System.nanoTime() + ".tmp");
        try (ZipFile zip = new ZipFile(outer.toFile())) {
            ZipEntry single = zip.getEntry(entry);
            if (single != null && !single.isDirectory()) {
                try (InputStream in = zip.getInputStream(single)) {
                    Files.copy(in, temporary);
                }
            } else {
                extractDirectory(zip, entry + "/", temporary);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException
                     | java.nio.file.DirectoryNotEmptyException raced) {
                // another JVM put the same entry in place first
            }
        } finally {
            CacheRetention.deleteRecursively(temporary);
        }
        return target;
    }

    /** The cache's folder {@code copy} is in: the ancestor named {@code nested-...}. */
    private static Path folderOf(Path copy) {
        Path folder = copy;
        while (folder.getParent() != null && !folder.getFileName().toString().startsWith(FOLDER_PREFIX)) {
            folder = folder.getParent();
        }
        return folder;
    }

    private static void extractDirectory(ZipFile zip, String prefix, Path into) throws IOException {
        Files.createDirectories(into);
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            if (!name.startsWith(prefix) || name.length() == prefix.length() || name.contains("..")) {
                continue;
            }
            Path file = into.resolve(name.substring(prefix.length())).normalize();
            if (!file.startsWith(into)) {
                continue;
            }
            if (entry.isDirectory()) {
                Files.createDirectories(file);
            } else {
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The outer jar's path, size and modification time, hashed: a rebuilt jar gets a folder of its own. */
    private static String identity(Path outer) throws IOException {
        String text = outer.toAbsolutePath() + "\n" + Files.size(outer) + "\n" + Files.getLastModifiedTime(outer).toMillis();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
