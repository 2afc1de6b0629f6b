package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.errors.SystemCallException;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.connection.ListeningSocket;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.nativ.ProcessCalls;
import io.multiprocessing4j.internal.nativ.ScratchBuffer;
import io.multiprocessing4j.internal.nativ.Sockets;
import io.multiprocessing4j.internal.sync.SharedWords;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import io.multiprocessing4j.internal.transfer.LambdaCodec;
import io.multiprocessing4j.internal.transfer.Serialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A warm spare's rehearsal of its handoff, run once while it has time to spare, so that the real
 * handoff meets loaded classes and code that has already run (see {@link #run}).
 */
final class SpareRehearsal {
    private SpareRehearsal() {
    }

    /**
     * A spare's rehearsal of its handoff, on a socketpair of its own: orders encoded as the parent
     * does, sent with an fd attached, received, decoded, the target decoded and the answer sent
     * and read. The real orders then meet loaded classes and code that has already run, which
     * takes milliseconds off the handoff of a spare that has seconds to spare. Nothing of it
     * stays: no identity, context or fd of the rehearsal outlives it.
     */
    static void run() {
        step(() -> {
            for (int round = 0; round < HANDOFF_ROUNDS; round++) {
                if (!rehearseHandoff()) {
                    break;
                }
            }
        });
        step(SpareRehearsal::rehearseSharedObjects);
        step(() -> Class.forName(CARRIED_OBJECTS, true, SpareRehearsal.class.getClassLoader()).getMethod("run")
                .invoke(null));
        step(SpareRehearsal::rehearseParentHandle);
        step(SpareRehearsal::loadHandoffClasses);
        step(SpareRehearsal::rehearseConnection);
        step(QuickExit::leftToRun); // reads the JDK's exit tables: reflection's first use
        step(SpareRehearsal::rehearsePoolWorker);
    }

    /** One step of the rehearsal. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs one step; one that fails (a socket refused in a sandbox, say) costs only its own head
     * start, not the steps after it: the real handoff does whatever the rehearsal did not.
     */
    private static void step(Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError ignored) {
            // only a rehearsal
        }
    }

    /**
     * How often the handoff is rehearsed: often enough for the JIT to compile its methods (after a
     * few hundred calls a method runs compiled, some ten times faster than in the interpreter), so
     * that the real orders meet compiled code. A few tens of milliseconds of a spare's boot.
     */
    static final int HANDOFF_ROUNDS = 300;

    /** One rehearsal of the handoff proper; false if it could not be made (then once is enough). */
    private static boolean rehearseHandoff() throws IOException, SystemCallException, ClassNotFoundException {
        int[] pair = {-1, -1};
        List<Integer> received = new ArrayList<>();
        try {
            Sockets.socketpair(pair);
            ProcessTarget sample = SpareRehearsal::rehearsalTarget;
            byte[] compact = LambdaCodec.encode(sample);
            if (compact == null) {
                return false;
            }
            byte[] framed = new BootstrapMessage("rehearsal", new int[] {1}, false, new byte[32],
                    ProcessCalls.getpid(), "rehearsal", LaunchSettings.DEFAULTS, 1,
                    true, compact).encode();
            Sockets.sendRun(pair[0], true, framed, framed.length, null, 0, 0, new int[] {pair[0]}, false);
            byte[] header = ChildMain.readHeader(pair[1], false, received);
            int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
                    | (header[3] & 0xff);
            BootstrapMessage message = BootstrapMessage.decode(ChildMain.readExactly(pair[1], length, false));
            int[] fds = new int[received.size()];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = received.get(i);
            }
            FdTransfer transfer = FdTransfer.forReading(fds);
            received.clear(); // the transfer owns them now
            try {
                LambdaCodec.decode(message.target, SpareRehearsal.class.getClassLoader());
            } finally {
                transfer.closeUnclaimed();
            }
            ChildMain.answer(pair[1], new byte[] {ChildFdLayout.READY});
            FileDescriptors.read(pair[0], new byte[1], 0, 1);
            return true;
        } finally {
            received.forEach(FileDescriptors::closeQuietly);
            FileDescriptors.closeQuietly(pair[0]);
            FileDescriptors.closeQuietly(pair[1]);
        }
    }

    /**
     * A pool worker's first act, and that of many targets: connect to a listening socket and send.
     * Here to a socket of our own on a random abstract address, closed again, and never waiting
     * for anything: a wait would start the connections' readiness poller, a thread in native code
     * that the JVM's exit waits for (up to 300 ms on JDK 17) in a child that exits through it.
     */
    private static void rehearseConnection() throws IOException {
        AbstractUnixAddress address = AbstractUnixAddress.random();
        ListeningSocket listening = ListeningSocket.open(address, address.name(), 1, null);
        try (Connection client = Client.connect(address)) {
            client.sendBytes(new byte[] {1});
        } finally {
            listening.close();
        }
    }

    /**
     * A warm pool's worker is a spare: its first task (a function defined, called, its result
     * sent) rehearsed by the pool's own code. Called by name: the pool package depends on this
     * one, not the other way round (PackageCycleTest).
     */
    private static void rehearsePoolWorker() throws ReflectiveOperationException {
        Class.forName(POOL_WORKER, true, SpareRehearsal.class.getClassLoader()).getMethod("rehearse").invoke(null);
    }

    static final String POOL_WORKER = "io.multiprocessing4j.internal.pool.WorkerMain";
    /** A target carrying each library kind, rehearsed by name: that package depends on this one (PackageCycleTest). */
    static final String CARRIED_OBJECTS = "io.multiprocessing4j.internal.rehearsal.CarriedObjectsRehearsal";

    /**
     * The handoff opens a pidfd on the parent ({@code ParentHandle}); the first call of that path
     * costs milliseconds (its error message's string concatenation is bootstrapped on first
     * use). Done here on our own pid, whose pidfd is closed again: no parent handle is installed.
     */
    private static void rehearseParentHandle() throws SystemCallException {
        int pidfd = ProcessCalls.pidfdOpen(ProcessCalls.getpid());
        if (pidfd >= 0) {
            FileDescriptors.closeQuietly(pidfd);
        }
    }

    /**
     * What a target that carries locks, shared values, queues or connections does first: load
     * their classes and use VarHandles on a direct buffer, as on a segment's mapping (a direct
     * buffer too). Here on memory of our own, so that no segment, no resource tracker, no file and
     * nothing of the parent's is touched: a spare killed at any point of it leaves nothing behind.
     */
    private static void rehearseSharedObjects() throws Exception {
        ClassLoader loader = SpareRehearsal.class.getClassLoader();
        for (String name : CARRIED_CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError ignored) {
                // a class renamed since: only a head start lost
            }
        }
        rehearseCapturingTarget("rehearsal", 1L, 2);
        try (ScratchBuffer scratch = ScratchBuffer.allocate(128)) {
            java.nio.ByteBuffer words = scratch.buffer();
            SharedWords.LONG.getAndAdd(words, 0, 1L);
            SharedWords.LONG.compareAndSet(words, 8, 0L, 1L);
            SharedWords.LONG.setVolatile(words, 16, (long) SharedWords.LONG.getVolatile(words, 0));
            SharedWords.INT.getAndAdd(words, 24, 1);
            SharedWords.INT.compareAndSet(words, 28, 0, 1);
            SharedWords.INT.setVolatile(words, 32, (int) SharedWords.INT.getVolatile(words, 24));
        }
    }

    /**
     * A target that captures values travels with Java serialization and is rebuilt through the
     * lambda's {@code $deserializeLambda$} and the metafactory, which spin method handles on first
     * use: done once here, through the same calls as a real target.
     */
    private static void rehearseCapturingTarget(String text, long number, int small) {
        ProcessTarget sample = () -> rehearsalSink(text, number, small);
        FdTransfer out = FdTransfer.forWriting();
        try {
            byte[] bytes = Serialization.serialize(sample, out);
            FdTransfer in = FdTransfer.forReading(new int[0]);
            try {
                Serialization.deserialize(bytes, in);
            } finally {
                in.closeUnclaimed();
            }
        } catch (Exception | LinkageError ignored) {
            // only a head start
        } finally {
            out.releaseExported();
        }
    }

    private static void rehearsalSink(String text, long number, int small) {
        // the rehearsal target's body: decoded, never run
    }

    /**
     * Loaded (not initialized: no identity or parent handle of a rehearsal may exist) so that the
     * handoff does not read them from the class path: the first classes a real handoff met that
     * the rehearsal had not, in the class-load log of a warm child.
     */
    static final String[] HANDOFF_CLASSES = {
        "io.multiprocessing4j.internal.process.ProcessIdentity",
        "io.multiprocessing4j.internal.process.ParentHandle",
        "io.multiprocessing4j.internal.process.ExitWatcher$Watched",
    };

    private static void loadHandoffClasses() {
        for (String name : HANDOFF_CLASSES) {
            try {
                Class.forName(name, false, SpareRehearsal.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError ignored) {
                // a class renamed since: only a head start lost
            }
        }
    }

    /**
     * The library's classes a carried object brings along, by name (loading them must not run the
     * code that would open what they wrap); SpareRehearsalTest checks every name still names a class.
     */
    static final String[] CARRIED_CLASSES = {
        "io.multiprocessing4j.internal.shm.Segment",
        "io.multiprocessing4j.internal.shm.Segment$ByFd",
        "io.multiprocessing4j.internal.nativ.OwnedFd",
        "io.multiprocessing4j.internal.SharedCleaner",
        "io.multiprocessing4j.synchronize.Lock",
        "io.multiprocessing4j.synchronize.RLock",
        "io.multiprocessing4j.sharedctypes.SharedLong",
        "io.multiprocessing4j.sharedctypes.SharedInt",
        "io.multiprocessing4j.connection.Connection",
        "io.multiprocessing4j.queues.Queue",
        "io.multiprocessing4j.queues.SerializedQueue",
        "io.multiprocessing4j.internal.queue.MessageRing",
        "io.multiprocessing4j.internal.queue.WakeupWord",
        "io.multiprocessing4j.internal.sync.RobustMutex",
        "io.multiprocessing4j.synchronize.Condition",
        "io.multiprocessing4j.synchronize.ProcessLock$Held",
        "io.multiprocessing4j.connection.Client",
    };

    private static void rehearsalTarget() {
        // the rehearsal target's body: decoded, never run
    }
}
