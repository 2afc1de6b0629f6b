package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.nativ.Errno;
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
        int pidfd = ProcessCalls.pidfdOpen(pid);
        if (pidfd == -Errno.ESRCH) {
            return false;
        }
        if (pidfd < 0) {
            int result = ProcessCalls.kill(pid, 0);
            return result == 0 || result == -Errno.EPERM;
        }
        try {
            int[] fds = {pidfd};
            int[] events = {FileDescriptors.POLLIN};
            int[] revents = new int[1];
            return FileDescriptors.poll(fds, events, revents, 0) == 0;
        } finally {
            FileDescriptors.close(pidfd);
        }
    }
}
