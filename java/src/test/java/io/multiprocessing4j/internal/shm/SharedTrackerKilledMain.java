package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Lock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * For {@link ResourceTrackerTest}: a child shares this JVM's resource tracker, which is then
 * killed with SIGKILL (argument {@code killed}), or is started after this JVM gave up its tracker,
 * killed as often as it is restarted (argument {@code gave-up}); the child puts a message too
 * large for the queue's ring (its bytes go to a handoff segment that the child registers, and that
 * this JVM unlinks once it has read them) and ends. Reports {@code CHILD_TRACKERS}, how many trackers appeared after the kill (waited for
 * until each has ended, at most 30 s), and {@code GOT}, the length of the message this JVM then
 * got, or what went wrong; then READY. In a JVM of its own, so that the test JVM's tracker is not
 * touched.
 */
public final class SharedTrackerKilledMain {
    private static final int MESSAGE_BYTES = 1 << 20;

    private SharedTrackerKilledMain() {
    }

    public static void main(String[] args) throws Exception {
        Path go = Path.of(args[0]);
        boolean gaveUp = args[1].equals("gave-up");
        Queue<byte[]> queue = new Queue<>();
        new Lock().close(); // a registration: this JVM's tracker starts, and the child shares it
        String goName = go.toString();
        ChildProcess child = new ChildProcess(() -> {
            while (!Files.exists(Path.of(goName))) {
                Thread.sleep(10);
            }
            queue.put(new byte[MESSAGE_BYTES]);
        });
        if (!gaveUp) {
            child.start();
            kill(ResourceTracker.trackerPid());
        } else {
            // Each registration after a kill starts another, until the fourth: then it gives up.
            for (int kill = 0; kill < 4; kill++) {
                kill(ResourceTracker.trackerPid());
                new Lock().close();
            }
            SeparateJvm.report("TRACKER_AFTER", ResourceTracker.trackerPid());
            child.start();
        }
        List<Long> trackersBefore = trackers();
        Files.createFile(go);
        child.join();
        SeparateJvm.report("CHILD_EXIT", child.exitCode().orElse(-999));
        // One the child started for itself would unlink what it registered at the child's end.
        List<ProcessHandle> started = trackers().stream().filter(pid -> !trackersBefore.contains(pid))
                .map(ProcessHandle::of).flatMap(java.util.Optional::stream).collect(Collectors.toList());
        for (ProcessHandle handle : started) {
            handle.onExit().get(30, TimeUnit.SECONDS);
        }
        SeparateJvm.report("CHILD_TRACKERS", started.size());
        try {
            byte[] got = queue.get(Duration.ofSeconds(10));
            SeparateJvm.report("GOT", got.length);
        } catch (RuntimeException e) {
            SeparateJvm.report("GOT", e.toString().replace('\n', ' '));
        }
        SeparateJvm.ready();
        System.exit(0);
    }

    private static void kill(long pid) throws Exception {
        ProcessHandle tracker = ProcessHandle.of(pid).orElseThrow();
        tracker.destroyForcibly();
        tracker.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The pids of the resource trackers running on the machine. */
    private static List<Long> trackers() throws IOException {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(process -> process.info().commandLine().orElse("").contains("ResourceTrackerMain"))
                    .map(ProcessHandle::pid).collect(Collectors.toList());
        }
    }
}
