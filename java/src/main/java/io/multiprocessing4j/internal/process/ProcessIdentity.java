package io.multiprocessing4j.internal.process;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who this process is, in Python's terms: its name, identity path ({@code (1, 2)} for the second
 * child of the first child, hence the name {@code ChildProcess-1:2}), daemon flag, authkey and
 * parent. The main process is {@code MainProcess}; a child gets its identity from the bootstrap
 * message before its target runs.
 */
public final class ProcessIdentity {
    private static final int AUTHKEY_LENGTH = 32;

    private static volatile ProcessIdentity current;

    private volatile String name;
    private final int[] identity;
    private final boolean daemon;
    private final byte[] authkey;
    private final int parentPid;
    private final String parentName;
    private final AtomicInteger childCounter = new AtomicInteger();

    private ProcessIdentity(String name, int[] identity, boolean daemon, byte[] authkey, int parentPid,
                            String parentName) {
        this.name = name;
        this.identity = identity;
        this.daemon = daemon;
        this.authkey = authkey;
        this.parentPid = parentPid;
        this.parentName = parentName;
    }

    public static ProcessIdentity current() {
        ProcessIdentity identity = current;
        if (identity == null) {
            synchronized (ProcessIdentity.class) {
                if (current == null) {
                    byte[] key = new byte[AUTHKEY_LENGTH];
                    new SecureRandom().nextBytes(key);
                    current = new ProcessIdentity("MainProcess", new int[0], false, key, 0, null);
                }
                identity = current;
            }
        }
        return identity;
    }

    /** Called once by the child's entry point, before any user code runs. */
    public static void installChild(String name, int[] identity, boolean daemon, byte[] authkey, int parentPid,
                                    String parentName) {
        synchronized (ProcessIdentity.class) {
            current = new ProcessIdentity(name, identity.clone(), daemon, authkey.clone(), parentPid, parentName);
        }
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int[] identity() {
        return identity.clone();
    }

    public boolean isDaemon() {
        return daemon;
    }

    public byte[] authkey() {
        return authkey.clone();
    }

    /** The parent's pid, or 0 in the main process. */
    public int parentPid() {
        return parentPid;
    }

    public String parentName() {
        return parentName;
    }

    public boolean isMainProcess() {
        return parentPid == 0;
    }

    /** The identity of the next child this process creates: ours plus the next counter value. */
    public int[] nextChildIdentity() {
        int[] child = Arrays.copyOf(identity, identity.length + 1);
        child[identity.length] = childCounter.incrementAndGet();
        return child;
    }

    /** Python's default name for a process with this identity path. */
    public static String defaultName(int[] identity) {
        StringBuilder name = new StringBuilder("ChildProcess-");
        for (int i = 0; i < identity.length; i++) {
            if (i > 0) {
                name.append(':');
            }
            name.append(identity[i]);
        }
        return name.toString();
    }
}
