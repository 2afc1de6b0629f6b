package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.errors.ProcessStartException;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.internal.connection.ReadinessPoller;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.PeerGoneException;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.time.Durations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The parent's side of a child's boot: send the bootstrap message, then wait until the child
 * says it has taken its target, while collecting whatever the booting JVM prints on stderr. For a
 * warm spare the same in two steps: wait until it says it has booted ({@link #awaitSpare}), and
 * later hand it its orders ({@link #handOff} without a boot pipe).
 *
 * <p>It waits the way a start may: in poll(2) on a platform thread, parked on a virtual thread
 * (see {@link ReadinessPoller#awaitEvents}), whose carrier is free while a JVM boots.
 *
 * <p>It ends in one of three ways, never in a hang: the child answers as expected (what it
 * printed is passed on to our stderr); the child answers FAILED or dies (start fails with its
 * message, exit code and output); or the timeout passes (the child is killed and start fails).
 */
final class BootHandshake {
    private static final int KEEP_OUTPUT = 64 * 1024;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    /**
     * How HotSpot says that it could not start a thread, in its many words (JDK 17 to 27: "unable
     * to create native thread", "Cannot create worker GC thread", "Could not create
     * G1ServiceThread", and unified logging's "Failed to start thread", which for a JVM's first
     * GC thread is all it says, on stderr only because children log there).
     */
    private static final Pattern NO_THREAD = Pattern.compile(
            "(?i)(could not|cannot|unable to|failed to) (create|start)\\b[^\\n]*thread");

    private final int control;
    private final int bootErr;
    private final ChildHandle child;
    private final String name;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    private final byte expected;
    private boolean bootErrOpen;
    private boolean controlEof;

    /**
     * A warm spare ended before it took its target (dead already, or while its orders were on
     * their way): it never ran it, and another spare may be tried.
     */
    static final class SpareLost extends ProcessStartException {
        private static final long serialVersionUID = 1L;

        SpareLost(String message) {
            super(message);
        }
    }

    private BootHandshake(int control, int bootErr, ChildHandle child, String name, byte expected) {
        this.control = control;
        this.bootErr = bootErr;
        this.bootErrOpen = bootErr >= 0;
        this.child = child;
        this.name = name;
        this.expected = expected;
    }

    /** Sends the orders and waits until the child has taken its target. {@code bootErr} may be -1. */
    static void handOff(int control, int bootErr, byte[] message, Duration timeout, ChildHandle child, String name)
            throws SystemCallException {
        handOff(control, bootErr, message, new int[0], timeout, child, name);
    }

    /**
     * As {@link #handOff(int, int, byte[], Duration, ChildHandle, String)}, with {@code fds} (for a
     * warm spare: the fds its target carries) riding on the message's first bytes (SCM_RIGHTS).
     */
    static void handOff(int control, int bootErr, byte[] message, int[] fds, Duration timeout, ChildHandle child,
                        String name) throws SystemCallException {
        new BootHandshake(control, bootErr, child, name, ChildFdLayout.READY).run(message, fds, timeout);
    }

    /** Waits until a warm spare has booted and says it waits for orders. */
    static void awaitSpare(int control, int bootErr, Duration timeout, ChildHandle child) throws SystemCallException {
        new BootHandshake(control, bootErr, child, "a warm spare", ChildFdLayout.SPARE_READY)
                .run(new byte[0], new int[0], timeout);
    }

    /** Sends a booted spare the classes to load ahead (a {@link SparePreload} frame) and waits until it has. */
    static void preload(int control, int bootErr, byte[] frame, Duration timeout, ChildHandle child)
            throws SystemCallException {
        new BootHandshake(control, bootErr, child, "a warm spare", ChildFdLayout.PRELOADED).run(frame, new int[0],
                timeout);
    }

    private void run(byte[] message, int[] passed, Duration timeout) throws SystemCallException {
        FileDescriptors.setNonBlocking(control, true);
        if (bootErrOpen) {
            FileDescriptors.setNonBlocking(bootErr, true);
        }
        long deadline = Durations.deadline(Durations.toNanos(timeout));
        int written = 0;
        if (passed.length > 0) {
            written = sendWithFds(message, passed);
        }
        int[] fds = new int[2];
        int[] events = new int[2];
        int[] revents = new int[2];
        while (true) {
            boolean writing = written < message.length;
            fds[0] = controlEof ? -1 : control;
            events[0] = writing ? FileDescriptors.POLLOUT : FileDescriptors.POLLIN;
            fds[1] = bootErrOpen ? bootErr : -1;
            events[1] = FileDescriptors.POLLIN;
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                timedOut(timeout);
            }
            if (!ReadinessPoller.awaitEvents(fds, events, revents, remaining)) {
                continue;
            }
            if (revents[1] != 0) {
                drainBootErr();
            }
            if (revents[0] == 0) {
                continue;
            }
            if (writing) {
                int sent;
                try {
                    sent = Sockets.send(control, message, written, message.length - written);
                } catch (PeerGoneException e) {
                    if (expected == ChildFdLayout.READY && bootErr < 0) {
                        // A spare cannot take a target from part of its orders: one that goes while
                        // they are on their way never ran it. It may have been dying since before
                        // the first bytes: a spare killed with SIGKILL keeps its socket open until
                        // the last of its threads is gone, which takes a loaded machine a few ms.
                        throw new SpareLost("the warm spare (pid " + child.pid() + ") ended during its handoff");
                    }
                    failed(null); // the child died before reading its orders
                    throw e;
                }
                if (sent == FileDescriptors.WOULD_BLOCK) {
                    continue;
                }
                written += sent;
            } else if (readAnswer()) {
                return;
            }
        }
    }

    /**
     * Sends the first bytes of the message (its length header) with the fds attached. The socket
     * is new and empty, so a few bytes never meet a full buffer: one sendmsg does it.
     */
    private int sendWithFds(byte[] message, int[] passed) throws SystemCallException {
        int first = Math.min(4, message.length);
        try {
            Sockets.sendRun(control, true, message, first, null, 0, 0, passed, false);
        } catch (PeerGoneException e) {
            throw new SpareLost("the warm spare (pid " + child.pid() + ") had ended before its handoff");
        }
        return first;
    }

    /** Reads what the child answered; true once it said READY. */
    private boolean readAnswer() throws SystemCallException {
        byte[] buffer = new byte[4096];
        int n;
        try {
            n = FileDescriptors.read(control, buffer, 0, buffer.length);
        } catch (PeerGoneException reset) {
            n = 0; // as an EOF: the child is gone
        }
        if (n == FileDescriptors.WOULD_BLOCK) {
            return false;
        }
        if (n == 0) {
            controlEof = true;
            if (answer.size() == 0 && expected == ChildFdLayout.READY && bootErr < 0) {
                // A spare that ends without a word never ran the target. It may have been dead
                // already: a process killed with SIGKILL shows as a zombie in /proc, and
                // waitid does not yet report it, until all its threads are gone; until then its
                // socket takes our orders. Another spare may be tried.
                throw new SpareLost("the warm spare (pid " + child.pid() + ") ended without taking its orders");
            }
            failed(null);
        }
        answer.write(buffer, 0, n);
        byte[] got = takeHolderFrames();
        if (got.length == 0) {
            return false;
        }
        if (got[0] == expected) {
            passOnOutput();
            return true;
        }
        if (got[0] == ChildFdLayout.FAILED && got.length >= 5) {
            int length = ((got[1] & 0xff) << 24) | ((got[2] & 0xff) << 16) | ((got[3] & 0xff) << 8) | (got[4] & 0xff);
            if (got.length >= 5 + length) {
                failed(new String(got, 5, length, StandardCharsets.UTF_8));
            }
            return false;
        }
        if (got[0] != ChildFdLayout.FAILED) {
            throw new ProcessStartException("child JVM for " + name + " sent an unexpected answer (byte " + got[0]
                    + ") on its control socket");
        }
        return false;
    }

    /**
     * Adopts the memory holder a frame at the front of the answer names (see {@link MemoryHolders})
     * and returns what is left of the answer.
     */
    private byte[] takeHolderFrames() {
        byte[] got = answer.toByteArray();
        int at = 0;
        while (got.length - at >= 5 && got[at] == ChildFdLayout.MEMORY_HOLDER) {
            int pid = ((got[at + 1] & 0xff) << 24) | ((got[at + 2] & 0xff) << 16) | ((got[at + 3] & 0xff) << 8)
                    | (got[at + 4] & 0xff);
            MemoryHolders.adopt(pid, child.pid());
            at += 5;
        }
        if (at > 0) {
            answer.reset();
            answer.write(got, at, got.length - at);
            got = Arrays.copyOfRange(got, at, got.length);
        }
        boolean partialFrame = got.length > 0 && got[0] == ChildFdLayout.MEMORY_HOLDER;
        return partialFrame ? new byte[0] : got;
    }

    private void drainBootErr() throws SystemCallException {
        if (!bootErrOpen) {
            return;
        }
        byte[] buffer = new byte[8192];
        while (bootErrOpen) {
            int n = FileDescriptors.read(bootErr, buffer, 0, buffer.length);
            if (n == FileDescriptors.WOULD_BLOCK) {
                return;
            }
            if (n == 0) {
                bootErrOpen = false;
                return;
            }
            int keep = Math.min(n, KEEP_OUTPUT - output.size());
            if (keep > 0) {
                output.write(buffer, 0, keep);
            }
        }
    }

    /**
     * After READY the child has already moved its stderr off the pipe, so the pipe is at EOF or
     * about to be: what is in it is output of the JVM's boot (warnings, say), passed on as is.
     */
    private void passOnOutput() throws SystemCallException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        awaitBootErrEnd(deadline);
        if (output.size() > 0) {
            System.err.write(output.toByteArray(), 0, output.size());
            System.err.flush();
        }
    }

    /** Passes on what the boot pipe holds until it is at its end or {@code deadline} has passed. */
    private void awaitBootErrEnd(long deadline) throws SystemCallException {
        int[] fds = {bootErr};
        int[] events = {FileDescriptors.POLLIN};
        int[] revents = new int[1];
        while (bootErrOpen && System.nanoTime() < deadline) {
            ReadinessPoller.awaitEvents(fds, events, revents, Durations.remaining(deadline));
            drainBootErr();
        }
    }

    /** The child will not run its target: collect its last words and exit code, and fail start(). */
    private void failed(String childMessage) throws SystemCallException {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        awaitBootErrEnd(deadline);
        OptionalInt exitCode = awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        StringBuilder text = new StringBuilder("child JVM for ").append(name);
        if (exitCode.isPresent()) {
            text.append(" exited with code ").append(exitCode.getAsInt()).append(" before running its target");
        } else {
            child.signal(io.multiprocessing4j.internal.nativ.ProcessCalls.SIGKILL);
            text.append(" gave up before running its target (killed it)");
        }
        if (childMessage != null) {
            text.append(": ").append(childMessage);
        }
        if (couldNotStartAThread(childMessage)) {
            text.append("; it could not start a thread: ").append(TaskLimits.describe());
        }
        appendOutput(text);
        throw new ProcessStartException(text.toString());
    }

    /**
     * Whether the child's JVM said it could not start a thread (HotSpot's words, JDK 17 to 27):
     * a limit on tasks, most often, which the message then names.
     */
    private boolean couldNotStartAThread(String childMessage) {
        return NO_THREAD.matcher(output.toString(StandardCharsets.UTF_8)).find()
                || (childMessage != null && NO_THREAD.matcher(childMessage).find());
    }

    private void timedOut(Duration timeout) throws SystemCallException {
        child.signal(io.multiprocessing4j.internal.nativ.ProcessCalls.SIGKILL);
        drainBootErr();
        StringBuilder text = new StringBuilder("child JVM for ").append(name)
                .append(" did not take its target within ").append(timeout.toMillis()).append(" ms; killed it");
        appendOutput(text);
        throw new ProcessStartException(text.toString());
    }

    private void appendOutput(StringBuilder text) {
        String printed = output.toString(StandardCharsets.UTF_8).strip();
        if (!printed.isEmpty()) {
            text.append("\n--- its stderr ---\n").append(printed);
        }
    }

    private OptionalInt awaitExit(Duration timeout) {
        try {
            if (child.await(timeout)) {
                return child.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }
}
