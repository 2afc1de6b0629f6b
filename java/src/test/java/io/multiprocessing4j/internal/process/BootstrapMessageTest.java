package io.multiprocessing4j.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A child's orders: read back exactly as sent, and malformed ones refused with a clear error. */
class BootstrapMessageTest {
    private static byte[] body() {
        BootstrapMessage sent = new BootstrapMessage("Process-1:2 é", new int[] {1, 2}, true, new byte[] {9, 8, 7},
                4242, "MainProcess", LaunchSettings.DEFAULTS, 3, true, new byte[] {1, 2, 3, 4, 5});
        byte[] framed = sent.encode();
        return Arrays.copyOfRange(framed, 4, framed.length); // what the child reads after the length
    }

    @Test
    void aMessageReadsBackAsItWasSent() throws Exception {
        BootstrapMessage read = BootstrapMessage.decode(body());
        assertEquals("Process-1:2 é", read.name);
        assertArrayEquals(new int[] {1, 2}, read.identity);
        assertTrue(read.daemon);
        assertArrayEquals(new byte[] {9, 8, 7}, read.authkey);
        assertEquals(4242, read.parentPid);
        assertEquals("MainProcess", read.parentName);
        assertEquals(3, read.transferredFdCount);
        assertTrue(read.compactTarget);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, read.target);
    }

    @Test
    void everyTruncationIsACorruptStreamNeverAnotherException() {
        byte[] body = body();
        for (int length = 0; length < body.length; length++) {
            byte[] cut = Arrays.copyOf(body, length);
            IOException thrown = assertThrows(IOException.class, () -> BootstrapMessage.decode(cut), "cut at " + length);
            assertTrue(thrown instanceof StreamCorruptedException, "cut at " + length + ": " + thrown);
        }
    }

    @Test
    void aHugeFieldLengthIsRefusedBeforeAnyAllocation() {
        byte[] body = body();
        // The name's length follows the magic and the version.
        body[8] = (byte) 0x7f;
        body[9] = (byte) 0xff;
        body[10] = (byte) 0xff;
        body[11] = (byte) 0xff;
        StreamCorruptedException thrown = assertThrows(StreamCorruptedException.class,
                () -> BootstrapMessage.decode(body));
        assertTrue(thrown.getMessage().contains("length"), thrown.getMessage());
    }
}
