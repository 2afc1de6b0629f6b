package io.multiprocessing4j.internal.nativ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.internal.sync.SharedWords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scratch buffer is zeroed native memory that takes atomic word access as a segment's mapping
 * does, is gone from the process's mappings once closed (checked in /proc/self/maps), and refuses
 * use after close and sizes that are not positive.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScratchBufferTest {
    @Test
    void itIsZeroedMemoryForAtomicWordsAndIsUnmappedAtClose() throws Exception {
        long address;
        try (ScratchBuffer scratch = ScratchBuffer.allocate(128)) {
            ByteBuffer words = scratch.buffer();
            assertTrue(words.isDirect());
            assertEquals(128, words.capacity());
            for (int i = 0; i < words.capacity(); i++) {
                assertEquals(0, words.get(i), "byte " + i);
            }
            assertEquals(0L, (long) SharedWords.LONG.getAndAdd(words, 8, 5L));
            assertTrue(SharedWords.LONG.compareAndSet(words, 8, 5L, 7L));
            assertEquals(7, (int) SharedWords.INT.getAndAdd(words, 8, 1)); // the low half, little-endian
            address = scratch.address();
            assertTrue(isMapped(address), "mapped while open");
        }
        assertFalse(isMapped(address), "unmapped once closed");
    }

    @Test
    void useAfterCloseAndANonPositiveSizeAreRefused() throws Exception {
        ScratchBuffer scratch = ScratchBuffer.allocate(64);
        scratch.close();
        scratch.close(); // once is enough; twice is harmless
        assertThrows(IllegalStateException.class, scratch::buffer);
        assertThrows(IllegalArgumentException.class, () -> ScratchBuffer.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> ScratchBuffer.allocate(-1));
    }

    /** Whether {@code address} lies in one of this process's mappings. */
    private static boolean isMapped(long address) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)) {
                return true;
            }
        }
        return false;
    }
}
