package io.multiprocessing4j.hazelcast;

import com.hazelcast.cluster.Member;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The members a {@link Dispatcher} sends to, and how many batches each has in flight: a member gets
 * another batch while it has fewer than its window, members in turn. A member whose connection
 * broke while the cluster still lists it is suspect: it gets nothing until the cluster removes it,
 * or, if it does not (the connection came back), for a while. Not thread-safe: the dispatcher's
 * lock guards it.
 */
final class MemberWindows {
    private static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int processes;
    private final int batchesPerThread;
    private final Map<UUID, Integer> busy = new HashMap<>();
    /** Suspect members, with the nanoTime until which they get no work. */
    private final Map<UUID, Long> suspects = new HashMap<>();
    private Member[] members = new Member[0];
    private int nextMember;

    /**
     * @param processes how many tasks the cluster runs at once (shared among the members)
     * @param batchesPerThread how many batches each of a member's task threads may have in flight
     */
    MemberWindows(int processes, int batchesPerThread) {
        this.processes = processes;
        this.batchesPerThread = batchesPerThread;
    }

    void members(Collection<Member> current) {
        members = current.toArray(new Member[0]);
    }

    /** The cluster removed the member: it is no longer suspect, just gone. */
    void removed(Member member) {
        suspects.remove(member.getUuid());
    }

    /** How many batches a member may have in flight. */
    int window() {
        int threads = Math.max(1, (processes + members.length - 1) / Math.max(1, members.length));
        return batchesPerThread * threads;
    }

    /** How many batches all members together may have in flight. */
    int slots() {
        return members.length * window();
    }

    /** The next member in turn with room in its window, not suspect; null if none. */
    Member free() {
        int window = window();
        for (int tries = 0; tries < members.length; tries++) {
            Member member = members[Math.floorMod(nextMember++, members.length)];
            if (!isSuspect(member) && busy.getOrDefault(member.getUuid(), 0) < window) {
                return member;
            }
        }
        return null;
    }

    /** Whether any member may get work (when none has room, some batch will free it). */
    boolean anyServing() {
        for (Member member : members) {
            if (!isSuspect(member)) {
                return true;
            }
        }
        return false;
    }

    void taken(Member member) {
        busy.merge(member.getUuid(), 1, Integer::sum);
    }

    void freed(Member member) {
        busy.merge(member.getUuid(), -1, (a, b) -> a + b == 0 ? null : a + b);
    }

    /** The member's connection broke: if the cluster still lists it, it gets no work for a while. */
    void suspect(Member member) {
        for (Member listed : members) {
            if (listed.getUuid().equals(member.getUuid())) {
                suspects.put(member.getUuid(), System.nanoTime() + SUSPECT_NANOS);
            }
        }
    }

    private boolean isSuspect(Member member) {
        Long until = suspects.get(member.getUuid());
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            suspects.remove(member.getUuid());
            return false;
        }
        return true;
    }
}
