package io.multiprocessing4j.internal.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * One key's files in the cache directory: the archive, and beside it its manifest (size and
 * CRC-32 of the archive as built). An archive counts as installed only when both agree with the
 * file: a truncated archive mapped by a JVM can crash it with SIGBUS, so none reaches a child
 * unchecked. Both are written under temporary names and then linked or renamed into place, so a
 * reader never sees half a file.
 */
final class ArchiveFiles {
    /** How long an archive may wait for its manifest (its builder writes it right after linking it). */
    private static final long MANIFEST_GRACE_MILLIS = 30_000;

    final Path directory;
    final Path archive;
    final Path manifest;

    private ArchiveFiles(Path directory, Path archive, Path manifest) {
        this.directory = directory;
        this.archive = archive;
        this.manifest = manifest;
    }

    static ArchiveFiles of(Path directory, ArchiveKey key) {
        String name = "child-" + key.hash + "." + key.kind.extension;
        return new ArchiveFiles(directory, directory.resolve(name), directory.resolve(name + ".sum"));
    }

    /**
     * The installed archive's size if it is intact; otherwise -1, after deleting what is there
     * (a corrupt, truncated or orphaned archive), so that it is built again.
     */
    long installedSize() throws IOException, InterruptedException {
        if (!Files.exists(archive)) {
            return -1;
        }
        Properties expected = readManifest();
        if (expected == null) {
            if (youngerThan(archive, MANIFEST_GRACE_MILLIS)) {
                // Its builder is between linking it and writing the manifest: give it a moment.
                for (int i = 0; i < 50 && expected == null; i++) {
                    Thread.sleep(100);
                    expected = readManifest();
                }
            }
            if (expected == null) {
                discard();
                return -1;
            }
        }
        try {
            long size = Long.parseLong(expected.getProperty("size", "-1"));
            long crc = Long.parseLong(expected.getProperty("crc32", "-1"));
            if (size > 0 && Files.size(archive) == size && crc32(archive) == crc) {
                return size;
            }
        } catch (NumberFormatException | NoSuchFileException e) {
            // a damaged manifest, or the archive deleted meanwhile: rebuilt below
        }
        discard();
        return -1;
    }

    /** Writes the manifest of a built (not yet installed) archive to a temporary file. */
    static void writeManifest(Path archive, Path manifestFile) throws IOException {
        String text = "size=" + Files.size(archive) + "\ncrc32=" + crc32(archive) + "\n";
        Files.write(manifestFile, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Deletes the archive and its manifest. */
    void discard() throws IOException {
        Files.deleteIfExists(archive);
        Files.deleteIfExists(manifest);
    }

    private Properties readManifest() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(manifest)) {
            properties.load(in);
            return properties;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static boolean youngerThan(Path file, long millis) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            return System.currentTimeMillis() - modified.toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
