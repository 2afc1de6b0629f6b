package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The entry point of a member JVM the library starts on this machine. Arguments: cluster name,
 * this member's port, every member's port (comma-separated), executor threads, failure-detection
 * seconds, the
 * owner's ready port and token ("port:token").
 *
 * <p>The member lives as long as its owner: the owner holds the write end of this JVM's stdin, so
 * end of file on stdin means the owner closed the cluster or died (even by SIGKILL, when the kernel
 * closes its descriptors), and the member halts at once. Nothing else needs to be shut down
 * cleanly: the cluster's data belongs to the owner's cluster and goes with it.
 */
public final class MemberMain {
    private MemberMain() {
    }

    public static void main(String[] args) throws Exception {
        String clusterName = args[0];
        int port = Integer.parseInt(args[1]);
        String[] ports = args[2].split(",");
        int threads = Integer.parseInt(args[3]);
        int failureSeconds = Integer.parseInt(args[4]);
        watchOwner(System.in);
        Logging.quiet();

        Config config = new Config();
        config.setClusterName(clusterName);
        LocalClusterProperties.apply(config, failureSeconds);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        // Loopback only: nothing outside this machine can reach or join the cluster.
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true);
        for (String member : ports) {
            tcp.addMember("127.0.0.1:" + member);
        }
        config.getMemberAttributeConfig().setAttribute(Members.PID_ATTRIBUTE,
                Long.toString(ProcessHandle.current().pid()));
        config.getExecutorConfig(Members.EXECUTOR).setPoolSize(threads);
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        MemberContext.set(instance);
        reportReady(args[5]);
    }

    /** Tells the owner this member has joined: "<token> <pid>" to the owner's loopback port. */
    private static void reportReady(String readyAddress) throws IOException {
        int colon = readyAddress.indexOf(':');
        int port = Integer.parseInt(readyAddress.substring(0, colon));
        String token = readyAddress.substring(colon + 1);
        try (Socket owner = new Socket(InetAddress.getLoopbackAddress(), port)) {
            owner.getOutputStream().write((token + " " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void watchOwner(InputStream ownerPipe) {
        Thread watcher = new Thread(() -> {
            byte[] buffer = new byte[64];
            try {
                while (ownerPipe.read(buffer) >= 0) {
                    // the owner writes nothing; any bytes are ignored
                }
            } catch (IOException ownerGone) {
                // same as end of file
            }
            Runtime.getRuntime().halt(0);
        }, "multiprocessing4j-owner-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
