package io.multiprocessing4j.internal.pool;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.connection.MessageChannel;
import io.multiprocessing4j.internal.connection.Transport;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.OwnedFd;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.transfer.ByteCursor;
import io.multiprocessing4j.internal.transfer.CarriedFd;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import io.multiprocessing4j.internal.transfer.LambdaCodec;
import io.multiprocessing4j.function.PoolInitializer;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A pool worker: the target of each worker process (Python's {@code multiprocessing.pool.worker}).
 *
 * <p>Its target carries its end of a socketpair to the pool. It runs the initializer, says it is
 * ready, and then runs the tasks it receives, one at a time and in order, answering
 * each before starting the next (the parent relies on that to know which task a worker is on).
 * It exits when the pool closes its connection, or after {@code maxTasks} tasks.
 */
public final class WorkerMain {
    /** The pool's own channel, bytes only. */
    private final MessageChannel connection;
    private final int maxTasks;
    private final Map<Integer, Defined> functions = new HashMap<>();
    private final WireBuffer out = new WireBuffer(1024);
    private final ValueBlockWriter values = new ValueBlockWriter();

    private WorkerMain(MessageChannel connection, int maxTasks) {
        this.connection = connection;
        this.maxTasks = maxTasks;
    }

    /** The worker process's target. {@code maxTasks} 0 means no limit; {@code initializer} may be null. */
    static void serve(CarriedFd pool, int maxTasks, PoolInitializer initializer) throws Exception {
        int exitCode;
        MessageChannel connection = channelOver(pool.take());
        try {
            exitCode = new WorkerMain(connection, maxTasks).run(initializer);
        } catch (StreamCorruptedException malformed) {
            throw malformed; // a bug, not a goodbye: the stack trace goes to stderr, exit code 1
        } catch (IOException poolGone) {
            // The pool closed our connection (it has no more work, or was terminated) or ended:
            // as Python's worker on EOFError or OSError, exit quietly.
            exitCode = 0;
        } finally {
            connection.close();
        }
        System.out.flush();
        System.err.flush();
        // Exit now, even if a task left non-daemon threads behind: the pool waits for this exit.
        // A worker ends at once if nothing is registered to run at exit (see QuickExit): the
        // JVM's exit would wait up to 300 ms for the connection's threads blocked in native code.
        io.multiprocessing4j.internal.process.QuickExit.ifNothingLeft(exitCode);
        System.exit(exitCode);
    }

    /** The pool's own channel over {@code fd}: tasks as large as they come. */
    private static MessageChannel channelOver(OwnedFd fd) {
        MessageChannel channel = new MessageChannel(fd, Transport.UNIX_SOCKET, true, true);
        channel.setMaxMessageSize(Long.MAX_VALUE);
        return channel;
    }

    private int run(PoolInitializer initializer) throws IOException {
        if (initializer != null) {
            try {
                initializer.initialize();
            } catch (Throwable failure) {
                // As Python's worker: the traceback on stderr, exit code 1; the pool learns why.
                System.err.println("Process " + Multiprocessing.currentProcess().name() + ":");
                failure.printStackTrace();
                out.reset();
                out.putByte(Wire.INIT_FAILED);
                RemoteFailures.encode(failure, values, out);
                connection.sendBytes(out.array(), 0, out.position());
                return 1;
            }
        }
        connection.sendBytes(new byte[] {Wire.READY}, 0, 1);
        int done = 0;
        while (true) {
            byte[] message;
            try {
                awaitMessage();
                message = connection.recvBytes(Long.MAX_VALUE);
            } catch (EOFException poolClosed) {
                return 0;
            }
            // (any other IOException of the connection also means the pool is gone: see serve)
            done = handle(message, done);
            if (done == maxTasks) {
                return 0;
            }
        }
    }

    /**
     * Waits for the pool's next message in the kernel, in poll(2) on this thread, rather than in
     * {@code recvBytes}, which after a moment parks the thread on the readiness poller: a worker
     * waits for tasks most of its life, nothing interrupts its main thread, and the poller's first
     * wake-up in a fresh worker (a thread of its own, code not yet run) cost 1-3 ms of every
     * pool's first task. A message already buffered is taken at once, and a readable fd returns
     * from the one poll(2) at once (no zero-timeout look first: a system call per task).
     */
    private void awaitMessage() throws IOException {
        if (connection.readyWithoutWaiting()) {
            return;
        }
        int[] fds = {connection.fdChannel().number()};
        int[] events = {FileDescriptors.POLLIN};
        int[] revents = new int[1];
        while (FileDescriptors.poll(fds, events, revents, -1) == 0) {
            // a signal cut the wait short: wait again
        }
    }

    /**
     * Runs the records of one message from the pool (function definitions and tasks) and answers
     * each task; returns the count of tasks done so far, stopping at {@code maxTasks}.
     */
    private int handle(byte[] message, int doneBefore) throws IOException {
        int done = doneBefore;
        ByteCursor in = new ByteCursor(message, 0, message.length);
        while (in.hasRemaining()) {
            byte tag = in.getByte();
            if (tag == Wire.TASK) {
                int functionId = in.getInt();
                int items = in.getInt();
                int length = in.getLength(1);
                int at = in.skip(length);
                runTask(functionId, items, message, at, length);
                if (++done == maxTasks) {
                    return done;
                }
            } else if (tag == Wire.DEFINE) {
                int id = in.getInt();
                CallKind kind = CallKind.of(in.getByte());
                int length = in.getLength(1);
                int at = in.skip(length);
                functions.put(id, Defined.of(kind, Arrays.copyOfRange(message, at, at + length)));
            } else if (tag == Wire.FORGET) {
                functions.remove(in.getInt());
            } else {
                throw new StreamCorruptedException("malformed pool message: record type " + tag);
            }
        }
        return done;
    }

    /**
     * A warm spare's rehearsal of a worker's life (see SpareRehearsal): a function defined and
     * called as the pool encodes them, received as a worker receives them, its result encoded and
     * sent, then the end of the pool's input, on a socketpair of its own, after its target was
     * decoded as a spare decodes it. A warm pool's worker then meets this code loaded and run
     * once. Every receive finds its message already there: one that had to wait would start the
     * connections' readiness poller in every spare.
     */
    public static void rehearse() throws IOException, ClassNotFoundException {
        int[] pair = {-1, -1};
        Sockets.socketpair(pair);
        MessageChannel pool = channelOver(new OwnedFd(pair[0]));
        CarriedFd workerEnd = CarriedFd.of(new OwnedFd(pair[1]));
        try {
            decodeTargetAsASpareWould(workerEnd);
            WorkerMain worker = new WorkerMain(channelOver(workerEnd.take()), 0);
            WireBuffer message = new WireBuffer(256);
            io.multiprocessing4j.function.PoolCallable<Object> sample = WorkerMain::rehearsalResult;
            byte[] function = FunctionCodec.encode(sample, "the rehearsal's function");
            message.putByte(Wire.DEFINE);
            message.putInt(1);
            message.putByte(CallKind.CALL.code);
            message.putInt(function.length);
            message.putBytes(function, 0, function.length);
            byte[] task = new TaskEncoder(CallKind.CALL, 1).encodeCall();
            message.putBytes(task, 0, task.length);
            byte[] bytes = message.toArray();
            pool.sendBytes(bytes, 0, bytes.length);
            // Then the end of the pool's input, as a pool's close: the worker's loop meets it.
            Sockets.shutdown(pair[0], Sockets.SHUT_WR);
            try {
                worker.run(null);
                pool.recvBytes(Long.MAX_VALUE); // READY, already sent
                pool.recvBytes(Long.MAX_VALUE); // the answer, already sent
            } finally {
                worker.connection.close();
            }
        } finally {
            workerEnd.close();
            pool.close();
        }
    }

    /**
     * A worker's target as its launch encodes it (carrying its connection to the pool), decoded as
     * a spare decodes its orders, from a copy of the connection's fd; never run.
     */
    private static void decodeTargetAsASpareWould(CarriedFd poolEnd) throws IOException, ClassNotFoundException {
        FdTransfer out = FdTransfer.forWriting();
        byte[] target;
        int copy;
        try {
            target = LambdaCodec.encode(WorkerLauncher.target(poolEnd, 0, null), out);
            if (target == null) {
                return;
            }
            copy = FileDescriptors.dupCloexec(out.exportedFds()[0], 3);
        } finally {
            out.releaseExported();
        }
        FdTransfer in = FdTransfer.forReading(new int[] {copy});
        try {
            Object decoded = LambdaCodec.decode(target, WorkerMain.class.getClassLoader(), in);
            for (Object captured : LambdaCodec.capturedBy(decoded)) {
                if (captured instanceof CarriedFd) {
                    ((CarriedFd) captured).close();
                }
            }
        } finally {
            in.closeUnclaimed();
        }
    }

    private static Object rehearsalResult() {
        return 1;
    }

    /** Runs one task (a chunk: every item, stopping at the first that throws) and sends its answer. */
    private void runTask(int functionId, int items, byte[] message, int at, int length) throws IOException {
        long started = System.nanoTime();
        out.reset();
        out.putByte(Wire.OK);
        out.putLong(0);
        try {
            Defined function = functions.get(functionId);
            if (function == null) {
                throw new StreamCorruptedException("malformed pool message: unknown function " + functionId);
            }
            Object callable = function.callable();
            ValueBlockReader arguments = new ValueBlockReader(message, at, length);
            values.begin(out);
            for (int i = 0; i < items; i++) {
                Object result = function.kind.call(callable, arguments);
                try {
                    values.write(result);
                } catch (IOException | RuntimeException e) {
                    throw new ResultNotSent(result, e);
                }
            }
            try {
                values.end();
            } catch (IOException e) {
                throw new ResultNotSent(null, e);
            }
        } catch (Throwable failure) {
            out.reset();
            out.putByte(Wire.ERROR);
            out.putLong(0);
            RemoteFailures.encode(failure instanceof ResultNotSent ? ((ResultNotSent) failure).reason() : failure,
                    values, out);
        }
        out.patchLong(1, System.nanoTime() - started);
        connection.sendBytes(out.array(), 0, out.position());
    }

    /** A function as received: rebuilt once, or the reason it could not be. */
    private static final class Defined {
        final CallKind kind;
        private final Object function;
        private final Exception failure;

        private Defined(CallKind kind, Object function, Exception failure) {
            this.kind = kind;
            this.function = function;
            this.failure = failure;
        }

        static Defined of(CallKind kind, byte[] bytes) {
            try {
                Object function = FunctionCodec.decode(bytes);
                if (!kind.type().isInstance(function)) {
                    return new Defined(kind, null, new ClassCastException(function.getClass().getName()
                            + " is not a " + kind.type().getName()));
                }
                return new Defined(kind, function, null);
            } catch (Exception e) {
                return new Defined(kind, null, e);
            }
        }

        /** The function; if it could not be rebuilt, every task of it fails with the reason. */
        Object callable() throws Exception {
            if (failure != null) {
                throw failure;
            }
            return function;
        }
    }

    /** A result of the task that could not be serialized: Python's MaybeEncodingError. */
    private static final class ResultNotSent extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Exception cause;
        private final String type;

        ResultNotSent(Object result, Exception cause) {
            super(null, null, false, false);
            this.cause = cause;
            this.type = result == null ? "a result" : "its result (a " + result.getClass().getName() + ")";
        }

        /** What the caller of get() learns. */
        Exception reason() {
            String detail = cause instanceof NotSerializableException
                    ? cause.getMessage() + " does not implement java.io.Serializable" : String.valueOf(cause);
            NotSerializableException reason = new NotSerializableException("the task ran, but " + type
                    + " cannot be sent back: " + detail);
            reason.initCause(cause);
            return reason;
        }
    }
}
