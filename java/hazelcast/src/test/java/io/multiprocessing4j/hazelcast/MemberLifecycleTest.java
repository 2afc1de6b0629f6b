package io.multiprocessing4j.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.multiprocessing4j.hazelcast.internal.LocalMembers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The member JVMs of a local cluster do not outlive their owner: they are gone when
 * {@link Cluster#close()} returns, and after the owner is SIGKILLed (no shutdown hook, no close())
 * within the failure-detection time. (That they are loopback children of the owner is checked by
 * {@link ClusterPoolTest}.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MemberLifecycleTest {

    /** The owner of the test: starts a cluster, prints its members' pids, waits to be killed. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            Cluster cluster = Cluster.local(2);
            StringBuilder line = new StringBuilder("PIDS");
            for (long pid : cluster.memberPids()) {
                line.append(' ').append(pid);
            }
            System.out.println(line);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(3));
        }
    }

    @Test
    void membersAreGoneWhenCloseReturns() {
        List<Long> pids = new ArrayList<>();
        try {
            try (Cluster cluster = Cluster.local(2)) {
                pids.addAll(cluster.memberPids());
                assertEquals(2, pids.size());
                for (long pid : pids) {
                    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "member " + pid);
                }
                assertEquals(2, cluster.members().size());
            }
            for (long pid : pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "member " + pid + " outlived close()");
            }
        } finally {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void membersDieWithAnOwnerKilledBySigkill() throws Exception {
        Process owner = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), Owner.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("PIDS ")) {
                    for (String pid : line.substring(5).split(" ")) {
                        pids.add(Long.parseLong(pid));
                    }
                    break;
                }
            }
            assertEquals(2, pids.size(), "the owner did not report its members");
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            }
            owner.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            owner.waitFor();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10 + 5); // they go at once; the bound is generous for a loaded machine
            for (long pid : pids) {
                while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    assertTrue(System.nanoTime() < deadline, "member " + pid + " outlived its owner");
                    Thread.sleep(50);
                }
            }
        } finally {
            owner.destroyForcibly();
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * Hazelcast reads fields through {@code sun.misc.Unsafe} and replaces a final field of the JDK's
     * selector: from JDK 24 and JDK 26 on, the JDK warns of each in every JVM that runs it. The
     * members a local cluster starts are granted both (their output is their owner's), so a cluster
     * starts without a word of it. The owner here is granted them as a user's JVM may be, so that
     * such a warning in its output is a member's. (JDK 17 to 23 have nothing to warn about.)
     */
    @Test
    void membersStartWithoutTheJdksWarningsAboutWhatHazelcastDoes() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        command.addAll(LocalMembers.newerJdkGrants(Runtime.version().feature()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Owner.class.getName()));
        Process owner = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch reported = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    if (line.startsWith("PIDS ")) {
                        reported.countDown();
                    }
                }
            } catch (IOException closed) {
                // the owner is gone
            }
        });
        reader.start();
        List<Long> pids = new ArrayList<>();
        try {
            assertTrue(reported.await(120, TimeUnit.SECONDS), "the owner did not report its members: " + output);
            synchronized (output) {
                for (String line : output) {
                    if (line.startsWith("PIDS ")) {
                        for (String pid : line.substring(5).split(" ")) {
                            pids.add(Long.parseLong(pid));
                        }
                    }
                }
            }
        } finally {
            owner.destroyForcibly();
            owner.waitFor();
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            reader.join(TimeUnit.SECONDS.toMillis(30)); // the members' end closes their copies of the output
        }
        synchronized (output) {
            for (String line : output) {
                assertFalse(line.contains("sun.misc.Unsafe") || line.contains("mutated reflectively"),
                        "the JDK warned of what Hazelcast does: " + line + "\nall of the output: " + output);
            }
        }
    }
}
