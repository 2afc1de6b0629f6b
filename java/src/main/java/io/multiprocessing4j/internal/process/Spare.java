package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import java.util.Arrays;

/** A booted child JVM waiting on its control socket for the orders that make it a process. */
final class Spare {
    final ChildHandle child;
    /** When it said it was ready (System.nanoTime), for the retirement of idle spares. */
    final long readySince = System.nanoTime();
    private final OwnedFd control;

    /** Takes ownership of {@code control}, the parent's end of the spare's control socket. */
    Spare(ChildHandle child, OwnedFd control) {
        this.child = child;
        this.control = control;
    }

    boolean isAlive() {
        return !child.hasExited();
    }

    /** Gives the spare its orders, with the fds its target carries, and waits until it has taken its target. */
    ChildHandle handOff(BootstrapMessage message, int[] fds) {
        boolean ready = false;
        try {
            // Our resource tracker's channel rides last, beyond the target's fds: the tracker may
            // have started (or been replaced) since the spare booted, and the child must share ours.
            int tracker = ResourceTracker.channelForChildren();
            int[] passed = fds;
            if (tracker >= 0) {
                passed = Arrays.copyOf(fds, fds.length + 1);
                passed[fds.length] = tracker;
            }
            BootHandshake.handOff(control.fd(), -1, message.encode(), passed, message.context.bootTimeout(), child,
                    message.name);
            ready = true;
            return child;
        } catch (SystemCallException e) {
            throw new ProcessStartException("cannot start " + message.name + ": " + e.getMessage(), e);
        } finally {
            control.close();
            if (!ready) {
                ChildLauncher.killAndReap(child);
            }
        }
    }

    /** Lets an unused spare go: closing its control socket makes it exit. */
    void retire() {
        control.close();
        child.close();
    }
}
