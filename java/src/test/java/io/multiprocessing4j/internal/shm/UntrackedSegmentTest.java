package io.multiprocessing4j.internal.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.multiprocessing4j.internal.process.ResourceTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A segment made while no tracker covers names (a warm spare's rehearsal) is never given one: it
 * comes from memfd_create, so a spare killed between a segment's creation and its unlink (as a
 * booting spare is when its parent dies) leaves nothing in /dev/shm. Outside that window,
 * anonymous segments are made in /dev/shm as before.
 */
class UntrackedSegmentTest {
    /** What this process's fds of segments for {@code what} link to. */
    private static List<String> linksOf(String what) throws IOException {
        List<String> links = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.contains("memfd:multiprocessing4j-" + what) || link.startsWith("/dev/shm/mp4j_")) {
                        links.add(link.startsWith("/dev/shm/") ? "/dev/shm" : "memfd");
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return links;
    }

    @Test
    void aSegmentMadeWhileNothingTracksNamesHasNone() throws IOException {
        List<String> before = linksOf("Rehearsed");
        List<Segment> made = new ArrayList<>();
        ResourceTracker.untrackedWhile(() -> made.add(Segment.createAnonymous(8, "Rehearsed")));
        try {
            List<String> after = new ArrayList<>(linksOf("Rehearsed"));
            before.forEach(after::remove);
            assertEquals(List.of("memfd"), after);
        } finally {
            made.forEach(Segment::release);
        }
    }

    @Test
    void anAnonymousSegmentOtherwiseComesFromDevShm() throws IOException {
        List<String> before = linksOf("Tracked");
        Segment segment = Segment.createAnonymous(8, "Tracked");
        try {
            List<String> after = new ArrayList<>(linksOf("Tracked"));
            before.forEach(after::remove);
            assertEquals(List.of("/dev/shm"), after);
        } finally {
            segment.release();
        }
    }
}
