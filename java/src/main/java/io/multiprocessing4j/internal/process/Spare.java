package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.ProcessStartException;
import io.multiprocessing4j.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;

/** A booted child JVM waiting on its control socket for the orders that make it a process. */
final class Spare {
    final ChildHandle child;
    private final int control;

    Spare(ChildHandle child, int control) {
        this.child = child;
        this.control = control;
    }

    boolean isAlive() {
        return !child.hasExited();
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
