package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.multiprocessing4j.hazelcast.internal.Members;
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

    /** The loss of {@code member}, for a task it had not finished. */
    static MemberLostException of(Member member) {
        return new MemberLostException("member " + Members.describe(member)
                + " left the cluster before the task finished", String.valueOf(member.getAddress()),
                member.getUuid(), Members.pid(member));
    }

    /** Whether Hazelcast's failure of an invocation says its member is gone (or unreachable). */
    static boolean isMemberLoss(Throwable cause) {
        return cause instanceof MemberLeftException || cause instanceof TargetDisconnectedException
                || cause instanceof TargetNotMemberException;
    }
}
