package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.support.SeparateJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * For {@link ResourceTrackerTest}: this JVM has made no shared memory when it starts a child; the
 * child makes a queue, puts a message too large for its ring (its bytes go to a handoff segment the
 * child registers), sends the queue over a pipe and ends. Once every tracker but this JVM's own
 * has ended (at most 30 s), this JVM gets the message. Reports {@code OTHER_TRACKERS}, how many
 * trackers besides its own it waited for, and {@code GOT}, the message's length or what went
 * wrong; then READY.
 */
public final class QueueFromAChildMain {
    private static final int MESSAGE_BYTES = 1 << 20;

    private QueueFromAChildMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> before = trackers();
        try (Pipe pipe = Pipe.open()) {
            Connection childEnd = pipe.second();
            ChildProcess child = new ChildProcess(() -> {
                Queue<byte[]> queue = new Queue<>();
                queue.put(new byte[MESSAGE_BYTES]);
                childEnd.send(queue);
            });
            child.start();
            @SuppressWarnings("unchecked")
            Queue<byte[]> queue = (Queue<byte[]>) pipe.first().recv();
            child.join();
            long own = ResourceTracker.trackerPid();
            List<ProcessHandle> others = trackers().stream().filter(pid -> pid != own && !before.contains(pid))
                    .map(ProcessHandle::of).flatMap(java.util.Optional::stream).collect(Collectors.toList());
            for (ProcessHandle other : others) {
                other.onExit().get(30, TimeUnit.SECONDS); // one of the child's own unlinks what it knew, then ends
            }
            SeparateJvm.report("OTHER_TRACKERS", others.size());
            try {
                SeparateJvm.report("GOT", queue.get(Duration.ofSeconds(10)).length);
            } catch (RuntimeException e) {
                SeparateJvm.report("GOT", e.toString().replace('\n', ' '));
            }
        }
        SeparateJvm.ready();
        System.exit(0);
    }

    /** The pids of the resource trackers running on the machine. */
    private static List<Long> trackers() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(process -> process.info().commandLine().orElse("").contains("ResourceTrackerMain"))
                    .map(ProcessHandle::pid).collect(Collectors.toList());
        }
    }
}
