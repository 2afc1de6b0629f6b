package io.multiprocessing4j.synchronize;

/**
 * The process that held a lock died while holding it, and the thread that gets this exception has
 * taken the lock over: it now holds it (with a count of one for an {@link RLock}), as after a
 * successful acquire, and must release it. Whatever the lock guards may be half-updated; repair it
 * before releasing, as with a robust mutex's {@code EOWNERDEAD}.
 */
public class OwnerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long deadPid;

    OwnerDiedException(long deadPid, String what) {
        super("the holder of the " + what + ", process " + deadPid + ", died while holding it; this thread now"
                + " holds the " + what + " and should repair the state it guards before releasing it");
        this.deadPid = deadPid;
    }

    /** The pid of the process that died holding the lock. */
    public long deadPid() {
        return deadPid;
    }
}
