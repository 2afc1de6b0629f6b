package io.multiprocessing4j.queues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.support.Children;
import io.multiprocessing4j.support.ProcessSemantics;
import io.multiprocessing4j.synchronize.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A producer whose target returns right after its last put: everything it put is in the queue when
 * each put returns (the tiny ring grows in shared memory), so its process exits at once, with no
 * reader, and nothing is lost, whether or not it called {@code cancelJoinThread()}. (A queue used
 * to keep most of these messages in the producer's heap and make its exit wait for a reader.) The
 * get that takes the last message removes the last overflow chunk from /dev/shm, though the
 * producer that made it is gone and no other get follows.
 */
@ProcessSemantics
class ProducerExitTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);
    private static final int COUNT = 30_000;
    /** A message beyond the ring (4096 bytes hold at most 256 records): it comes from a chunk. */
    private static final int PAST_THE_RING = 300;

    @Test
    void aProducerThatReturnsRightAfterItsPutsExitsAtOnceAndEverythingArrives() throws Exception {
        producerExitsAndEverythingArrives(false);
    }

    @Test
    void cancelJoinThreadChangesNothing() throws Exception {
        producerExitsAndEverythingArrives(true);
    }

    private static void producerExitsAndEverythingArrives(boolean cancelJoin) throws Exception {
        String chunks = null;
        try (Queue<Integer> queue = new Queue<>(0, 4096); Event returning = new Event();
                Children children = new Children()) {
            ChildProcess producer = children.start(() -> putAllThenReturn(queue, returning, cancelJoin));
            assertTrue(returning.await(CHILD_TIMEOUT));
            assertEquals(COUNT, queue.qsize(), "every message is in the queue when the target returns");
            Children.assertExitsCleanly(producer, CHILD_TIMEOUT); // nobody has read anything yet
            for (int i = 0; i < COUNT; i++) {
                assertEquals(i, queue.get(Duration.ofSeconds(30)));
                if (i == PAST_THE_RING) {
                    chunks = chunkNamesTakenFromHere();
                }
            }
            // Nothing else takes from this queue: the last chunk must go with the get that emptied it, not
            // be left to the resource tracker, which may have been replaced since the producer registered it.
            assertEquals(List.of(), inDevShm(chunks), "the queue is drained, its last overflow chunk is still there");
            assertThrows(Empty.class, queue::getNowait);
        } finally {
            if (chunks != null) {
                for (String name : inDevShm(chunks)) {
                    Files.deleteIfExists(Path.of("/dev/shm", name));
                }
            }
        }
    }

    /**
     * The common prefix ("mp4j_..._") of the names of the overflow chunks this JVM takes from now: its
     * mapping of the chunk it is reading is the only one of a chunk still in /dev/shm.
     */
    private static String chunkNamesTakenFromHere() throws IOException {
        Pattern chunk = Pattern.compile(".*/dev/shm/(mp4j_[a-z2-7]{26}_)\\d+$"); // not "(deleted)"
        Set<String> prefixes = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            Matcher matcher = chunk.matcher(line);
            if (matcher.matches()) {
                prefixes.add(matcher.group(1));
            }
        }
        assertEquals(1, prefixes.size(), "this JVM maps the chunk it takes from: " + prefixes);
        return prefixes.iterator().next();
    }

    private static List<String> inDevShm(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(prefix)).sorted()
                    .collect(Collectors.toList());
        }
    }

    static void putAllThenReturn(Queue<Integer> queue, Event returning, boolean cancelJoin) throws InterruptedException {
        for (int i = 0; i < COUNT; i++) {
            queue.put(i);
        }
        if (cancelJoin) {
            queue.cancelJoinThread();
        }
        returning.set();
    }
}
