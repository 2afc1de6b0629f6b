package io.multiprocessing4j.internal.rehearsal;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.nativ.FileDescriptors;
import io.multiprocessing4j.internal.process.ResourceTracker;
import io.multiprocessing4j.internal.transfer.FdTransfer;
import io.multiprocessing4j.internal.transfer.Serialization;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.SharedIntArray;
import io.multiprocessing4j.sharedctypes.SharedLong;
import io.multiprocessing4j.synchronize.Condition;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.RLock;
import io.multiprocessing4j.synchronize.Semaphore;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a warm spare's rehearsal that meets what real targets carry: a target capturing one
 * object of each library kind (locks, semaphore, event, condition, queue, shared value and array,
 * connection) is serialized with its fds, deserialized from copies of them as a handed-off target
 * is, used once as a target uses them, and closed. A target that carries such objects then meets
 * their classes loaded, their serialization constructors generated, their readObject paths and the
 * lambda deserialization machinery warm: before this, the first one cost a spare's handoff 15-20 ms.
 *
 * <p>It creates shared memory of its own without telling the resource tracker (see
 * {@link ResourceTracker#untrackedWhile}): a spare has not yet received its parent's tracker
 * channel, and must not start a tracker of its own. Every segment it creates is anonymous
 * (unlinked a few system calls after its creation), so nothing of it can outlive the spare unless
 * the spare is killed in that instant; nothing of it outlives the rehearsal.
 *
 * <p>A package of its own: it uses the public API, which depends on {@code internal.process};
 * the spare's rehearsal there calls it by name (PackageCycleTest).
 */
public final class CarriedObjectsRehearsal {
    private CarriedObjectsRehearsal() {
    }

    /**
     * Classes whose serialization constructors are generated here without an object of them (one
     * generated accessor each on first use, about a millisecond): the shared types a target may
     * carry beyond the ones rehearsed with real objects.
     */
    static final String[] SERIALIZED_CLASSES = {
        "io.multiprocessing4j.sharedctypes.SharedInt",
        "io.multiprocessing4j.sharedctypes.SharedDouble",
        "io.multiprocessing4j.sharedctypes.SharedLongArray",
        "io.multiprocessing4j.sharedctypes.SharedDoubleArray",
        "io.multiprocessing4j.sharedctypes.SharedByteArray",
        "io.multiprocessing4j.synchronize.BoundedSemaphore",
        "io.multiprocessing4j.synchronize.Barrier",
        "io.multiprocessing4j.queues.JoinableQueue",
        "io.multiprocessing4j.queues.SimpleQueue",
    };

    /**
     * Rehearses; true if every step went through (a spare ignores the answer: only a head start is
     * lost; CarriedObjectsRehearsalTest checks it, so that a change cannot silently void it).
     */
    public static boolean run() {
        boolean[] done = {false};
        ResourceTracker.untrackedWhile(() -> done[0] = rehearse());
        ClassLoader loader = CarriedObjectsRehearsal.class.getClassLoader();
        for (String name : SERIALIZED_CLASSES) {
            try {
                ObjectStreamClass.lookup(Class.forName(name, true, loader));
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                done[0] = false; // a class renamed since: only a head start lost
            }
        }
        return done[0];
    }

    private static boolean rehearse() {
        List<AutoCloseable> opened = new ArrayList<>();
        boolean done = false;
        try {
            Lock lock = keep(opened, new Lock());
            RLock rlock = keep(opened, new RLock());
            Semaphore semaphore = keep(opened, new Semaphore(1));
            Event event = keep(opened, new Event());
            Condition condition = keep(opened, new Condition(lock));
            Queue<Integer> queue = keep(opened, new Queue<>(0, 4096));
            SharedLong value = keep(opened, SharedLong.create(0));
            SharedIntArray array = keep(opened, SharedIntArray.create(2));
            Pipe pipe = Pipe.open();
            opened.add(pipe::close);
            Connection end = pipe.second();
            ProcessTarget carrying = () -> use(lock, rlock, semaphore, event, condition, queue, value, array, end);
            ProcessTarget received = handOver(carrying, opened);
            if (received != null) {
                received.run();
            }
            use(lock, rlock, semaphore, event, condition, queue, value, array, end);
            done = received != null;
        } catch (Exception | LinkageError ignored) {
            // only a head start: the real handoff does whatever this did not
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception ignored) {
                    // closing what only the rehearsal used
                }
            }
        }
        return done;
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    /**
     * The target written as the parent writes it and read as a spare reads it, from copies of its
     * fds (the originals stay with the objects written). The objects read are closed afterwards
     * with the rest; null if it could not be read back.
     */
    private static ProcessTarget handOver(ProcessTarget target, List<AutoCloseable> opened) throws Exception {
        FdTransfer out = FdTransfer.forWriting();
        byte[] bytes;
        int[] copies;
        try {
            bytes = Serialization.serialize(target, out);
            int[] exported = out.exportedFds();
            copies = new int[exported.length];
            for (int i = 0; i < exported.length; i++) {
                copies[i] = FileDescriptors.dupCloexec(exported[i], 3);
            }
        } finally {
            out.releaseExported();
        }
        FdTransfer in = FdTransfer.forReading(copies);
        try {
            Object read = Serialization.deserialize(bytes, in);
            if (!(read instanceof ProcessTarget)) {
                return null;
            }
            ProcessTarget received = (ProcessTarget) read;
            opened.add(() -> closeCaptured(received));
            return received;
        } finally {
            in.closeUnclaimed();
        }
    }

    /** What a target does first with what it carries; never a wait (a wait may start a thread). */
    private static void use(Lock lock, RLock rlock, Semaphore semaphore, Event event, Condition condition,
                            Queue<Integer> queue, SharedLong value, SharedIntArray array, Connection end)
            throws Exception {
        lock.lock();
        lock.unlock();
        rlock.lock();
        rlock.unlock();
        if (semaphore.tryAcquire()) {
            semaphore.release();
        }
        event.set();
        event.isSet();
        event.clear();
        condition.acquire();
        condition.signalAll();
        condition.release();
        queue.offer(1);
        queue.poll();
        value.set(value.get() + 1);
        array.set(1, array.get(0) + 1);
        // A send, never a receive: a receive starts the connections' readiness poller (a thread in
        // native code, which the JVM's exit waits for on JDK 17) even when a message is waiting.
        end.send(1);
    }

    /** Closes the objects a deserialized rehearsal target captured (its lambda's captured arguments). */
    private static void closeCaptured(ProcessTarget target) throws Exception {
        for (java.lang.reflect.Field field : target.getClass().getDeclaredFields()) {
            if (AutoCloseable.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                ((AutoCloseable) field.get(target)).close();
            }
        }
    }
}
