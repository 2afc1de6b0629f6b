package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.ProcessCalls;

/** Whether a process recorded as a lock holder still runs. */
public final class ProcessLiveness {
    private ProcessLiveness() {
    }

    /**
     * False once {@code pid} has ended, even if it is an unreaped zombie (a pidfd of a zombie polls
     * readable), which {@code kill(pid, 0)} would still call alive. Falls back to {@code kill(pid, 0)}
     * where no pidfd can be had.
     */
    public static boolean isAlive(int pid) {
        int pidfd;
        try {
            pidfd = ProcessCalls.pidfdOpen(pid);
        } catch (SystemCallException e) {
            return ProcessCalls.exists(pid); // no pidfd to be had (EMFILE, say)
        }
        if (pidfd == ProcessCalls.GONE) {
            return false;
        }
        try {
            int[] fds = {pidfd};
            int[] events = {FileDescriptors.POLLIN};
            int[] revents = new int[1];
            return FileDescriptors.poll(fds, events, revents, 0) == 0;
        } catch (SystemCallException e) {
            return ProcessCalls.exists(pid);
        } finally {
            FileDescriptors.closeQuietly(pidfd);
        }
    }
}
