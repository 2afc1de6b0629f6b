package io.multiprocessing4j.hazelcast;

import io.multiprocessing4j.errors.WorkerDiedException;
import java.util.UUID;

/**
 * The cluster member running a task left the cluster (it was killed, crashed, or was cut off)
 * before the task finished: the cause of that task's {@link java.util.concurrent.ExecutionException}
 * (unless the pool re-runs lost tasks once elsewhere, {@link ClusterPool.Builder#rerunOnMemberLoss}).
 * It is a {@link WorkerDiedException}, so code written for the local pool catches it too; the
 * {@link #pid()} is the member JVM's when the library started it, else -1, and the exit code is
 * unknown (-1).
 */
public class MemberLostException extends WorkerDiedException {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final UUID uuid;

    /** A loss of the member at {@code address} with {@code uuid} and {@code pid} (-1 if unknown). */
    public MemberLostException(String message, String address, UUID uuid, long pid) {
        super(message, pid, -1);
        this.address = address;
        this.uuid = uuid;
    }

    /** The lost member's address, "host:port". */
    public String address() {
        return address;
    }

    /** The lost member's Hazelcast uuid. */
    public UUID uuid() {
        return uuid;
    }
}
