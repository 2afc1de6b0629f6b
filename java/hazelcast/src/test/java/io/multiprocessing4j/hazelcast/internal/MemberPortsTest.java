package io.multiprocessing4j.hazelcast.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.hazelcast.internal.MemberPorts.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemberPortsTest {
    @Test
    void portsAreDistinctBindableAndOutsideTheKernelsEphemeralRange() throws IOException {
        PortRange ephemeral = MemberPorts.ephemeralRange();
        List<Integer> ports = MemberPorts.pick(5);
        assertEquals(5, new HashSet<>(ports).size(), ports.toString());
        for (int port : ports) {
            assertFalse(ephemeral.contains(port), port + " is in the ephemeral range " + ephemeral);
            try (ServerSocket member = new ServerSocket()) {
                member.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            }
        }
    }

    @Test
    void candidatesLieJustBelowTheEphemeralRangeOrAboveItWhenThereIsNoRoomBelow() {
        assertEquals(new PortRange(16384, 32767), MemberPorts.candidates(MemberPorts.LINUX_DEFAULT_EPHEMERAL));
        assertEquals(new PortRange(11617, 28000), MemberPorts.candidates(new PortRange(28001, 60999)));
        assertEquals(new PortRange(40001, 56384), MemberPorts.candidates(new PortRange(1500, 40000)));
        // Gaps of 976 below and 535 above are both too narrow to pick among: any port will do.
        assertEquals(new PortRange(1024, 65535), MemberPorts.candidates(new PortRange(2000, 65000)));
    }

    @Test
    void aTakenPortIsNeverChosenAndARangeWithNoFreePortFailsClearly() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            IOException noPort = assertThrows(IOException.class,
                    () -> MemberPorts.pick(1, new PortRange(port, port), new Random(1)));
            assertTrue(noPort.getMessage().contains(port + "-" + port), noPort.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> MemberPorts.pick(3, new PortRange(20000, 20001), new Random(1)));
    }
}
