package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.ProcessStartException;
import io.multiprocessing4j.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.shm.ResourceTracker;

/** A booted child JVM waiting on its control socket for the orders that make it a process. */
final class Spare {
    final ChildHandle child;
    private final int control;
    /** The resource tracker channel it inherited at boot (null: none); see {@link #isCurrent()}. */
    private final String tracker;

    Spare(ChildHandle child, int control, String tracker) {
        this.child = child;
        this.control = control;
        this.tracker = tracker;
    }

    boolean isAlive() {
        return !child.hasExited();
    }

    /**
     * Whether the spare can still become a child like a freshly spawned one: alive, and sharing
     * our resource tracker, which is handed over at spawn and may have started (or been replaced)
     * since this spare booted.
     */
    boolean isCurrent() {
        return isAlive() && java.util.Objects.equals(tracker, ResourceTracker.channelIdentity());
    }

    /** Gives the spare its orders and waits until it has taken its target. */
    ChildHandle handOff(BootstrapMessage message) {
        boolean ready = false;
        try {
            BootHandshake.handOff(control, -1, message.encode(), message.context.bootTimeout(), child, message.name);
            ready = true;
            return child;
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot start " + message.name + ": " + e.getMessage(), e);
        } finally {
            FileDescriptors.close(control);
            if (!ready) {
                ChildLauncher.killAndReap(child);
            }
        }
    }

    /** Lets an unused spare go: closing its control socket makes it exit. */
    void retire() {
        FileDescriptors.close(control);
        child.close();
    }
}
