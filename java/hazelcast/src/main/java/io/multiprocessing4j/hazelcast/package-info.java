/**
 * The pool, queues, dict and list of {@code multiprocessing} on a Hazelcast cluster: a
 * {@link io.multiprocessing4j.hazelcast.Cluster} (member JVMs started on this machine, or an
 * existing cluster) gives a {@link io.multiprocessing4j.hazelcast.ClusterPool}, which implements
 * the same {@link io.multiprocessing4j.pool.ProcessPool} as the local
 * {@link io.multiprocessing4j.pool.Pool}, and cluster-wide {@code BlockingQueue}, {@code Map} and
 * {@code List}.
 */
package io.multiprocessing4j.hazelcast;
