package io.multiprocessing4j.hazelcast.internal;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The member JVMs of a local cluster: children of this JVM (started with the JDK's
 * {@link ProcessBuilder}, which the library's reaper leaves alone), with this JVM's class path, each
 * holding the read end of a pipe whose write end is our {@link Process#getOutputStream()}: when we
 * close it, or die, the members halt ({@link MemberMain}).
 */
public final class LocalMembers implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports;

    private LocalMembers(List<Integer> ports) {
        this.ports = ports;
    }

    /**
     * Starts {@code count} members of cluster {@code clusterName}: the first alone (it becomes the
     * master), then the others at once, joining it. Returns once every member has joined.
     */
    public static LocalMembers start(String clusterName, int count, int threads, int failureSeconds,
                                     List<String> jvmOptions, Duration startTimeout) throws IOException {
        LocalMembers members = new LocalMembers(MemberPorts.pick(count));
        // Members report on this socket once they have joined: "<token> <pid>". The token (never
        // shown outside the members' command lines) keeps a stray local connection from counting.
        String token = UUID.randomUUID().toString();
        try (ServerSocket ready = new ServerSocket(0, count, InetAddress.getLoopbackAddress())) {
            StringJoiner all = new StringJoiner(",");
            for (int port : members.ports) {
                all.add(Integer.toString(port));
            }
            String readyAddress = ready.getLocalPort() + ":" + token;
            long deadline = System.nanoTime() + startTimeout.toNanos();
            members.launch(clusterName, 0, all.toString(), threads, failureSeconds, jvmOptions, readyAddress);
            members.awaitReady(ready, token, 1, deadline);
            for (int i = 1; i < count; i++) {
                members.launch(clusterName, i, all.toString(), threads, failureSeconds, jvmOptions, readyAddress);
            }
            members.awaitReady(ready, token, count - 1, deadline);
        } catch (IOException | RuntimeException e) {
            members.close();
            throw e;
        }
        return members;
    }

    /** Waits until {@code expected} members have reported; fails if one exits or the deadline passes. */
    private void awaitReady(ServerSocket ready, String token, int expected, long deadline) throws IOException {
        int reported = 0;
        ready.setSoTimeout(200);
        while (reported < expected) {
            checkAlive();
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("only " + reported + " of " + expected + " members started in time");
            }
            try (Socket member = ready.accept()) {
                member.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(member.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                if (line != null && line.startsWith(token + " ")) {
                    reported++;
                }
            } catch (SocketTimeoutException notYet) {
                // check the members and the deadline, then wait again
            }
        }
    }

    private void launch(String clusterName, int index, String allPorts, int threads, int failureSeconds,
                        List<String> jvmOptions, String readyAddress) throws IOException {
        List<String> command = new ArrayList<>();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        command.add(java.toString());
        command.add("-Xmx128m");
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.net.preferIPv4Stack=true");
        // Hazelcast's recommended opens on JDK 17+: without them it warns and runs slower paths.
        command.add("--add-modules");
        command.add("java.se");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.ref=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.management/sun.management=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("jdk.management/com.sun.management.internal=ALL-UNNAMED");
        command.addAll(newerJdkGrants(Runtime.version().feature()));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MemberMain.class.getName());
        command.add(clusterName);
        command.add(Integer.toString(ports.get(index)));
        command.add(allPorts);
        command.add(Integer.toString(threads));
        command.add(Integer.toString(failureSeconds));
        command.add(readyAddress);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .directory(new File(System.getProperty("user.dir")));
        processes.add(builder.start());
    }

    /**
     * What Hazelcast does on newer JDKs, granted in the members as the opens above are: it reads
     * fields through {@code sun.misc.Unsafe} (JDK 24 and later warn at the first use; the option is
     * known from JDK 23), and it replaces a final field of the JDK's selector by a set of its own
     * that makes no garbage (JDK 26 and later warn). Each warning is a few lines on the stderr the
     * members share with their owner, for every member started. A member runs this JVM's
     * {@code java}: the options are those its feature version {@code feature} knows.
     */
    public static List<String> newerJdkGrants(int feature) {
        List<String> grants = new ArrayList<>();
        if (feature >= 23) {
            grants.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (feature >= 26) {
            grants.add("--enable-final-field-mutation=ALL-UNNAMED");
        }
        return grants;
    }

    /** An exception if a member has exited. */
    public void checkAlive() throws IOException {
        for (Process process : processes) {
            checkAlive(process);
        }
    }

    private static void checkAlive(Process process) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("member pid " + process.pid() + " exited with code " + process.exitValue()
                    + " while the cluster was starting (its output is above)");
        }
    }

    /** The members' addresses, "127.0.0.1:port". */
    public List<String> addresses() {
        List<String> addresses = new ArrayList<>();
        for (int port : ports) {
            addresses.add("127.0.0.1:" + port);
        }
        return addresses;
    }

    /** The member JVMs' pids, in start order. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (Process process : processes) {
            pids.add(process.pid());
        }
        return pids;
    }

    /** Ends every member: closes their pipe (they halt), then kills any still alive after a grace period. */
    @Override
    public void close() {
        for (Process process : processes) {
            try {
                process.getOutputStream().close();
            } catch (IOException alreadyClosed) {
                // the member is gone or going
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean interrupted = false;
        for (Process process : processes) {
            try {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || !process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.destroyForcibly();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
