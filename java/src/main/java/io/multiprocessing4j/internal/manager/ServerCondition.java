package io.multiprocessing4j.internal.manager;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A manager's {@code Condition} over a {@link ServerLock}. A wait is three requests:
 * {@code beginWait} enters the waiters and releases the lock in one step (so no notify can be
 * missed); {@code awaitNotify} waits for a notify, which the client may cancel (an interrupt);
 * {@code endWait} leaves the waiters (notified or not) and takes the lock back at its former depth,
 * which the client never cancels, and says whether the waiter was notified.
 */
final class ServerCondition implements ServerObject {
    /** One waiting thread. Guarded by the condition. */
    private static final class Waiter {
        final Caller caller;
        final int depth;
        boolean notified;

        Waiter(Caller caller, int depth) {
            this.caller = caller;
            this.depth = depth;
        }
    }

    private final ServerLock lock;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final Map<Long, Waiter> tickets = new HashMap<>();
    private long lastTicket;

    ServerCondition(ServerLock lock) {
        this.lock = lock;
    }

    @Override
    public Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "beginWait": return beginWait(caller);
            case "awaitNotify": return awaitNotify(Waits.deadlineOf(args), (Long) args[1], caller);
            case "endWait": return endWait(Waits.deadlineOf(args), (Long) args[1], caller);
            case "notify": notifyWaiters(caller, (Integer) args[0]); return null;
            case "toString": return "Condition[" + lock.apply("toString", args, caller) + ", waiters=" + waiters() + "]";
            default: return lock.apply(operation, args, caller); // acquire, release, ... of the lock
        }
    }

    private synchronized long beginWait(Caller caller) {
        if (!lock.ownedBy(caller)) {
            throw new IllegalMonitorStateException("cannot wait on un-acquired lock");
        }
        // under this monitor, so no notify comes between the release and the entry
        Waiter waiter = new Waiter(caller, lock.releaseFully(caller));
        long ticket = ++lastTicket;
        waiting.add(waiter);
        tickets.put(ticket, waiter);
        return ticket;
    }

    private synchronized Object awaitNotify(long deadline, long ticket, Caller caller) {
        Waiter waiter = ticket(ticket);
        while (!waiter.notified) {
            if (!Waits.waitUntil(this, deadline, caller)) {
                return Pending.NOT_YET;
            }
        }
        return Boolean.TRUE;
    }

    private Object endWait(long deadline, long ticket, Caller caller) {
        Waiter waiter;
        synchronized (this) {
            waiter = ticket(ticket);
            waiting.remove(waiter);
        }
        // the lock goes back to the thread that waited; this request's session is the one that waits for it
        Caller taker = new Caller(waiter.caller.client(), waiter.caller.thread(), caller.session());
        if (!lock.acquire(taker, deadline, Math.max(1, waiter.depth))) {
            return Pending.NOT_YET;
        }
        synchronized (this) {
            tickets.remove(ticket);
            return waiter.notified;
        }
    }

    private void notifyWaiters(Caller caller, int n) {
        if (!lock.ownedBy(caller)) {
            throw new IllegalMonitorStateException("cannot notify on un-acquired lock");
        }
        synchronized (this) {
            for (int i = 0; i < n && !waiting.isEmpty(); i++) {
                waiting.poll().notified = true;
            }
            notifyAll();
        }
    }

    private Waiter ticket(long ticket) {
        Waiter waiter = tickets.get(ticket);
        if (waiter == null) {
            throw new IllegalStateException("no wait " + ticket + " on this condition");
        }
        return waiter;
    }

    private synchronized int waiters() {
        return waiting.size();
    }

    @Override
    public void clientDied(ClientState client) {
        synchronized (this) {
            for (Iterator<Waiter> it = tickets.values().iterator(); it.hasNext();) {
                Waiter w = it.next();
                if (w.caller.client() == client) {
                    waiting.remove(w);
                    it.remove();
                }
            }
        }
        lock.clientDied(client);
    }
}
