package io.multiprocessing4j.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.multiprocessing4j.hazelcast.internal.LocalMembers;
import io.multiprocessing4j.hazelcast.internal.Logging;
import io.multiprocessing4j.hazelcast.internal.MemberContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Hazelcast cluster to run a {@link ClusterPool} on and to hold shared queues, maps and lists:
 * either members this JVM starts on this machine ({@link #local(int)}), or an existing cluster
 * ({@link #connect(String, String...)}, {@link #connect(ClientConfig)}). This JVM is a client of
 * the cluster, never a member: it holds no data, and its tasks run on the members.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.local(3);                    // three member JVMs on loopback
 *      ClusterPool pool = cluster.pool()) {
 *     List<Long> cubes = pool.map(Cubes::cube, numbers);
 *     BlockingQueue<String> queue = cluster.queue("jobs");    // Hazelcast IQueue
 *     Map<String, Long> totals = cluster.map("totals");      // Hazelcast IMap
 * }                                                           // members end with the cluster
 * }</pre>
 *
 * <p><b>Local clusters</b> are children of this JVM, started with its {@code java} and class path
 * (so tasks' classes are there), each bound to 127.0.0.1 only, joining by TCP-IP (never multicast)
 * a cluster with a generated name. They end with {@link #close()}, and if this JVM dies, even by
 * SIGKILL, at once (they watch a pipe from it). Failure detection is short ({@link
 * Builder#failureDetection}, 10 seconds by default): a silent member is declared lost after it; a
 * killed one is noticed at once, when its connections close.
 *
 * <p>Code running on a member (a task) reaches the member's cluster with {@link #member()}.
 */
public final class Cluster implements AutoCloseable {
    private static final Duration DEFAULT_FAILURE_DETECTION = Duration.ofSeconds(10);

    private final HazelcastInstance hazelcast;
    private final LocalMembers localMembers;
    private final int threadsPerMember;
    private final boolean owned;
    private final Duration failureDetection;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Cluster(HazelcastInstance hazelcast, LocalMembers localMembers, int threadsPerMember, boolean owned,
                    Duration failureDetection) {
        this.hazelcast = hazelcast;
        this.localMembers = localMembers;
        this.threadsPerMember = threadsPerMember;
        this.owned = owned;
        this.failureDetection = failureDetection;
    }

    /** A cluster of {@code members} member JVMs on this machine, one task thread each. */
    public static Cluster local(int members) {
        return builder().members(members).build();
    }

    /** Settings of a local cluster. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to an existing cluster named {@code clusterName} at the given member addresses
     * ("host:port"). Tasks' classes must be on the members' class path (see the README).
     */
    public static Cluster connect(String clusterName, String... addresses) {
        Objects.requireNonNull(clusterName, "clusterName");
        if (addresses.length == 0) {
            throw new IllegalArgumentException("no member address given");
        }
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig().addAddress(addresses);
        return connect(config);
    }

    /** Connects to an existing cluster with a Hazelcast client configuration. */
    public static Cluster connect(ClientConfig config) {
        Objects.requireNonNull(config, "config");
        Logging.quiet();
        return new Cluster(HazelcastClient.newHazelcastClient(config), null, 0, true, null);
    }

    /**
     * The cluster of the member this code runs on (in a task of a local cluster's member); an
     * {@link IllegalStateException} elsewhere. Closing it does nothing: the member belongs to its owner.
     */
    public static Cluster member() {
        HazelcastInstance instance = MemberContext.get();
        if (instance == null) {
            throw new IllegalStateException("not running on a member of a local cluster");
        }
        return new Cluster(instance, null, 0, false, null);
    }

    /** Settings of a {@link Cluster#local local} cluster. */
    public static final class Builder {
        private int members = 2;
        private int threadsPerMember = 1;
        private Duration failureDetection = DEFAULT_FAILURE_DETECTION;
        private Duration startTimeout = Duration.ofSeconds(120);
        private final List<String> jvmOptions = new ArrayList<>();

        Builder() {
        }

        /** How many member JVMs (default 2). */
        public Builder members(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least 1 member, not " + count);
            }
            this.members = count;
            return this;
        }

        /** How many tasks each member runs at once (default 1, as a local pool's worker). */
        public Builder threadsPerMember(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threadsPerMember must be at least 1, not " + threads);
            }
            this.threadsPerMember = threads;
            return this;
        }

        /**
         * How long a silent member is given before the cluster declares it lost (whole seconds, at
         * least 2; default 10, Hazelcast's own is 60). Shorter notices a frozen member sooner, but may
         * declare lost a member that is only slow on an overloaded machine. A member that is killed is
         * noticed sooner, when its
         * connections close.
         */
        public Builder failureDetection(Duration timeout) {
            if (timeout.getSeconds() < 2) {
                throw new IllegalArgumentException("failureDetection must be at least 2 seconds, not " + timeout);
            }
            this.failureDetection = timeout;
            return this;
        }

        /** How long the members may take to start and join (default 120 seconds). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Extra JVM options for the member JVMs (after the library's own: -Xmx128m, -XX:+UseSerialGC). */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** Starts the members and connects to them; returns once all have joined. */
        public Cluster build() {
            Logging.quiet();
            String clusterName = "multiprocessing4j-" + UUID.randomUUID();
            int failureSeconds = (int) failureDetection.getSeconds();
            LocalMembers started;
            try {
                started = LocalMembers.start(clusterName, members, threadsPerMember, failureSeconds, jvmOptions,
                        startTimeout);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the cluster's members: " + e.getMessage(), e);
            }
            HazelcastInstance client = null;
            try {
                ClientConfig config = new ClientConfig();
                config.setClusterName(clusterName);
                config.getNetworkConfig().setAddresses(started.addresses());
                config.setProperty("hazelcast.client.heartbeat.interval", "1000");
                config.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(failureDetection.toMillis()));
                config.getConnectionStrategyConfig().getConnectionRetryConfig()
                        .setClusterConnectTimeoutMillis(startTimeout.toMillis());
                client = HazelcastClient.newHazelcastClient(config);
                awaitMembers(client, started, members, System.nanoTime() + startTimeout.toNanos());
                return new Cluster(client, started, threadsPerMember, true, failureDetection);
            } catch (RuntimeException | Error e) {
                if (client != null) {
                    client.shutdown();
                }
                started.close();
                throw e;
            }
        }

        private static void awaitMembers(HazelcastInstance client, LocalMembers started, int count, long deadline) {
            Object joined = new Object();
            UUID listener = client.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    synchronized (joined) {
                        joined.notifyAll();
                    }
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    // a member lost while starting shows as a dead process below
                }
            });
            try {
                synchronized (joined) {
                    while (client.getCluster().getMembers().size() < count) {
                        started.checkAlive();
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            throw new IllegalStateException("only " + client.getCluster().getMembers().size() + " of "
                                    + count + " members joined in time");
                        }
                        joined.wait(Math.max(1, Math.min(remaining / 1_000_000, 200)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the members joined", e);
            } finally {
                client.getCluster().removeMembershipListener(listener);
            }
        }
    }

    // ---------------------------------------------------------------- pools and primitives

    /** A pool running tasks on this cluster's members (no task timeout, lost tasks fail). */
    public ClusterPool pool() {
        return poolBuilder().build();
    }

    /** For a pool with settings: task timeout, re-run on member loss. */
    public ClusterPool.Builder poolBuilder() {
        checkOpen();
        return new ClusterPool.Builder(this);
    }

    /**
     * The cluster's queue named {@code name} (Hazelcast's {@code IQueue}): a {@link BlockingQueue}
     * shared by every member and client, each element taken once; kept with a backup on another
     * member, so it survives the loss of one member.
     */
    public <E> BlockingQueue<E> queue(String name) {
        checkOpen();
        return hazelcast.getQueue(name);
    }

    /** The cluster's map named {@code name} (Hazelcast's {@code IMap}): the manager's {@code dict}, partitioned over the members. */
    public <K, V> ConcurrentMap<K, V> map(String name) {
        checkOpen();
        return hazelcast.getMap(name);
    }

    /** The cluster's list named {@code name} (Hazelcast's {@code IList}): the manager's {@code list}. */
    public <E> List<E> list(String name) {
        checkOpen();
        return hazelcast.getList(name);
    }

    /** The members' addresses ("host:port"), as the cluster knows them now. */
    public List<String> members() {
        List<String> addresses = new ArrayList<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            addresses.add(String.valueOf(member.getAddress()));
        }
        return addresses;
    }

    /** The pids of the member JVMs this cluster started (empty for a cluster it connected to). */
    public List<Long> memberPids() {
        return localMembers != null ? localMembers.pids() : List.of();
    }

    /**
     * How many tasks the cluster runs at once, as a pool counts them for its default chunksize:
     * members × threads per member for a local cluster, the member count otherwise.
     */
    public int processes() {
        int count = hazelcast.getCluster().getMembers().size();
        return Math.max(1, localMembers != null ? count * threadsPerMember : count);
    }

    /** The failure-detection time of a local cluster, or null for a cluster connected to. */
    public Duration failureDetection() {
        return failureDetection;
    }

    /** The Hazelcast instance behind this cluster (a client, or the member for {@link #member()}). */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the cluster is closed");
        }
    }

    /** Disconnects; for a local cluster, also ends its member JVMs. Idempotent. */
    @Override
    public void close() {
        if (!owned || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            hazelcast.shutdown();
        } finally {
            if (localMembers != null) {
                localMembers.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Cluster[" + hazelcast.getConfig().getClusterName() + ", members=" + members() + "]";
    }
}
