package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spare's preloading names classes in strings: a class renamed or moved must not drop out unseen. */
class SpareRehearsalTest {
    @Test
    void everyClassTheSparePreloadsExists() {
        List<String> missing = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(SpareRehearsal.CARRIED_CLASSES));
        names.addAll(List.of(SpareRehearsal.HANDOFF_CLASSES));
        names.add(SpareRehearsal.POOL_WORKER);
        names.add(SpareRehearsal.CARRIED_OBJECTS);
        for (String name : names) {
            try {
                Class.forName(name, false, SpareRehearsalTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "names in SpareRehearsal that no longer name a class");
    }
}
