package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.shm.HandoffSegment;
import io.multiprocessing4j.internal.shm.Segment;
import io.multiprocessing4j.internal.shm.SegmentNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationsTest {
    @Test
    void namesUnlinkedElsewhereArePrunedButLiveOnesAndCountsStay() throws Exception {
        Registrations registrations = new Registrations();
        String liveName = SegmentNames.random();
        Segment segment = Segment.createTransient(liveName, 4096, "test");
        try {
            String live = SegmentNames.systemName(liveName);
            registrations.add(ResourceTracker.Kind.TRANSIENT, live);
            registrations.add(ResourceTracker.Kind.TRANSIENT, live);
            for (int i = 0; i < 10_000; i++) {
                registrations.add(ResourceTracker.Kind.TRANSIENT, "/mp4j_gone_elsewhere_" + i);
            }
            assertTrue(registrations.size() < 5_000, "a table of names unlinked by others stays bounded: "
                    + registrations.size());
            List<String> resent = new ArrayList<>();
            registrations.forEach((kind, name) -> resent.add(kind + " " + name));
            assertEquals(2, resent.stream().filter(line -> line.equals("TRANSIENT " + live)).count(),
                    "a live name is re-sent as often as it was registered");
            registrations.remove(ResourceTracker.Kind.TRANSIENT, live);
            registrations.remove(ResourceTracker.Kind.TRANSIENT, live);
            resent.clear();
            registrations.forEach((kind, name) -> resent.add(name));
            assertTrue(!resent.contains(live), "unregistered twice, it is gone");
        } finally {
            segment.release();
            HandoffSegment.discard(liveName);
        }
    }
}
