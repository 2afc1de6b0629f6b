package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.PeerGoneException;
import io.multiprocessing4j.internal.nativ.Spawn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of the resource tracker (CPython's {@code resource_tracker}): a separate process
 * that learns of every shared memory segment this process tree creates and, once every process of
 * the tree is gone, unlinks the ones nobody unlinked.
 *
 * <p>Why a process: the cleanup must happen even when our JVM is killed with SIGKILL, which no
 * shutdown hook or Cleaner survives. It is not a child we own: it gets no parent-death signal and
 * is not joined at exit, so it outlives us.
 *
 * <p>The channel is a pipe. The tracker holds its only read end; every process of the tree holds a
 * write end (children receive ours at spawn, see {@code ChildLauncher}, and learn its number from
 * {@link #FD_PROPERTY}). The tracker therefore reads end-of-file exactly when the last process of
 * the tree has gone, however it ended. Each message is one {@code write} of at most PIPE_BUF bytes,
 * which the kernel never interleaves with another writer's.
 *
 * <p>Started for the first segment or the first child, whichever comes first (CPython starts its
 * tracker at a child's start too). Only the spawn is waited for: the tracker's JVM boots while we
 * carry on, and what we write meanwhile waits in the pipe.
 *
 * <p>A tracker that dies (SIGKILL: it ignores the rest) is replaced only by the process that
 * started it, which re-sends what it has registered itself; its children spawned from then on
 * share the new one. A process that shares a tracker it did not start starts none when that one
 * dies: one of its own would unlink, at its end, what it had registered while others still use it
 * (the handoff segment of a message it put in its parent's queue, not read yet). Its registrations
 * then go nowhere, with a warning, and its children inherit the dead channel, and do the same. A
 * process that gives up its tracker (it could start none, or it died as often as it was restarted)
 * hands its children a dead channel too, for the same reason.
 * What the dead tracker knew of processes that have ended is lost either way: those segments stay
 * in /dev/shm if the tree is killed, as with CPython's tracker.
 *
 * <p>Protocol: lines {@code REGISTER <kind> <name>} and {@code UNREGISTER <kind> <name>}, counted per
 * name. Kind {@code transient} covers an anonymous segment between its creation and its unlinking,
 * a few system calls later (cleaned silently); kind {@code named} is a {@code SharedMemory} (cleaned
 * with a warning, as CPython does, since its creator should have unlinked it).
 */
public final class ResourceTracker {
    /** System property: the fd of the inherited channel in a child. */
    public static final String FD_PROPERTY = "multiprocessing4j.resourceTrackerFd";

    /** What a registration is about; see the class comment. */
    public enum Kind {
        TRANSIENT("transient"),
        NAMED("named");

        final String word;

        Kind(String word) {
            this.word = word;
        }

        static Kind forWord(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            return null;
        }
    }

    private static final int PIPE_BUF = 4096;
    /** A tracker that keeps dying (a class path it cannot use, say) is not restarted for ever. */
    private static final int MAX_STARTS = 4;
    /** The tracker is tiny: it keeps a map of names. It must not inherit a worker's heap settings. */
    private static final List<String> TRACKER_JVM_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions", "-Xmx16m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    /**
     * A lock, not a monitor: a send may spawn a tracker and wait for the spawn, and a virtual
     * thread that waits holding a monitor pins its carrier on JDK 21.
     */
    private static final ReentrantLock LOCK = new ReentrantLock();
    // Guarded by LOCK.
    private static boolean initialized;
    private static int channel = -1;
    /** Whether {@link #channel} came from the parent (a tracker this process did not start). */
    private static boolean shared;
    private static int starts;
    private static boolean unavailable;
    private static ChildHandle tracker;
    /**
     * What this process has registered and not unregistered, of both kinds, to re-send to a
     * tracker started after the previous one died. Transient names count too: a queue's overflow
     * chunk is transient for as long as it holds messages, which may outlast a tracker.
     */
    private static final Registrations HERE = new Registrations();
    /** Set during a warm spare's rehearsal only: see {@link #untrackedWhile}. */
    private static volatile boolean untracked;

    private ResourceTracker() {
    }

    /** Tells the tracker about {@code name} (with its leading '/'), before it is created. */
    public static void register(Kind kind, String name) {
        send("REGISTER", kind, name);
    }

    /** Tells the tracker that {@code name} was unlinked (or never created). */
    public static void unregister(Kind kind, String name) {
        send("UNREGISTER", kind, name);
    }

    /**
     * Runs {@code rehearsal} with registrations dropped rather than sent: for a warm spare's
     * rehearsal ({@code CarriedObjectsRehearsal}), which creates anonymous segments of its own
     * before it has its parent's tracker channel (its orders bring it, and the channel is adopted
     * at first use) and must neither adopt a stale one nor start a tracker of its own. Called by
     * the spare's one thread before it takes orders; no other code of the library runs meanwhile.
     */
    public static void untrackedWhile(Runnable rehearsal) {
        untracked = true;
        try {
            rehearsal.run();
        } finally {
            untracked = false;
        }
    }

    /**
     * Whether registrations reach a tracker now: false during a spare's rehearsal, when a name
     * created and killed before its unlink would be covered by nobody (so none is given then).
     */
    public static boolean covering() {
        return !untracked;
    }

    /**
     * The channel's fd, for a child to inherit; -1 only when no tracker could be started and no
     * dead channel made. A process with no tracker yet starts one now, as CPython does at a child's
     * start, so that the whole tree shares it: a child with a tracker of its own would unlink at its
     * end what it registered (the segment of a large message in a queue it sent its parent over a
     * pipe, say) while others still use it.
     */
    public static int channelForChildren() {
        LOCK.lock();
        try {
            initialize();
            if (channel < 0 && !unavailable && !untracked) {
                start();
            }
            return channel;
        } finally {
            LOCK.unlock();
        }
    }

    /** What the channel is ("pipe:[1234]"), to tell whether two processes share a tracker; null if none. */
    public static String channelIdentity() {
        int fd;
        LOCK.lock();
        try {
            initialize();
            fd = channel; // as it is: asking starts no tracker
        } finally {
            LOCK.unlock();
        }
        if (fd < 0) {
            return null;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The pid of the tracker this process started, or -1 (none, or inherited from the parent). */
    public static long trackerPid() {
        LOCK.lock();
        try {
            return tracker == null ? -1 : tracker.pid();
        } finally {
            LOCK.unlock();
        }
    }

    private static void send(String verb, Kind kind, String name) {
        if (untracked) {
            return;
        }
        byte[] message = (verb + " " + kind.word + " " + name + "\n").getBytes(StandardCharsets.UTF_8);
        if (message.length > PIPE_BUF) {
            throw new IllegalArgumentException("shared memory name too long: " + name);
        }
        LOCK.lock();
        try {
            initialize();
            while (!unavailable) {
                if (channel < 0 && !start()) {
                    return;
                }
                int written;
                try {
                    written = FileDescriptors.write(channel, message, 0, message.length);
                } catch (PeerGoneException e) {
                    // The tracker died. Its channel stays open here (a child being spawned may be
                    // receiving its number right now, and children are to inherit it dead).
                    if (shared) {
                        lostSharedTracker();
                        return;
                    }
                    replacingTracker();
                    channel = -1;
                    tracker = null;
                    continue;
                } catch (SystemCallException e) {
                    giveUp(e);
                    return;
                }
                if (written == message.length) {
                    if (verb.equals("REGISTER")) {
                        HERE.add(kind, name);
                    } else {
                        HERE.remove(kind, name);
                    }
                    return;
                }
                giveUp(new IOException("short write to the resource tracker"));
                return;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** Adopts the channel a parent handed us, if any. */
    private static void initialize() {
        if (initialized) {
            return;
        }
        initialized = true;
        String inherited = System.getProperty(FD_PROPERTY);
        if (inherited == null) {
            return;
        }
        try {
            int fd = Integer.parseInt(inherited.trim());
            if (fd >= 0 && FileDescriptors.isOpen(fd)) {
                // A close-on-exec copy, so that no program this JVM runs inherits it.
                try {
                    int copy = FileDescriptors.dupCloexec(fd, 3);
                    FileDescriptors.closeQuietly(fd);
                    fd = copy;
                } catch (SystemCallException e) {
                    // no copy (EMFILE): the inherited fd serves as it is
                }
                channel = fd;
                shared = true;
            }
        } catch (NumberFormatException ignored) {
            // not ours to interpret: start our own tracker when needed
        }
    }

    /** Spawns a tracker JVM on a new pipe and re-registers with it what this process still has. */
    private static boolean start() {
        if (starts >= MAX_STARTS) {
            giveUp(new IOException("the resource tracker died " + starts + " times"));
            return false;
        }
        starts++;
        int[] pipe = {-1, -1};
        try {
            FileDescriptors.pipe(pipe);
            LaunchSettings context = ChildClassPath.settingsFor(DefaultContext.get(), ResourceTrackerMain.class)
                    .withJvmOptions(false, TRACKER_JVM_OPTIONS);
            List<String> argv = JvmCommandLine.build(context, ResourceTrackerMain.class, List.of());
            int[] plan = {Spawn.DEV_NULL, Spawn.DEV_NULL, FileDescriptors.isOpen(2) ? 2 : Spawn.DEV_NULL, pipe[0]};
            // On the spawner thread, as children are: a virtual thread waits parked, not in a native call.
            Spawn.Started started = Spawner.spawn(argv.get(0), argv, plan, 0, 0);
            ChildHandle handle = new ChildHandle(started.pid, started.pidfd);
            handle.watch(); // reaped should it die before us
            tracker = handle;
            channel = pipe[1];
            pipe[1] = -1;
        } catch (SystemCallException | RuntimeException e) {
            giveUp(e);
            return false;
        } finally {
            FileDescriptors.closeQuietly(pipe[0]);
            FileDescriptors.closeQuietly(pipe[1]);
        }
        List<byte[]> registrations = new ArrayList<>();
        HERE.forEach((kind, name) -> registrations.add(
                ("REGISTER " + kind.word + " " + name + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            for (byte[] message : registrations) {
                FileDescriptors.write(channel, message, 0, message.length);
            }
        } catch (PeerGoneException e) {
            // died at once: the next send notices and starts another
        } catch (SystemCallException e) {
            giveUp(e);
            return false;
        }
        return true;
    }

    /** Registrations stop here: see the class comment. The dead channel stays, for children to inherit. */
    private static void lostSharedTracker() {
        unavailable = true;
        log().log(System.Logger.Level.WARNING, "the resource tracker this process shared with its parent has ended"
                + " (or its parent could start none):"
                + " shared memory segments this process and its children create from now on will not be removed"
                + " if the process tree is killed (none is started for this process alone, which would remove"
                + " them at its end while other processes may still use them)");
    }

    private static void replacingTracker() {
        log().log(System.Logger.Level.WARNING, "the resource tracker (pid {0}) has ended; starting another:"
                + " shared memory segments that processes which have ended since registered with it will not be"
                + " removed if the process tree is killed", tracker == null ? "?" : Long.toString(tracker.pid()));
    }

    /** Looked up when needed, not at class load: every child loads this class, and a logger costs its boot. */
    private static System.Logger log() {
        return System.getLogger(ResourceTracker.class.getName());
    }

    private static void giveUp(Exception reason) {
        if (!unavailable) {
            unavailable = true;
            log().log(System.Logger.Level.WARNING, "no resource tracker ({0}): shared memory segments of this process"
                    + " will not be cleaned up if it is killed", reason.getMessage());
            if (channel < 0) {
                channel = deadChannel();
            }
        }
    }

    /**
     * The write end of a pipe whose read end is closed, for children to inherit in place of a
     * tracker: their first registration finds it broken and, as it is shared, they start no tracker
     * of their own (which would unlink at their end what this process may still use). -1 if none
     * can be made (no fd left): children then track for themselves, as if this JVM had none.
     */
    private static int deadChannel() {
        int[] pipe = {-1, -1};
        try {
            FileDescriptors.pipe(pipe);
            FileDescriptors.closeQuietly(pipe[0]);
            return pipe[1];
        } catch (SystemCallException e) {
            return -1;
        }
    }
}
