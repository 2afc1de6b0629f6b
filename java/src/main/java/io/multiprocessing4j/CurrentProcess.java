package io.multiprocessing4j;

import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.process.ProcessIdentity;
import java.util.Arrays;
import java.util.List;

/**
 * The process this code runs in, as {@link Multiprocessing#currentProcess()} shows it (Python's
 * {@code current_process()}): {@code MainProcess} in the JVM that was started by hand, the
 * {@link ChildProcess}'s name, daemon flag and authkey in a child.
 */
public final class CurrentProcess {
    private final ProcessIdentity identity;

    CurrentProcess(ProcessIdentity identity) {
        this.identity = identity;
    }

    /** This process's name: {@code MainProcess}, or the name its {@link ChildProcess} was given. */
    public String name() {
        return identity.name();
    }

    /** Renames this process (as Python allows); children created later are unaffected. */
    public void setName(String name) {
        identity.setName(java.util.Objects.requireNonNull(name, "name"));
    }

    /** This process's id, from {@code getpid(2)}. */
    public long pid() {
        return ProcessCalls.getpid();
    }

    /** Whether this process is a daemonic child; a daemonic process may not start children. */
    public boolean isDaemon() {
        return identity.isDaemon();
    }

    /** The authentication key (a copy): random in the main process, inherited by children. */
    public byte[] authkey() {
        return identity.authkey();
    }

    /** Python's identity path: empty in the main process, (1, 2) in the second child of the first child. */
    public List<Integer> identity() {
        return Arrays.stream(identity.identity()).boxed().toList();
    }

    boolean sameIdentity(ProcessIdentity other) {
        return identity == other;
    }

    @Override
    public String toString() {
        return "CurrentProcess[name=" + name() + ", pid=" + pid() + (isDaemon() ? ", daemon" : "") + "]";
    }
}
