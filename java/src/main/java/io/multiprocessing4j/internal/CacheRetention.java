package io.multiprocessing4j.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long entries live in a cache directory ({@link CacheDirectories}) where each build or each
 * class path writes an entry of its own (copies of an executable jar's nested jars, argument files
 * for long command lines), so that nothing piles up for ever: an entry that no JVM has marked as
 * in use for {@value #UNUSED_DAYS} days is deleted by the first JVM that writes an entry of its
 * kind (its name prefix) in that directory. A JVM marks an entry it uses through its modification
 * time, again each day it uses it. A temporary one ({@code .tmp}) left by a JVM that died while
 * writing goes after a day.
 */
public final class CacheRetention {
    /** Entries unused for longer are deleted. */
    public static final int UNUSED_DAYS = 30;
    private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;
    /** When this JVM last marked each entry. */
    private static final Map<Path, Long> MARKED = new ConcurrentHashMap<>();
    /** The directory and prefix of each kind of entry this JVM has tidied already. */
    private static final Set<Path> TIDIED = ConcurrentHashMap.newKeySet();

    private CacheRetention() {
    }

    /**
     * Marks {@code entry} as in use, at most once a day per JVM; false if it is gone (deleted by
     * hand, or by a JVM that found it unmarked for a month), for the caller to write it again.
     */
    public static boolean markInUse(Path entry) {
        long now = System.currentTimeMillis();
        Long last = MARKED.get(entry);
        if (last != null && now - last < DAY_MILLIS) {
            return true;
        }
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(now));
            MARKED.put(entry, now);
            return true;
        } catch (NoSuchFileException e) {
            MARKED.remove(entry);
            return false;
        } catch (IOException e) {
            return true; // cannot mark it: it may go after a month, and is written again then
        }
    }

    /**
     * Once per JVM for each directory and prefix: deletes the entries of {@code directory} named
     * {@code prefix...} that nobody has marked for {@value #UNUSED_DAYS} days (temporaries: a
     * day), files and folders alike. Those this JVM marked are kept whatever their time says.
     */
    public static void deleteUnusedOnce(Path directory, String prefix) {
        if (!TIDIED.add(directory.resolve(prefix))) {
            return;
        }
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path entry : entries) {
                long age = now - Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis();
                boolean temporary = entry.getFileName().toString().endsWith(".tmp");
                if (!MARKED.containsKey(entry) && age > (temporary ? 1 : UNUSED_DAYS) * DAY_MILLIS) {
                    deleteRecursively(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // only tidying
        }
    }

    /** Deletes {@code path}, a file or a folder with all it holds, as far as it can. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException | RuntimeException e) {
            // what is left costs only space
        }
    }
}
