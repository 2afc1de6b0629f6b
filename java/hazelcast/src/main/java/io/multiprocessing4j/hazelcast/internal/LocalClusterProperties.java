package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.config.Config;

/**
 * Settings of the clusters the library starts on this machine: short failure detection (a killed
 * member is noticed in seconds, not Hazelcast's default minute), an immediate join, no phone-home,
 * few partitions (a small cluster migrates them faster), and no shutdown hook (a member halts when
 * its owner goes).
 */
public final class LocalClusterProperties {
    private LocalClusterProperties() {
    }

    public static void apply(Config config, int failureSeconds) {
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(failureSeconds));
        config.setProperty("hazelcast.partition.count", "31");
        config.getJetConfig().setEnabled(false);
    }
}
