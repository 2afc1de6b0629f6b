package io.multiprocessing4j.internal.manager;

import java.util.concurrent.BrokenBarrierException;

/**
 * A manager's {@code Barrier}. A wait is {@code arrive}, which answers the arrival's index and
 * generation (and trips the barrier if it was the last), then {@code awaitTrip} until that generation has
 * passed; a waiter that times out or is interrupted breaks the barrier
 * ({@code abort}), as in Python.
 */
final class ServerBarrier implements ServerObject {
    private final int parties;
    private int count;
    private long generation;
    private boolean broken;
    /** The generation that {@code reset} ended while threads waited on it (they see it broken). */
    private long resetGeneration = -1;

    ServerBarrier(int parties) {
        if (parties <= 0) {
            throw new IllegalArgumentException("parties must be positive: " + parties);
        }
        this.parties = parties;
    }

    @Override
    public synchronized Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "arrive": return arrive();
            case "awaitTrip": return awaitTrip(Waits.deadlineOf(args), (Long) args[1], caller);
            case "abort": broken = true; notifyAll(); return null;
            case "reset":
                if (count > 0) {
                    resetGeneration = generation;
                }
                generation++;
                count = 0;
                broken = false;
                notifyAll();
                return null;
            case "parties": return parties;
            case "nWaiting": return count;
            case "isBroken": return broken;
            case "toString": return "Barrier[parties=" + parties + ", waiting=" + count + (broken ? ", broken" : "") + "]";
            default: throw SharedKind.unknown(operation);
        }
    }

    /** {index, generation}; the generation is already past if this arrival tripped the barrier. */
    private long[] arrive() {
        if (broken) {
            throw new IllegalStateException(new BrokenBarrierException());
        }
        long index = count++;
        long mine = generation;
        if (count == parties) {
            count = 0;
            generation++;
            notifyAll();
        }
        return new long[] {index, mine};
    }

    private Object awaitTrip(long deadline, long mine, Caller caller) {
        while (true) {
            if (mine == resetGeneration || generation == mine && broken) {
                throw new IllegalStateException(new BrokenBarrierException());
            }
            if (generation != mine) {
                return Boolean.TRUE;
            }
            if (!Waits.waitUntil(this, deadline, caller)) {
                return Pending.NOT_YET;
            }
        }
    }
}
