package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.cluster.Member;

/** Names shared by the owner and the members, and how a member is described in messages. */
public final class Members {
    /** The member attribute holding the member JVM's pid (set by members the library starts). */
    public static final String PID_ATTRIBUTE = "multiprocessing4j.pid";
    /** The Hazelcast executor the cluster pool submits to. */
    public static final String EXECUTOR = "multiprocessing4j-pool";

    private Members() {
    }

    /** The member's pid, or -1 if it did not say (a member the library did not start). */
    public static long pid(Member member) {
        String pid = member.getAttribute(PID_ATTRIBUTE);
        return pid != null ? Long.parseLong(pid) : -1;
    }

    /** "127.0.0.1:5701 (pid 1234, uuid ...)". */
    public static String describe(Member member) {
        long pid = pid(member);
        return member.getAddress() + " (" + (pid >= 0 ? "pid " + pid + ", " : "") + "uuid " + member.getUuid() + ")";
    }
}
