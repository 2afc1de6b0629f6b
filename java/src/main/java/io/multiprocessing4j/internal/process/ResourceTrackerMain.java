package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.SharedMemoryCalls;
import io.multiprocessing4j.internal.nativ.Signals;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource tracker process (see {@link ResourceTracker}): reads registrations from fd 3 until
 * every process of the tree has closed its end, then unlinks what is still registered.
 */
public final class ResourceTrackerMain {
    /** The read end of the channel; the spawn puts it here. */
    static final int CHANNEL = 3;

    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, ResourceTracker.Kind> kinds = new LinkedHashMap<>();

    private ResourceTrackerMain() {
    }

    public static void main(String[] args) throws SystemCallException {
        // A Ctrl-C in the terminal reaches the whole process group: the tracker must outlive it to
        // clean up after the others. Only the end of its channel ends it.
        Signals.ignore(Signals.SIGINT);
        Signals.ignore(Signals.SIGTERM);
        Signals.ignore(Signals.SIGHUP);
        ResourceTrackerMain tracker = new ResourceTrackerMain();
        tracker.readUntilEveryClientIsGone();
        tracker.unlinkLeftovers();
        System.exit(0);
    }

    private void readUntilEveryClientIsGone() {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int n;
            try {
                n = FileDescriptors.read(CHANNEL, buffer, 0, buffer.length);
            } catch (SystemCallException e) {
                log().log(Level.WARNING, "{0}; cleaning up now", e.getMessage());
                return;
            }
            if (n == 0) {
                return;
            }
            if (n == FileDescriptors.WOULD_BLOCK) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    handle(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(buffer[i]);
                }
            }
        }
    }

    private void handle(String message) {
        String[] parts = message.split(" ", 3);
        ResourceTracker.Kind kind = parts.length == 3 ? ResourceTracker.Kind.forWord(parts[1]) : null;
        if (kind == null || !parts[2].startsWith("/")) {
            malformed(message);
            return;
        }
        String name = parts[2];
        if (parts[0].equals("REGISTER")) {
            counts.merge(name, 1, Integer::sum);
            kinds.put(name, kind);
        } else if (parts[0].equals("UNREGISTER")) {
            Integer left = counts.computeIfPresent(name, (key, count) -> count > 1 ? count - 1 : null);
            if (left == null) {
                kinds.remove(name);
            }
        } else {
            malformed(message);
        }
    }

    /**
     * The tracker's logger, looked up when first needed (it costs the boot). Its process's stderr is
     * the parent's, where java.util.logging, the default backend, prints WARNING and above.
     */
    private static System.Logger log() {
        return System.getLogger(ResourceTrackerMain.class.getName());
    }

    private static void malformed(String message) {
        log().log(Level.WARNING, "ignoring malformed message ''{0}''", message);
    }

    private void unlinkLeftovers() {
        List<String> leakedNamed = new ArrayList<>();
        for (String name : counts.keySet()) {
            boolean unlinked;
            try {
                unlinked = SharedMemoryCalls.shmUnlink(name);
            } catch (SystemCallException e) {
                log().log(Level.WARNING, "{0}", e.getMessage());
                continue;
            }
            if (unlinked && kinds.get(name) == ResourceTracker.Kind.NAMED) {
                leakedNamed.add(name);
            }
        }
        if (!leakedNamed.isEmpty()) {
            // Python's resource tracker warns the same way ("leaked shared_memory objects to clean up").
            log().log(Level.WARNING, "{0} shared memory segment(s) left behind by processes that ended without"
                    + " unlinking them; unlinked {1}", leakedNamed.size(), leakedNamed);
        }
    }
}
