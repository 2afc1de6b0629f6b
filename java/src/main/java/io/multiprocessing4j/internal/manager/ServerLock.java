package io.multiprocessing4j.internal.manager;

/**
 * A manager's {@code Lock} or {@code RLock}: held by one thread of one client process. Unlike
 * Python's, it remembers its holder, so a holder whose process dies (its connections close)
 * gives it back, and a waiter gets it.
 *
 * <p>A {@code Lock} may be released by any thread (as in Python); an {@code RLock} only by its
 * holder, once per acquire.
 */
final class ServerLock implements ServerObject {
    private final boolean reentrant;
    private Caller holder;
    private int count;

    ServerLock(boolean reentrant) {
        this.reentrant = reentrant;
    }

    @Override
    public Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "acquire": return acquire(caller, Waits.deadlineOf(args), 1) ? Boolean.TRUE : Pending.NOT_YET;
            case "release": release(caller); return null;
            case "isHeldByCaller": return isHeldBy(caller);
            case "isLocked": return isLocked();
            case "holdCount": return holdCount(caller);
            case "toString": return describe();
            default: throw SharedKind.unknown(operation);
        }
    }

    /**
     * Takes the lock for {@code caller} ({@code times} deep), waiting until {@code deadline} (see
     * {@link Waits}); false if not taken.
     */
    synchronized boolean acquire(Caller caller, long deadline, int times) {
        if (reentrant && caller.sameAs(holder)) {
            count += times;
            return true;
        }
        while (holder != null) {
            if (!Waits.waitUntil(this, deadline, caller)) {
                return false;
            }
        }
        if (caller.client().died) {
            notifyAll();
            return false; // nobody is left to release it
        }
        holder = caller;
        count = times;
        return true;
    }

    synchronized void release(Caller caller) {
        if (holder == null) {
            throw new IllegalMonitorStateException(reentrant ? "cannot release un-acquired lock"
                    : "semaphore or lock released too many times");
        }
        if (reentrant && !caller.sameAs(holder)) {
            throw new IllegalMonitorStateException("cannot release un-acquired lock");
        }
        if (--count == 0 || !reentrant) {
            holder = null;
            count = 0;
            notifyAll();
        }
    }

    /** Releases completely a lock {@code caller} holds, for a condition's wait; returns the depth to restore. */
    synchronized int releaseFully(Caller caller) {
        if (holder == null || reentrant && !caller.sameAs(holder)) {
            throw new IllegalMonitorStateException("cannot wait on un-acquired lock");
        }
        int saved = count;
        holder = null;
        count = 0;
        notifyAll();
        return saved;
    }

    /**
     * Whether {@code caller} may wait on or notify a condition of this lock (Python's
     * {@code _is_owned}): it holds the RLock; for a Lock, which has no owner in Python, it is held.
     */
    synchronized boolean ownedBy(Caller caller) {
        return reentrant ? caller.sameAs(holder) : holder != null;
    }

    synchronized boolean isHeldBy(Caller caller) {
        return caller.sameAs(holder);
    }

    synchronized boolean isLocked() {
        return holder != null;
    }

    synchronized int holdCount(Caller caller) {
        return caller.sameAs(holder) ? count : 0;
    }

    @Override
    public synchronized void clientDied(ClientState client) {
        if (holder != null && holder.client() == client) {
            holder = null;
            count = 0;
            notifyAll();
        }
    }

    private synchronized String describe() {
        return (reentrant ? "RLock" : "Lock") + (holder == null ? "[unlocked]" : "[locked]");
    }
}
