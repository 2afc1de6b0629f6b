package io.multiprocessing4j;

import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.support.FullUnixBacklog;
import io.multiprocessing4j.support.SeparateJvm;
import io.multiprocessing4j.synchronize.Barrier;
import io.multiprocessing4j.synchronize.Condition;
import io.multiprocessing4j.synchronize.Event;
import io.multiprocessing4j.synchronize.Lock;
import io.multiprocessing4j.synchronize.Semaphore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Run on a JDK with virtual threads (21+), with few carrier threads: for each primitive, {@code n}
 * virtual threads block in it, then one more virtual thread releases them all. If a blocked wait
 * held its carrier, the releasing thread would never run. Reports {@code RELEASED <case> <ms>} per
 * case, or {@code STUCK <case> <what>} and exits 2. Arguments: the count, then the cases (none: all).
 */
public final class VirtualThreadsMain {
    private static final long BOUND_SECONDS = 60;

    /** One primitive: how a virtual thread blocks in it, how another releases all {@code n}, and the cleanup. */
    interface Case extends AutoCloseable {
        void block() throws Exception;

        void release(int n) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** The count of the case being built (the barrier needs it), and its name. */
    private static final ThreadLocal<Integer> PARTIES = new ThreadLocal<>();
    private static final ThreadLocal<String> CURRENT = ThreadLocal.withInitial(() -> "");

    /** In a pool worker: the event its task waits for. */
    static volatile Event workerGo;

    static final Map<String, Supplier<Case>> CASES = new java.util.LinkedHashMap<>();

    static {
        CASES.put("Event", () -> {
            Event event = new Event();
            return new Case() {
                public void block() throws Exception {
                    event.await();
                }

                public void release(int n) {
                    event.set();
                }

                public void close() {
                    event.close();
                }
            };
        });
        CASES.put("Condition", () -> {
            Condition condition = new Condition();
            AtomicBoolean go = new AtomicBoolean();
            return new Case() {
                public void block() throws Exception {
                    condition.acquire();
                    try {
                        condition.waitFor(go::get);
                    } finally {
                        condition.release();
                    }
                }

                public void release(int n) throws Exception {
                    condition.acquire();
                    go.set(true);
                    condition.signalAll();
                    condition.release();
                }
            };
        });
        CASES.put("Lock", () -> {
            Lock lock = new Lock();
            lock.lock();
            return new Case() {
                public void block() throws Exception {
                    lock.acquire();
                    lock.release();
                }

                public void release(int n) {
                    lock.release(); // any thread may release a Lock, as in Python
                }
            };
        });
        CASES.put("Semaphore", () -> {
            Semaphore semaphore = new Semaphore(0);
            return new Case() {
                public void block() throws Exception {
                    semaphore.acquire();
                }

                public void release(int n) {
                    for (int i = 0; i < n; i++) {
                        semaphore.release();
                    }
                }
            };
        });
        CASES.put("Barrier", () -> {
            Barrier barrier = new Barrier(PARTIES.get() + 1);
            return new Case() {
                public void block() throws Exception {
                    barrier.await();
                }

                public void release(int n) throws Exception {
                    barrier.await();
                }

                public void close() {
                    barrier.close();
                }
            };
        });
        CASES.put("Queue.get", () -> {
            Queue<Integer> queue = new Queue<>();
            return new Case() {
                public void block() throws Exception {
                    queue.get();
                }

                public void release(int n) throws Exception {
                    for (int i = 0; i < n; i++) {
                        queue.put(i);
                    }
                }

                public void close() {
                    queue.close();
                }
            };
        });
        CASES.put("Queue.put", () -> {
            Queue<Integer> queue = new Queue<>(1);
            try {
                queue.put(-1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new Case() {
                public void block() throws Exception {
                    queue.put(1);
                }

                public void release(int n) throws Exception {
                    for (int i = 0; i <= n; i++) {
                        queue.get();
                    }
                }

                public void close() {
                    queue.close();
                }
            };
        });
        CASES.put("Connection.recv", () -> receiving(open()));
        CASES.put("Connection.recv mid-message", () -> {
            // Each waiter's pipe already holds the header and the first bytes of a 64-byte message:
            // the waiter is inside the frame, where a read must not hold the carrier either.
            int n = PARTIES.get();
            java.util.concurrent.ConcurrentLinkedQueue<Pipe> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<Pipe> all = new ArrayList<>();
            byte[] start = {0, 0, 0, 64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            for (int i = 0; i < n; i++) {
                Pipe pipe = open();
                writeAll(pipe.second().fileno(), start);
                waiting.add(pipe);
                all.add(pipe);
            }
            return new Case() {
                public void block() throws Exception {
                    byte[] message = waiting.remove().first().recvBytes();
                    if (message.length != 64) {
                        throw new IllegalStateException("got " + message.length + " bytes");
                    }
                }

                public void release(int n) throws Exception {
                    byte[] rest = new byte[64 - 10];
                    for (Pipe pipe : all) {
                        writeAll(pipe.second().fileno(), rest);
                    }
                }

                public void close() throws Exception {
                    for (Pipe pipe : all) {
                        pipe.close();
                    }
                }
            };
        });
        CASES.put("Connection.send to a full socket", () -> {
            // Each waiter sends more than its socket holds, in a large message (sent straight from
            // the array) and then small ones (through the stack buffer): both sends find the
            // socket full and must wait for the reader without holding the carrier.
            int n = PARTIES.get();
            java.util.concurrent.ConcurrentLinkedQueue<Pipe> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<Pipe> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Pipe pipe = open();
                waiting.add(pipe);
                all.add(pipe);
            }
            int large = 512 * 1024;
            int small = 48 * 1024;
            int smallCount = 8;
            return new Case() {
                public void block() throws Exception {
                    Pipe pipe = waiting.remove();
                    pipe.first().sendBytes(new byte[large]);
                    for (int i = 0; i < smallCount; i++) {
                        byte[] message = new byte[small];
                        message[small - 1] = (byte) i;
                        pipe.first().sendBytes(message);
                    }
                }

                public void release(int n) throws Exception {
                    for (Pipe pipe : all) {
                        byte[] first = pipe.second().recvBytes();
                        if (first.length != large) {
                            throw new IllegalStateException("got " + first.length + " bytes, not " + large);
                        }
                        for (int i = 0; i < smallCount; i++) {
                            byte[] message = pipe.second().recvBytes();
                            if (message.length != small || message[small - 1] != (byte) i) {
                                throw new IllegalStateException("small message " + i + " arrived wrong");
                            }
                        }
                    }
                }

                public void close() throws Exception {
                    for (Pipe pipe : all) {
                        pipe.close();
                    }
                }
            };
        });
        CASES.put("Pipe(false).recv", () -> receiving(openOneWay()));
        CASES.put("Pipe(false).send to a full pipe", () -> {
            // A pipe holds 64 KiB: each waiter's first message fills it, and its next ones must wait
            // for the reader without holding the carrier.
            int n = PARTIES.get();
            java.util.concurrent.ConcurrentLinkedQueue<Pipe> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<Pipe> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Pipe pipe = openOneWay();
                waiting.add(pipe);
                all.add(pipe);
            }
            int size = 96 * 1024;
            int count = 3;
            return new Case() {
                public void block() throws Exception {
                    Pipe pipe = waiting.remove();
                    for (int i = 0; i < count; i++) {
                        byte[] message = new byte[size];
                        message[size - 1] = (byte) i;
                        pipe.second().sendBytes(message);
                    }
                }

                public void release(int n) throws Exception {
                    for (Pipe pipe : all) {
                        for (int i = 0; i < count; i++) {
                            byte[] message = pipe.first().recvBytes();
                            if (message.length != size || message[size - 1] != (byte) i) {
                                throw new IllegalStateException("message " + i + " arrived wrong");
                            }
                        }
                    }
                }

                public void close() throws Exception {
                    for (Pipe pipe : all) {
                        pipe.close();
                    }
                }
            };
        });
        CASES.put("Listener.accept", () -> {
            Listener listener = listener();
            return new Case() {
                public void block() throws Exception {
                    listener.accept().close();
                }

                public void release(int n) throws Exception {
                    for (int i = 0; i < n; i++) {
                        Client.connect(listener.address()).close(); // waits in the backlog all the same
                    }
                }

                public void close() throws Exception {
                    listener.close();
                }
            };
        });
        CASES.put("Client.connect to a full backlog", () -> {
            FullUnixBacklog listener = fullUnixBacklog();
            List<Connection> connected = Collections.synchronizedList(new ArrayList<>());
            return new Case() {
                public void block() throws Exception {
                    connected.add(Client.connect(listener.address()));
                }

                public void release(int n) throws Exception {
                    // Each accept makes room in the backlog for one more client, the filling ones first.
                    for (int i = 0; i < listener.queuedCount() + n; i++) {
                        listener.acceptOne();
                    }
                }

                public void close() throws Exception {
                    for (Connection connection : connected) {
                        connection.close();
                    }
                    listener.close();
                }
            };
        });
        CASES.put("ChildProcess.join", () -> {
            Event go = new Event();
            ChildProcess child = new ChildProcess(() -> go.await());
            child.start();
            return new Case() {
                public void block() throws Exception {
                    child.join();
                }

                public void release(int n) {
                    go.set();
                }
            };
        });
        CASES.put("ChildProcess.start", () -> {
            GatedJava gated = GatedJava.create();
            List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
            return new Case() {
                public void block() {
                    ChildProcess child = gated.context.newProcess(() -> { });
                    child.start();
                    children.add(child);
                }

                public void release(int n) throws Exception {
                    gated.open();
                }

                public void close() throws Exception {
                    gated.open(); // a case that failed still lets its children boot and end
                    for (ChildProcess child : children) {
                        child.join(Duration.ofSeconds(BOUND_SECONDS));
                    }
                    gated.delete();
                }
            };
        });
        CASES.put("new Pool", () -> {
            // A pool's constructor launches its last worker itself, in the calling thread.
            GatedJava gated = GatedJava.create();
            List<Pool> pools = Collections.synchronizedList(new ArrayList<>());
            return new Case() {
                public void block() {
                    pools.add(Pool.builder().processes(1).context(gated.context).build());
                }

                public void release(int n) throws Exception {
                    gated.open();
                }

                public void close() throws Exception {
                    gated.open();
                    for (Pool pool : pools) {
                        pool.close();
                        pool.join();
                    }
                    gated.delete();
                }
            };
        });
        CASES.put("AsyncResult.get", () -> {
            Event go = new Event();
            Pool pool = new Pool(1, () -> workerGo = go); // the pool's initializer carries the event
            AsyncResult<Boolean> result = pool.applyAsync(() -> workerGo.await());
            return new Case() {
                public void block() throws Exception {
                    result.get();
                }

                public void release(int n) {
                    go.set();
                }

                public void close() {
                    pool.close();
                }
            };
        });
    }

    /**
     * A {@code spawn} context whose "java" waits for a gate file before it runs the real one: a
     * start with it waits for a JVM that does not begin to boot until the release opens the gate.
     */
    private static final class GatedJava {
        private static final List<GatedJava> MADE = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Path directory;
        final Path gate;
        final Path script;
        final ProcessContext context;

        private GatedJava(Path directory) throws IOException {
            this.directory = directory;
            this.gate = directory.resolve("open");
            this.script = directory.resolve("gated-java");
            String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // It gives up waiting after twice the bound (a JVM whose parent is gone then ends at once).
            long polls = 2 * BOUND_SECONDS * 100;
            Files.writeString(script, "#!/bin/sh\ni=0\nwhile [ ! -e '" + gate + "' ] && [ $i -lt " + polls + " ]; do\n"
                    + "  sleep 0.01; i=$((i + 1))\ndone\nexec '" + realJava + "' \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            // A start that held its carrier is reported STUCK after the bound, not failed by its boot timeout.
            this.context = ProcessContext.defaultContext().toBuilder().startMethod(StartMethod.SPAWN)
                    .javaExecutable(script.toString()).bootTimeout(Duration.ofSeconds(2 * BOUND_SECONDS)).build();
        }

        static GatedJava create() {
            try {
                GatedJava gated = new GatedJava(Files.createTempDirectory("mp4j-gated-java"));
                MADE.add(gated);
                return gated;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void open() throws IOException {
            if (!Files.exists(gate)) {
                Files.createFile(gate);
            }
        }

        /**
         * For a JVM about to exit with cases unfinished: opens every gate, gives the waiting
         * scripts (which look every 10 ms) a moment to pass it, then removes their directories.
         * A script that still missed it gives up after its own bound and runs its JVM anyway.
         */
        static void openAllAndDelete() throws IOException, InterruptedException {
            for (GatedJava gated : MADE) {
                gated.open();
            }
            Thread.sleep(200);
            for (GatedJava gated : MADE) {
                gated.delete();
            }
        }

        void delete() throws IOException {
            Files.deleteIfExists(script);
            Files.deleteIfExists(gate);
            Files.deleteIfExists(directory);
        }
    }

    private static void writeAll(int fd, byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            int n;
            try {
                n = io.multiprocessing4j.internal.nativ.FileDescriptors.write(fd, bytes, done, bytes.length - done);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (n <= 0) {
                throw new IllegalStateException("write: " + n);
            }
            done += n;
        }
    }

    private static FullUnixBacklog fullUnixBacklog() {
        try {
            Path directory = Files.createTempDirectory("mp4j-full-backlog");
            directory.toFile().deleteOnExit();
            directory.resolve("listener").toFile().deleteOnExit();
            return new FullUnixBacklog(directory);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pipe open() {
        try {
            return Pipe.open();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waiters receive on the pipe's first end; the releaser sends one message per waiter on its second. */
    private static Case receiving(Pipe pipe) {
        return new Case() {
            public void block() throws Exception {
                pipe.first().recv();
            }

            public void release(int n) throws Exception {
                for (int i = 0; i < n; i++) {
                    pipe.second().send(i);
                }
            }

            public void close() throws Exception {
                pipe.close();
            }
        };
    }

    private static Pipe openOneWay() {
        try {
            return Pipe.open(false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Listener listener() {
        try {
            return new Listener();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : new ArrayList<>(CASES.keySet());
        ExecutorService threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        for (String name : names) {
            PARTIES.set(n);
            CURRENT.set(name);
            try (Case scenario = CASES.get(name).get()) {
                String stuck = run(threads, scenario, n);
                if (stuck != null) {
                    SeparateJvm.report("STUCK", name + " " + stuck);
                    GatedJava.openAllAndDelete(); // their JVMs then boot, find this one gone and end
                    System.exit(2);
                }
            }
        }
        SeparateJvm.ready();
        System.exit(0);
    }

    /** Runs one case; null if all came back, otherwise what went wrong. */
    private static String run(ExecutorService threads, Case scenario, int n) throws Exception {
        CountDownLatch started = new CountDownLatch(n);
        AtomicInteger returned = new AtomicInteger();
        List<Future<?>> blocked = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            blocked.add(threads.submit(() -> {
                started.countDown();
                scenario.block();
                returned.incrementAndGet();
                return null;
            }));
        }
        if (!started.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
            return "only " + (n - started.getCount()) + " of " + n + " blocked threads ever ran";
        }
        Thread.sleep(300); // let them get into their waits
        if (returned.get() != 0) {
            return returned.get() + " threads returned before the release";
        }
        long began = System.nanoTime();
        Future<?> releaser = threads.submit(() -> {
            scenario.release(n);
            return null;
        });
        long deadline = began + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        try {
            releaser.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (Future<?> future : blocked) {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            return "after " + BOUND_SECONDS + " s: the releaser " + (releaser.isDone() ? "ran" : "never finished")
                    + ", " + returned.get() + " of " + n + " returned";
        }
        SeparateJvm.report("RELEASED", CURRENT.get() + " " + n + " "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        return null;
    }

}
