package io.multiprocessing4j;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.SharedCleaner;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.process.BootstrapMessage;
import io.multiprocessing4j.internal.process.ChildClassPath;
import io.multiprocessing4j.internal.process.ChildHandle;
import io.multiprocessing4j.internal.process.ChildLauncher;
import io.multiprocessing4j.internal.process.ChildRegistry;
import io.multiprocessing4j.internal.process.ExitCodes;
import io.multiprocessing4j.internal.process.LaunchSettings;
import io.multiprocessing4j.internal.process.ProcessIdentity;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import io.multiprocessing4j.internal.transfer.LambdaCodec;
import io.multiprocessing4j.internal.transfer.Serialization;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child process running Java code: Python's {@code multiprocessing.Process}.
 *
 * <pre>{@code
 * ChildProcess p = new ChildProcess(() -> cube(3));
 * p.start();
 * p.join();
 * p.exitCode();   // OptionalInt[0]
 * }</pre>
 *
 * <p>The child is a real OS process: a new JVM with this JVM's {@code java} binary and class path
 * (see {@link ProcessContext}), inheriting stdout and stderr, with stdin on {@code /dev/null}. Its
 * target is serialized here at {@link #start()}, so everything it captures must be serializable.
 * As in Python, a subclass may override {@link #run()} instead of passing a target; the process
 * object itself then travels to the child.
 *
 * <p>Exit codes are Python's: 0 when the target returns, {@code N} for {@code System.exit(N)}
 * (truncated by the OS to 0..255), 1 when the target throws (the stack trace goes to the child's
 * stderr), and {@code -N} when the process was killed by signal {@code N}: -15 after
 * {@link #terminate()}, -9 after {@link #kill()}. A child first waits for the non-daemon threads
 * its target started, as Python does.
 *
 * <p>When this JVM exits normally, daemon children are terminated and the others joined. If this
 * JVM is killed outright, daemon children are killed with it.
 *
 * <p>Misuse is reported with Python's messages as {@link IllegalStateException}s.
 */
public class ChildProcess implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final ChildRegistry<ChildProcess> REGISTRY = new ChildRegistry<>(new ChildRegistry.ExitActions<>() {
        @Override
        public boolean isDaemon(ChildProcess process) {
            return process.daemon;
        }

        @Override
        public void terminate(ChildProcess process) {
            try {
                process.terminate();
            } catch (RuntimeException ignored) {
                // already gone or closed: nothing to terminate
            }
        }

        @Override
        public void join(ChildProcess process) throws InterruptedException {
            try {
                process.join();
            } catch (IllegalStateException closed) {
                // closed meanwhile, so it had ended
            }
        }

        @Override
        public boolean join(ChildProcess process, Duration timeout) throws InterruptedException {
            try {
                return process.join(timeout);
            } catch (IllegalStateException closed) {
                return true; // closed meanwhile, so it had ended
            }
        }

        @Override
        public void kill(ChildProcess process) {
            try {
                process.kill();
            } catch (RuntimeException ignored) {
                // already gone or closed: nothing to kill
            }
        }
    });

    private enum Phase { NEW, STARTED, CLOSED }

    private final ProcessTarget target;
    private final int[] identity;
    private volatile String name;
    private volatile boolean daemon;
    private byte[] authkey;

    /**
     * Guards the lifecycle. A lock, not a monitor: start() holds it while the child boots, and a
     * virtual thread that waits holding a monitor pins its carrier on JDK 21 (with two carriers,
     * two virtual threads starting children stalled every other virtual thread until the boot
     * timeout).
     */
    private transient ReentrantLock lock = new ReentrantLock();
    private transient volatile Phase phase = Phase.NEW;
    private transient volatile ChildHandle handle;
    private transient Cleaner.Cleanable cleanable;
    private transient ProcessContext context;
    /** The pid of the process that created this object; only it may start or join it. */
    private transient int creatorPid;
    /** True for the copy of this object inside the child it describes (see {@link #run()}). */
    private transient boolean self;

    /** A process that will run {@code target}, named {@code ChildProcess-N}. */
    public ChildProcess(ProcessTarget target) {
        this(Objects.requireNonNull(target, "target"), null, null, null, null);
    }

    /** A process that will run {@code target} under {@code name}. */
    public ChildProcess(ProcessTarget target, String name) {
        this(Objects.requireNonNull(target, "target"), name, null, null, null);
    }

    /** A process that will run {@code target} under {@code name}, daemonic or not. */
    public ChildProcess(ProcessTarget target, String name, boolean daemon) {
        this(Objects.requireNonNull(target, "target"), name, daemon, null, null);
    }

    /** For subclasses that override {@link #run()}. */
    protected ChildProcess() {
        this(null, null, null, null, null);
    }

    /** For subclasses that override {@link #run()}, under {@code name}. */
    protected ChildProcess(String name) {
        this(null, name, null, null, null);
    }

    private ChildProcess(ProcessTarget target, String name, Boolean daemon, byte[] authkey, ProcessContext context) {
        ProcessIdentity creator = ProcessIdentity.current();
        this.target = target;
        this.identity = creator.nextChildIdentity();
        this.name = name != null ? name : ProcessIdentity.defaultName(identity);
        this.daemon = daemon != null ? daemon : creator.isDaemon();
        this.authkey = authkey != null ? authkey.clone() : creator.authkey();
        this.context = context != null ? context : ProcessContext.defaultContext();
        this.creatorPid = ProcessCalls.getpid();
    }

    /** A builder for the less common settings: authkey, context. */
    public static Builder builder(ProcessTarget target) {
        return new Builder(Objects.requireNonNull(target, "target"));
    }

    /**
     * Starts the child and returns once it runs its target (the child JVM has booted and taken
     * it). Throws {@link ProcessStartException} if that cannot happen; the reason includes what a
     * failing child JVM printed.
     */
    public void start() {
        lock.lock();
        try {
            checkNotClosed();
            if (phase != Phase.NEW) {
                throw new IllegalStateException("cannot start a process twice");
            }
            if (creatorPid != ProcessCalls.getpid()) {
                throw new IllegalStateException("can only start a process object created by current process");
            }
            ProcessIdentity creator = ProcessIdentity.current();
            if (creator.isDaemon()) {
                throw new IllegalStateException("daemonic processes are not allowed to have children");
            }
            REGISTRY.active(); // collects finished children, as Python's _cleanup()
            ProcessTarget work = workToShip();
            // A target or a library loaded apart from java.class.path: the child's class path holds them too.
            LaunchSettings settings = ChildClassPath.settingsFor(context.settings(), work.getClass());
            FdTransfer transfer = FdTransfer.forWriting();
            byte[] compact = compactTarget(work, transfer);
            byte[] serializedTarget = compact != null ? compact : serializeTarget(work, transfer);
            // Spares booted later load them ahead of their orders; a class-data archive built now takes them in.
            List<String> targetClasses = LambdaCodec.classNamesOf(work);
            BootstrapMessage message = new BootstrapMessage(name, identity, daemon, authkey, creatorPid,
                    creator.name(), settings, transfer.exportedFds().length, compact != null, serializedTarget,
                    targetClasses);
            ChildHandle started = ChildLauncher.launch(message, transfer);
            handle = started;
            phase = Phase.STARTED;
            cleanable = SharedCleaner.INSTANCE.register(this, started::abandon);
            REGISTRY.add(started, this);
        } finally {
            lock.unlock();
        }
    }

    /** What the child runs: the target, or this object's run() when a subclass overrides it. */
    private ProcessTarget workToShip() {
        ProcessTarget work = overridesRun() ? this::run : target;
        return work != null ? work : ChildProcess::nothing;
    }

    /** The target's compact form (the library's carried fds in it export their fds), or null. */
    private byte[] compactTarget(ProcessTarget work, FdTransfer transfer) {
        try {
            return LambdaCodec.encode(work, transfer);
        } catch (NotSerializableException closedMeanwhile) {
            transfer.releaseExported();
            throw new ProcessStartException("cannot start " + name + ": its target cannot be serialized: "
                    + closedMeanwhile.getMessage(), closedMeanwhile);
        }
    }

    private byte[] serializeTarget(ProcessTarget work, FdTransfer transfer) {
        try {
            return Serialization.serialize(work, transfer);
        } catch (NotSerializableException e) {
            transfer.releaseExported();
            throw new ProcessStartException("cannot start " + name + ": its target is not serializable: "
                    + e.getMessage() + (e.getMessage() != null && e.getMessage().contains(" ") ? ""
                    : " does not implement java.io.Serializable"), e);
        } catch (IOException | RuntimeException e) {
            transfer.releaseExported();
            throw new ProcessStartException("cannot start " + name + ": its target cannot be serialized: " + e, e);
        }
    }

    private static void nothing() {
        // Python's Process with target=None: run() does nothing
    }

    private boolean overridesRun() {
        try {
            return getClass().getMethod("run").getDeclaringClass() != ChildProcess.class;
        } catch (NoSuchMethodException impossible) {
            return false;
        }
    }

    /**
     * What the child does: runs the target in the calling thread. Called directly, it runs in
     * this process, as Python's {@code run()}. Subclasses may override it instead of passing a target.
     */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    /** Waits until the process ends. */
    public void join() throws InterruptedException {
        awaitEnd(null);
    }

    /**
     * Waits at most {@code timeout} for the process to end; returns whether it has ended (Python's
     * {@code join(timeout)} returns nothing: check {@link #isAlive()} or this result). A negative
     * timeout counts as zero, as in Python. An interrupted thread gets InterruptedException at once.
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return awaitEnd(timeout);
    }

    private boolean awaitEnd(Duration timeout) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ChildHandle started = startedHandle("join");
        return started.await(timeout);
    }

    /** Whether the process has been started and has not ended yet. */
    public boolean isAlive() {
        checkNotClosed();
        if (self) {
            return true;
        }
        ChildHandle started = handle;
        if (started == null) {
            return false;
        }
        checkCreator("can only test a child process");
        return !started.hasExited();
    }

    /** Sends SIGTERM; the exit code becomes -15 (unless the process had already ended). */
    public void terminate() {
        signal(ProcessCalls.SIGTERM, "terminate");
    }

    /** Sends SIGKILL; the exit code becomes -9 (unless the process had already ended). */
    public void kill() {
        signal(ProcessCalls.SIGKILL, "kill");
    }

    private void signal(int signal, String what) {
        ChildHandle started = startedHandle(what);
        try {
            started.signal(signal);
        } catch (SystemCallException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Releases what the process object holds (its sentinel). Only allowed once the process has
     * ended; afterwards most methods throw {@link IllegalStateException}. Closing twice is fine.
     */
    public void close() {
        lock.lock();
        try {
            if (phase == Phase.CLOSED) {
                return;
            }
            ChildHandle started = handle;
            if (started != null) {
                if (!started.hasExited()) {
                    throw new IllegalStateException("Cannot close a process while it is still running. "
                            + "You should first call join() or terminate().");
                }
                started.close();
                cleanable.clean();
            }
            phase = Phase.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** The pid, once started (in the child, its own pid). */
    public OptionalLong pid() {
        checkNotClosed();
        if (self) {
            return OptionalLong.of(ProcessCalls.getpid());
        }
        ChildHandle started = handle;
        return started == null ? OptionalLong.empty() : OptionalLong.of(started.pid());
    }

    /**
     * The exit code once the process has ended, empty before (see the class comment for the values).
     * {@link ChildHandle#EXIT_CODE_UNKNOWN} ({@link Integer#MIN_VALUE}) if its status was collected by
     * someone else, e.g. a {@code ProcessHandle.onExit()} on its pid.
     */
    public OptionalInt exitCode() {
        checkNotClosed();
        ChildHandle started = handle;
        return started == null ? OptionalInt.empty() : started.poll();
    }

    /**
     * An fd that becomes readable when the process ends (its pidfd), for use with poll/epoll or
     * {@code Multiprocessing.wait}. Valid until {@link #close()}.
     */
    public int sentinel() {
        checkNotClosed();
        ChildHandle started = handle;
        if (started == null) {
            throw new IllegalStateException("process not started");
        }
        try {
            return started.sentinel();
        } catch (SystemCallException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Completes with this process when it ends; dependent actions run in the common pool. */
    public CompletableFuture<ChildProcess> onExit() {
        ChildHandle started = startedHandle("wait for");
        return started.exitFuture().thenApplyAsync(code -> this);
    }

    /**
     * The process's name, Python's {@code name}: {@code ChildProcess-N} (with the identity path,
     * {@code ChildProcess-1:2} for a grandchild) unless one was given. It is only a label: several
     * processes may share it.
     */
    public String name() {
        return name;
    }

    /** Renames the process; allowed at any time, as in Python. Throws {@link NullPointerException} for null. */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Python's {@code daemon}: a daemonic child is terminated when its parent exits normally, and may
     * not start children of its own. By default a child inherits the creating process's flag.
     */
    public boolean isDaemon() {
        return daemon;
    }

    /** Sets the daemon flag; only before {@link #start()}. */
    public void setDaemon(boolean daemon) {
        lock.lock();
        try {
            if (phase != Phase.NEW || self) {
                throw new IllegalStateException("process has already started");
            }
            this.daemon = daemon;
        } finally {
            lock.unlock();
        }
    }

    /** The authentication key (a copy); by default the creating process's. */
    public byte[] authkey() {
        return authkey.clone();
    }

    /**
     * Sets the key that authenticates this process to listeners and managers (Python's
     * {@code authkey}); the array is copied. Throws {@link NullPointerException} for null.
     */
    public void setAuthkey(byte[] authkey) {
        this.authkey = Objects.requireNonNull(authkey, "authkey").clone();
    }

    /** The context this process starts with. */
    public ProcessContext context() {
        return context;
    }

    /** Python's identity path: (1, 2) for the second child of the first child. */
    public List<Integer> identity() {
        return Arrays.stream(identity).boxed().toList();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(getClass().getSimpleName()).append("[name=").append(name);
        if (phase == Phase.CLOSED) {
            return text.append(", closed]").toString();
        }
        ChildHandle started = handle;
        if (self) {
            text.append(", pid=").append(ProcessCalls.getpid()).append(", started");
        } else if (started == null) {
            text.append(", initial");
        } else {
            text.append(", pid=").append(started.pid()).append(", parent=").append(creatorPid);
            OptionalInt code = started.poll();
            if (code.isPresent()) {
                text.append(", stopped exitcode=").append(ExitCodes.describe(code.getAsInt()));
            } else {
                text.append(", started");
            }
        }
        if (daemon) {
            text.append(", daemon");
        }
        return text.append(']').toString();
    }

    /** Every started child of this process that is still running (Python's {@code active_children()}). */
    static List<ChildProcess> activeChildren() {
        return REGISTRY.active();
    }

    private ChildHandle startedHandle(String action) {
        checkNotClosed();
        if (self) {
            throw new IllegalStateException("can only " + action + " a child process");
        }
        ChildHandle started = handle;
        if (started == null) {
            throw new IllegalStateException("can only " + action + " a started process");
        }
        checkCreator("can only " + action + " a child process");
        return started;
    }

    private void checkCreator(String message) {
        if (creatorPid != ProcessCalls.getpid()) {
            throw new IllegalStateException(message);
        }
    }

    private void checkNotClosed() {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException("process object is closed");
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        lock = new ReentrantLock();
        phase = Phase.NEW;
        context = ProcessContext.defaultContext();
        creatorPid = -1;
        self = Arrays.equals(identity, ProcessIdentity.current().identity());
    }

    /** Builds a {@link ChildProcess} with the less common settings. */
    public static final class Builder {
        private final ProcessTarget target;
        private String name;
        private Boolean daemon;
        private byte[] authkey;
        private ProcessContext context;

        private Builder(ProcessTarget target) {
            this.target = target;
        }

        /** The process's name (see {@link ChildProcess#name()}); not null. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Whether the process is daemonic (see {@link ChildProcess#isDaemon()}); by default the creator's flag. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** The process's authentication key, copied; by default the creating process's. */
        public Builder authkey(byte[] authkey) {
            this.authkey = Objects.requireNonNull(authkey, "authkey").clone();
            return this;
        }

        /** How the process is started (start method, JVM options); by default {@link ProcessContext#defaultContext()}. */
        public Builder context(ProcessContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** A new, unstarted process with these settings; the builder may be used again. */
        public ChildProcess build() {
            return new ChildProcess(target, name, daemon, authkey, context);
        }
    }
}
