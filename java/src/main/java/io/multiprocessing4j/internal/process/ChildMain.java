package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.PeerGoneException;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.Signals;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import io.multiprocessing4j.internal.transfer.LambdaCodec;
import io.multiprocessing4j.internal.transfer.Serialization;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of every child JVM (Python's {@code spawn_main} and {@code _bootstrap}).
 *
 * <p>It restores stderr, reads its orders from the parent, takes on its identity, deserializes
 * the target, tells the parent it is ready, runs the target, waits for the non-daemon threads
 * the target started, and exits with Python's exit code. Kept small: every class it loads
 * before the target runs is part of every {@code start()}.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws SystemCallException {
        restoreSignalDefaults();
        // First, on the thread that lives as long as the process (the holder runs with its TLS).
        byte[] holderFrame = MemoryHolders.startInChild();
        String mode = args.length > 0 ? args[0] : "";
        boolean spare = mode.equals("warm");
        if (mode.equals("java-serialization")) {
            new SerializationWarmUp().start();
        }
        restoreStderr();
        if (holderFrame != null) {
            answer(holderFrame); // the parent reaps the holder; a parent gone shows in the next read
        }
        if (spare) {
            // A warm spare has time to spare: warm up fully, then wait for orders.
            SerializationWarmUp.warmUp();
            SpareRehearsal.run();
            // It booted at a lower priority than its parent's (so as not to slow the parent's
            // starts); the target it will run gets the parent's, as a spawned child has.
            SparePriority.takeParentsPriority();
            // From here on the parent's end shows in the control socket; and the target this
            // spare may run as a non-daemon child must outlive the parent (see ChildLauncher.bootSpare).
            Signals.ignore(ChildLauncher.SPARE_BOOT_DEATH_SIGNAL);
            if (!answer(new byte[] {ChildFdLayout.SPARE_READY})) {
                System.exit(0);
            }
        }
        List<Integer> receivedFds = new ArrayList<>();
        BootstrapMessage message = readBootstrap(spare, receivedFds);
        QuickExit.enable();
        if (spare && message.daemon) {
            armParentDeathSignal(message.parentPid);
            // A daemon dies with its parent anyway: the boot's signal may end it as well, and the
            // programs it runs do not inherit it ignored (only a non-daemon child keeps it so).
            Signals.setDefault(ChildLauncher.SPARE_BOOT_DEATH_SIGNAL);
        }
        ProcessIdentity.installChild(message.name, message.identity, message.daemon, message.authkey,
                message.parentPid, message.parentName);
        DefaultContext.install(message.receivedContext);
        ProcessTarget target = takeTarget(message, spare, receivedFds);
        answer(new byte[] {ChildFdLayout.READY});
        FileDescriptors.closeQuietly(ChildFdLayout.CONTROL);
        int exitCode = run(target, message.name);
        joinNonDaemonThreads();
        System.out.flush();
        System.err.flush();
        QuickExit.ifNothingLeft(exitCode); // as Python's children: os._exit when nothing is left to run
        System.exit(exitCode);
    }

    /**
     * The JVM turns SIGTERM, SIGINT and SIGHUP into an orderly exit with status 128+N; Python's
     * children die of them (exit code -N), and so do ours. Done here rather than with -Xrs, which
     * would also start the attach listener at boot and leave a /tmp/.java_pid file behind every
     * child killed by a signal.
     */
    private static void restoreSignalDefaults() throws SystemCallException {
        for (int signal : new int[] {Signals.SIGTERM, Signals.SIGINT, Signals.SIGHUP}) {
            Signals.setDefault(signal);
        }
    }

    /**
     * A spare that becomes a daemon child must die with its parent, as spawned daemon children do.
     * PR_SET_PDEATHSIG belongs to the calling thread, and this is the thread that lives as long
     * as the process (it runs the target, then exits the JVM). Checked afterwards, in case the
     * parent died before it took hold. (An unused spare needs none of this: the end of its
     * parent closes its control socket, and it exits at the EOF.)
     */
    private static void armParentDeathSignal(int parentPid) throws SystemCallException {
        ProcessCalls.setParentDeathSignal(ProcessCalls.SIGKILL);
        if (ProcessCalls.getppid() != parentPid) {
            System.exit(1);
        }
    }

    /** Until now fd 2 was the boot pipe to the parent; from here on the child's stderr is the real one. */
    private static void restoreStderr() {
        try {
            FileDescriptors.dup2(ChildFdLayout.REAL_STDERR, ChildFdLayout.STDERR);
            FileDescriptors.closeQuietly(ChildFdLayout.REAL_STDERR);
        } catch (SystemCallException e) {
            // stderr stays the boot pipe, which the parent passes on
        }
    }

    /**
     * Reads the orders. The fds the target carries are already in place in a spawned child (from
     * {@link ChildFdLayout#FIRST_TRANSFERRED} on); a warm spare receives them with the first bytes
     * (SCM_RIGHTS) and returns them in {@code fdsOut}.
     */
    private static BootstrapMessage readBootstrap(boolean spare, List<Integer> fdsOut) {
        try {
            while (true) {
                byte[] header = readHeader(ChildFdLayout.CONTROL, spare, fdsOut);
                int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
                        | (header[3] & 0xff);
                // Sent to spares; and to the training child of a class-data archive, spare or not.
                if (SparePreload.isFrameLength(length) && fdsOut.isEmpty()) {
                    SparePreload.load(readExactly(ChildFdLayout.CONTROL, SparePreload.bodyLength(length), false),
                            ChildMain.class.getClassLoader());
                    answer(new byte[] {ChildFdLayout.PRELOADED});
                    continue; // the orders come next
                }
                if (length < 0) {
                    throw new IOException("bootstrap message length " + length);
                }
                return BootstrapMessage.decode(readExactly(ChildFdLayout.CONTROL, length, false));
            }
        } catch (IOException | RuntimeException e) {
            failBoot("cannot read its bootstrap message: " + e);
            throw new AssertionError(e);
        }
    }

    /** Reads the 4-byte length header and the fds that came with it; EOF before it: see {@link #readExactly}. */
    static byte[] readHeader(int control, boolean retiredAtEof, List<Integer> fdsOut) throws IOException {
        byte[] header = new byte[4];
        int[] fds = new int[1 + Sockets.MAX_PASSED_FDS];
        int done = 0;
        while (done < header.length) {
            int n;
            try {
                n = Sockets.receive(control, true, header, done, header.length - done, header.length - done, fds,
                        false);
            } catch (PeerGoneException reset) {
                // A parent that goes away may reset the socket rather than close it: retired all the same.
                if (done == 0 && retiredAtEof && fdsOut.isEmpty()) {
                    System.exit(0);
                }
                throw reset;
            }
            int count = fds[0];
            int arrived = count < 0 ? -1 - count : count; // negative: the kernel dropped some
            for (int i = 0; i < arrived; i++) {
                fdsOut.add(fds[1 + i]);
            }
            if (count < 0) {
                throw new IOException("the kernel dropped file descriptors sent with the orders (limit reached)");
            }
            if (n == 0 && done == 0 && retiredAtEof && fdsOut.isEmpty()) {
                System.exit(0);
            }
            if (n == 0) {
                throw new EOFException("parent closed the control socket after " + done + " of 4 bytes");
            }
            done += n;
        }
        return header;
    }

    /** Reads length bytes; a spare whose parent closes the socket before saying anything was retired. */
    static byte[] readExactly(int control, int length, boolean retiredAtEof) throws IOException {
        byte[] data = new byte[length];
        int done = 0;
        while (done < length) {
            int n;
            try {
                n = FileDescriptors.read(control, data, done, length - done);
            } catch (PeerGoneException reset) {
                // A parent that goes away may reset the socket rather than close it: retired all the same.
                if (done == 0 && retiredAtEof) {
                    System.exit(0);
                }
                throw reset;
            }
            if (n == 0 && done == 0 && retiredAtEof) {
                System.exit(0);
            }
            if (n <= 0) { // EOF (WOULD_BLOCK cannot happen: the control socket blocks)
                throw new EOFException("parent closed the control socket after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return data;
    }

    /**
     * A spare receives its parent's resource tracker channel with its orders, after the target's
     * fds: the one it may have inherited at boot can be stale. Done before anything here has used
     * the tracker (the target's segments are the first), which reads the property at first use.
     */
    private static void adoptTrackerChannel(int channel) {
        String booted = System.getProperty(ResourceTracker.FD_PROPERTY);
        if (booted != null) {
            try {
                int old = Integer.parseInt(booted.trim());
                if (old != channel) {
                    FileDescriptors.closeQuietly(old);
                }
            } catch (NumberFormatException ignored) {
                // not a number we put there: nothing of ours to close
            }
        }
        System.setProperty(ResourceTracker.FD_PROPERTY, Integer.toString(channel));
    }

    private static ProcessTarget takeTarget(BootstrapMessage message, boolean spare, List<Integer> receivedFds) {
        int[] fds = new int[message.transferredFdCount];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = spare ? (i < receivedFds.size() ? receivedFds.get(i) : -1) : ChildFdLayout.FIRST_TRANSFERRED + i;
        }
        if (spare && receivedFds.size() == fds.length + 1) {
            adoptTrackerChannel(receivedFds.remove(fds.length));
        }
        if (spare && receivedFds.size() != fds.length) {
            receivedFds.forEach(FileDescriptors::closeQuietly);
            failBoot("received " + receivedFds.size() + " file descriptors with its orders, expected " + fds.length);
        }
        FdTransfer transfer = FdTransfer.forReading(fds);
        try {
            ParentHandle.open(message.parentPid);
            Object target = message.compactTarget
                    ? LambdaCodec.decode(message.target, ChildMain.class.getClassLoader(), transfer)
                    : Serialization.deserialize(message.target, transfer);
            return (ProcessTarget) target;
        } catch (Exception | LinkageError e) {
            failBoot("cannot deserialize its target: " + stackTrace(e));
            throw new AssertionError(e);
        } catch (OutOfMemoryError e) {
            // Most often a thread it could not start (a Cleaner's, under a limit on tasks): the
            // parent's start() says so, and which limit, instead of a bare exit code.
            failBoot("cannot take its target: " + e); // where in the library it happened says nothing more
            throw e;
        } finally {
            transfer.closeUnclaimed();
        }
    }

    /**
     * For targets that come with Java serialization (see LambdaCodec for those that do not):
     * initializes Java serialization's machinery (its filter configuration reads the security
     * properties and sets up a logger; lambdas need java.lang.invoke bootstrapped) on a second
     * thread while the main thread loads the native library and reads its orders: a few ms off
     * every start on a machine with a core to spare. A nested class, not a lambda, so that
     * starting it needs no invokedynamic bootstrap of its own.
     */
    private static final class SerializationWarmUp extends Thread {
        SerializationWarmUp() {
            super("mp4j-warm-up");
            setDaemon(true);
        }

        @Override
        public void run() {
            warmUp();
        }

        static void warmUp() {
            try {
                // The path every target takes: a serializable lambda, written and read back.
                ProcessTarget sample = SerializationWarmUp::sample;
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                    out.writeObject(sample);
                }
                byte[] written = bytes.toByteArray();
                try (io.multiprocessing4j.internal.transfer.LimitedObjectInput in =
                        io.multiprocessing4j.internal.transfer.Serialization.objectInput(written, 0, written.length)) {
                    in.readLimited();
                }
            } catch (IOException | ClassNotFoundException | RuntimeException ignored) {
                // only a head start: the main thread does whatever this did not
            }
        }

        private static void sample() {
            // the warm-up lambda's body: never run
        }
    }

    /** Python prints "Process NAME:" and the traceback, and exits with 1. */
    private static int run(ProcessTarget target, String name) {
        try {
            target.run();
            return 0;
        } catch (Throwable t) {
            System.err.println("Process " + name + ":");
            t.printStackTrace();
            return 1;
        }
    }

    /** As Python's threading._shutdown: the process ends only when its non-daemon threads have. */
    private static void joinNonDaemonThreads() {
        Thread self = Thread.currentThread();
        ThreadGroup root = self.getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        while (true) {
            Thread[] threads = new Thread[root.activeCount() * 2 + 16];
            int count = root.enumerate(threads, true);
            Thread pending = null;
            for (int i = 0; i < count && pending == null; i++) {
                Thread thread = threads[i];
                if (thread != self && !thread.isDaemon() && thread.isAlive()) {
                    pending = thread;
                }
            }
            if (pending == null) {
                return;
            }
            try {
                pending.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static void failBoot(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[5 + text.length];
        frame[0] = ChildFdLayout.FAILED;
        frame[1] = (byte) (text.length >>> 24);
        frame[2] = (byte) (text.length >>> 16);
        frame[3] = (byte) (text.length >>> 8);
        frame[4] = (byte) text.length;
        System.arraycopy(text, 0, frame, 5, text.length);
        if (!answer(frame)) {
            // The parent cannot say it for us: our stderr is the parent's.
            System.getLogger(ChildMain.class.getName()).log(System.Logger.Level.ERROR,
                    "cannot run the target, and the parent is gone: {0}", reason);
        }
        System.exit(1);
    }

    /** Sends frame to the parent; false if the parent is no longer listening. */
    private static boolean answer(byte[] frame) {
        return answer(ChildFdLayout.CONTROL, frame);
    }

    static boolean answer(int control, byte[] frame) {
        int done = 0;
        while (done < frame.length) {
            int n;
            try {
                n = Sockets.send(control, frame, done, frame.length - done);
            } catch (SystemCallException e) {
                return false;
            }
            if (n <= 0) {
                return false;
            }
            done += n;
        }
        return true;
    }
}
