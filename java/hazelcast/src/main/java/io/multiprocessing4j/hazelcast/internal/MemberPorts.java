package io.multiprocessing4j.hazelcast.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The loopback ports a local cluster's members will listen on, chosen before they start.
 *
 * <p>The ports are told to every member up front (each lists all the others to join), so they are
 * picked here, checked free, and released for the members to bind a second or so later. A port the
 * kernel hands out itself ({@code bind} to port 0) is a poor choice for that gap: it comes from the
 * ephemeral range, the same range the kernel draws from for the members' own outgoing connections
 * (Hazelcast binds each of them to port 0), and one of those can take a member's port before that
 * member has bound it; the member then fails to start. So the ports come from just below the
 * kernel's ephemeral range (or above it where there is no room below), which only an explicit
 * {@code bind} can take, at random so that clusters started at the same time do not pick alike.
 */
final class MemberPorts {
    /** Linux's default ephemeral range, used where {@code /proc} does not say. */
    static final PortRange LINUX_DEFAULT_EPHEMERAL = new PortRange(32768, 60999);
    private static final Path EPHEMERAL_RANGE_FILE = Paths.get("/proc/sys/net/ipv4/ip_local_port_range");
    /** Ports below this are left to services with well-known numbers. */
    private static final int LOWEST = 1024;
    /** How far below the ephemeral range the ports are taken from. */
    private static final int WINDOW = 16384;
    private static final InetAddress LOOPBACK = loopbackV4();
    /** Candidates tried per port before the choice is given up. */
    private static final int ATTEMPTS_PER_PORT = 64;

    private MemberPorts() {
    }

    /** An inclusive range of ports. */
    record PortRange(int first, int last) {
        PortRange {
            if (first < 1 || last > 65535 || first > last) {
                throw new IllegalArgumentException("not a port range: " + first + "-" + last);
            }
        }

        int size() {
            return last - first + 1;
        }

        boolean contains(int port) {
            return port >= first && port <= last;
        }
    }

    /** {@code count} distinct free loopback ports outside this machine's ephemeral range. */
    static List<Integer> pick(int count) throws IOException {
        return pick(count, candidates(ephemeralRange()), ThreadLocalRandom.current());
    }

    /** {@code count} distinct loopback ports from {@code candidates}, each free when checked. */
    static List<Integer> pick(int count, PortRange candidates, Random random) throws IOException {
        if (count > candidates.size()) {
            throw new IllegalArgumentException(count + " ports wanted from " + candidates);
        }
        List<Integer> ports = new ArrayList<>(count);
        int attempts = 0;
        while (ports.size() < count) {
            if (attempts++ == ATTEMPTS_PER_PORT * count) {
                throw new IOException("no " + count + " free loopback ports in " + candidates.first() + "-"
                        + candidates.last() + " after " + (attempts - 1) + " tries (found " + ports + ")");
            }
            int port = candidates.first() + random.nextInt(candidates.size());
            if (!ports.contains(port) && isFree(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    /** Where to take member ports from, given the kernel's ephemeral range. */
    static PortRange candidates(PortRange ephemeral) {
        int below = Math.max(LOWEST, ephemeral.first() - WINDOW);
        if (ephemeral.first() - below >= WINDOW / 4) {
            return new PortRange(below, ephemeral.first() - 1);
        }
        int above = Math.min(65535, ephemeral.last() + WINDOW);
        if (above - ephemeral.last() >= WINDOW / 4) {
            return new PortRange(ephemeral.last() + 1, above);
        }
        // The ephemeral range covers (almost) everything: no port is safe from it, so any will do.
        return new PortRange(LOWEST, 65535);
    }

    /** The kernel's ephemeral port range ({@code net.ipv4.ip_local_port_range}), or Linux's default. */
    static PortRange ephemeralRange() {
        try {
            String[] bounds = new String(Files.readAllBytes(EPHEMERAL_RANGE_FILE), StandardCharsets.US_ASCII)
                    .trim().split("\\s+");
            return new PortRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException unreadable) {
            return LINUX_DEFAULT_EPHEMERAL;
        }
    }

    /** 127.0.0.1, the address the members listen on. */
    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Whether a listener could bind {@code port} on loopback now. Without {@code SO_REUSEADDR}, so
     * that a port whose old connections still linger is passed over too.
     */
    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
