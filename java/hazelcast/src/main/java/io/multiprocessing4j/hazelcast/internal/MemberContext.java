package io.multiprocessing4j.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;

/** The Hazelcast member this JVM runs, when it is a member started by the library. */
public final class MemberContext {
    private static volatile HazelcastInstance instance;

    private MemberContext() {
    }

    static void set(HazelcastInstance member) {
        instance = member;
    }

    /** The member of this JVM, or null. */
    public static HazelcastInstance get() {
        return instance;
    }
}
