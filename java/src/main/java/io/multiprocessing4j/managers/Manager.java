package io.multiprocessing4j.managers;

import io.multiprocessing4j.ChildProcess;
import io.multiprocessing4j.connection.AbstractUnixAddress;
import io.multiprocessing4j.errors.AuthenticationException;
import io.multiprocessing4j.internal.manager.ManagerConnection;
import io.multiprocessing4j.internal.manager.ManagerServer;
import io.multiprocessing4j.internal.manager.ProxyHandle;
import io.multiprocessing4j.internal.manager.SharedKind;
import io.multiprocessing4j.internal.manager.TypeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Python's {@code multiprocessing.Manager()}: a server process that holds lists, maps,
 * namespaces and values, which every process reaches through proxies.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {              // with Manager() as m:
 *     List<Integer> list = manager.list();               // m.list()
 *     ChildProcess p = new ChildProcess(() -> list.add(30));
 *     p.start();
 *     p.join();
 *     System.out.println(list);                          // [30]
 * }                                                      // shuts the server down
 * }</pre>
 *
 * <p>{@link #start()} starts the server as a daemon {@link ChildProcess} listening on a fresh Linux
 * abstract address with a random authkey (clients prove they know it, with the HMAC challenge of
 * {@link io.multiprocessing4j.connection.Listener}); it dies with this process. A proxy is
 * serializable: captured in a child's target, in a pool task or sent through a connection, it
 * reaches the same object from there, over one connection per process. See {@link ListProxy}
 * for what a call costs and how objects are freed.
 *
 * <p>For a manager in a process of your own (Python's {@code BaseManager(address, authkey)}
 * with {@code get_server().serve_forever()} and {@code connect()}), run {@link #serve} there
 * and {@link #connect} elsewhere.
 */
public final class Manager implements AutoCloseable {
    private static final Duration READY_BOUND = Duration.ofSeconds(60);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(10);
    private static final int AUTHKEY_BYTES = 32;

    private final ManagerConnection connection;
    /** The server process, or null for a manager this process connected to. */
    private final ManagerProcess server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Manager(ManagerConnection connection, ChildProcess server) {
        this.connection = connection;
        this.server = server == null ? null : new ManagerProcess(server);
    }

    /**
     * Starts a manager's server in a new daemon child process and returns once it listens
     * (Python's {@code Manager()}). Throws {@link io.multiprocessing4j.errors.ProcessStartException} if the
     * process cannot start, and {@link UncheckedIOException} if its server cannot listen.
     */
    public static Manager start() {
        return start(null);
    }

    /**
     * A builder for a manager that also serves types of the user's own (Python's
     * {@code class MyManager(BaseManager)} with {@code MyManager.register(...)}).
     */
    public static Builder builder() {
        return new Builder();
    }

    private static Manager start(TypeRegistry registry) {
        AbstractUnixAddress address = AbstractUnixAddress.random();
        byte[] authkey = new byte[AUTHKEY_BYTES];
        new SecureRandom().nextBytes(authkey);
        // The target carries no fd (the server tells it is listening by accepting us), so that
        // under the warm start method the server is a spare taking orders, not a JVM boot.
        ChildProcess server = new ChildProcess(() -> ManagerServer.servePrivately(address, authkey, registry), null,
                true);
        server.setName("Manager-" + server.identity().stream().map(String::valueOf).collect(Collectors.joining(":")));
        server.start();
        ManagerConnection connection = ManagerConnection.of(address, authkey);
        Manager manager = new Manager(connection, server);
        try {
            awaitListening(connection, manager.server.child());
        } catch (RuntimeException e) {
            manager.shutdown();
            throw e;
        }
        return manager;
    }

    /** Connects to the new server, retrying while it has not bound its address yet. */
    private static void awaitListening(ManagerConnection connection, ChildProcess server) {
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        long pauseMillis = 1;
        while (true) {
            try {
                connection.open();
                return;
            } catch (AuthenticationException e) {
                throw new UncheckedIOException("the manager's server at " + connection.address()
                        + " did not take its own key", e);
            } catch (IOException notYetListening) {
                if (!server.isAlive()) {
                    throw new UncheckedIOException("the manager's server (" + server + ") ended before it listened on "
                            + connection.address() + " (its stderr says why)", notYetListening);
                }
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("the manager's server (" + server + ") did not listen on "
                            + connection.address() + " within " + READY_BOUND, notYetListening);
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the manager's server was starting", e);
            }
            pauseMillis = Math.min(20, pauseMillis * 2);
        }
    }

    /**
     * Connects to the manager served at {@code address} (Python's {@code BaseManager(address,
     * authkey).connect()}). Throws {@link io.multiprocessing4j.errors.AuthenticationException}
     * if the key is wrong, and an {@link IOException} if nothing serves there. Waits without a
     * limit, as Python does, but an interrupt ends the wait ({@link java.io.InterruptedIOException});
     * {@link #connect(SocketAddress, byte[], Duration)} sets a limit.
     */
    public static Manager connect(SocketAddress address, byte[] authkey) throws IOException {
        return connectWithin(address, authkey, null);
    }

    /**
     * As {@link #connect(SocketAddress, byte[])}, within {@code timeout} for the connect, the
     * authentication and the server's answer together: an address that does not answer gives a
     * {@link java.net.SocketTimeoutException}, a peer that accepts and says nothing (a service
     * other than a manager's) an {@link io.multiprocessing4j.errors.AuthenticationException}
     * saying it timed out, once the time has passed.
     */
    public static Manager connect(SocketAddress address, byte[] authkey, Duration timeout) throws IOException {
        return connectWithin(address, authkey, Objects.requireNonNull(timeout, "timeout"));
    }

    /** {@code timeout} null for none. */
    private static Manager connectWithin(SocketAddress address, byte[] authkey, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authkey, "authkey");
        ManagerConnection connection = ManagerConnection.unshared(address, authkey);
        connection.openInterruptibly(timeout);
        return new Manager(connection, null);
    }

    /**
     * Serves a manager on {@code address} in this process, for {@link #connect} from others, and
     * returns only when one of them calls {@link #shutdown()} (Python's
     * {@code get_server().serve_forever()}). Clients must know {@code authkey}.
     */
    public static void serve(SocketAddress address, byte[] authkey) throws IOException {
        ManagerServer.serve(Objects.requireNonNull(address, "address"), Objects.requireNonNull(authkey, "authkey"));
    }

    /** A new empty list in the server (Python's {@code m.list()}). */
    public <E> ListProxy<E> list() {
        return list(null);
    }

    /** A new list in the server holding {@code elements} (Python's {@code m.list(sequence)}). */
    public <E> ListProxy<E> list(Collection<? extends E> elements) {
        return new ListProxy<>(create(SharedKind.LIST, elements == null ? null : new ArrayList<>(elements)));
    }

    /** A new empty map in the server (Python's {@code m.dict()}). */
    public <K, V> DictProxy<K, V> dict() {
        return dict(null);
    }

    /** A new map in the server holding {@code entries} (Python's {@code m.dict(mapping)}). */
    public <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> entries) {
        return new DictProxy<>(create(SharedKind.DICT,
                entries == null ? null : new LinkedHashMap<>(entries)));
    }

    /** A new namespace in the server (Python's {@code m.Namespace()}). */
    public Namespace namespace() {
        return new Namespace(create(SharedKind.NAMESPACE, null));
    }

    /** A new value in the server (Python's {@code m.Value(typecode, value)}). */
    public <T> ValueProxy<T> value(T initial) {
        return new ValueProxy<>(create(SharedKind.VALUE, initial));
    }

    /**
     * A new value in the server that only holds values of {@code type} (Python's
     * {@code m.Value(typecode, value)} with the typecode enforced): setting another type, or null,
     * throws {@link ClassCastException}.
     */
    public <T> ValueProxy<T> value(Class<T> type, T initial) {
        Objects.requireNonNull(type, "type");
        return new ValueProxy<>(create(SharedKind.TYPED_VALUE, new Object[] {type, initial}));
    }

    /** A new lock in the server (Python's {@code m.Lock()}); see {@link LockProxy}. */
    public LockProxy lock() {
        return new LockProxy(create(SharedKind.LOCK, null));
    }

    /** A new reentrant lock in the server (Python's {@code m.RLock()}); see {@link LockProxy}. */
    public LockProxy rLock() {
        return new LockProxy(create(SharedKind.RLOCK, null));
    }

    /** A new semaphore with one unit (Python's {@code m.Semaphore()}). */
    public SemaphoreProxy semaphore() {
        return semaphore(1);
    }

    /** A new semaphore with {@code value} units (Python's {@code m.Semaphore(value)}). */
    public SemaphoreProxy semaphore(int value) {
        return new SemaphoreProxy(create(SharedKind.SEMAPHORE, value));
    }

    /** A new bounded semaphore with one unit (Python's {@code m.BoundedSemaphore()}). */
    public SemaphoreProxy boundedSemaphore() {
        return boundedSemaphore(1);
    }

    /** A new semaphore of {@code value} units, never more (Python's {@code m.BoundedSemaphore(value)}). */
    public SemaphoreProxy boundedSemaphore(int value) {
        return new SemaphoreProxy(create(SharedKind.BOUNDED_SEMAPHORE, value));
    }

    /** A new condition with a new reentrant lock (Python's {@code m.Condition()}). */
    public ConditionProxy condition() {
        return new ConditionProxy(create(SharedKind.CONDITION, null));
    }

    /** A new condition on {@code lock}, a lock of this manager (Python's {@code m.Condition(lock)}). */
    public ConditionProxy condition(LockProxy lock) {
        if (!lock.handle().address().equals(address())) {
            throw new IllegalArgumentException("the lock belongs to the manager at " + lock.handle().address()
                    + ", not to this one at " + address());
        }
        return new ConditionProxy(create(SharedKind.CONDITION, lock.handle().id()));
    }

    /** A new event, not set (Python's {@code m.Event()}). */
    public EventProxy event() {
        return new EventProxy(create(SharedKind.EVENT, null));
    }

    /** A new barrier for {@code parties} threads (Python's {@code m.Barrier(parties)}, without an action). */
    public BarrierProxy barrier(int parties) {
        return new BarrierProxy(create(SharedKind.BARRIER, parties));
    }

    /** A new unbounded queue (Python's {@code m.Queue()}). */
    public <E> QueueProxy<E> queue() {
        return queue(0);
    }

    /** A new queue of at most {@code maxsize} items, 0 for no bound (Python's {@code m.Queue(maxsize)}). */
    public <E> QueueProxy<E> queue(int maxsize) {
        return new QueueProxy<>(create(SharedKind.QUEUE, maxsize));
    }

    /** A new unbounded joinable queue (Python's {@code m.JoinableQueue()}). */
    public <E> QueueProxy<E> joinableQueue() {
        return joinableQueue(0);
    }

    /** A new joinable queue of at most {@code maxsize} items, 0 for no bound (Python's {@code m.JoinableQueue(maxsize)}). */
    public <E> QueueProxy<E> joinableQueue(int maxsize) {
        return new QueueProxy<>(create(SharedKind.JOINABLE_QUEUE, maxsize));
    }

    /**
     * A new array of {@code type} holding {@code elements} (Python's {@code m.Array(typecode,
     * sequence)}, the class standing for the typecode); none may be null.
     */
    public <E> ArrayProxy<E> array(Class<E> type, Collection<? extends E> elements) {
        Objects.requireNonNull(type, "type");
        return new ArrayProxy<>(create(SharedKind.ARRAY, new Object[] {type, new ArrayList<>(elements)}));
    }

    /** {@code m.Array('i', values)}. */
    public ArrayProxy<Integer> array(int[] values) {
        return array(Integer.class, Arrays.stream(values).boxed().toList());
    }

    /** {@code m.Array('q', values)}. */
    public ArrayProxy<Long> array(long[] values) {
        return array(Long.class, Arrays.stream(values).boxed().toList());
    }

    /** {@code m.Array('d', values)}. */
    public ArrayProxy<Double> array(double[] values) {
        return array(Double.class, Arrays.stream(values).boxed().toList());
    }

    /** A new pool with one worker per CPU, owned by the server (Python's {@code m.Pool()}). */
    public PoolProxy pool() {
        return pool(0);
    }

    /** A new pool of {@code processes} workers, children of the server (Python's {@code m.Pool(processes)}). */
    public PoolProxy pool(int processes) {
        if (processes < 0) {
            throw new IllegalArgumentException("processes must not be negative: " + processes);
        }
        return new PoolProxy(create(SharedKind.POOL, processes));
    }

    /**
     * A new object of the type registered as {@code typeId} (see {@link Builder#register}), made by
     * its factory in the server, used through a proxy implementing {@code iface} (Python's
     * {@code m.typeid()}). {@code iface} is the registered interface, or one it extends.
     */
    public <T> T create(String typeId, Class<T> iface) {
        Objects.requireNonNull(typeId, "typeId");
        Objects.requireNonNull(iface, "iface");
        return RegisteredProxy.of(create(SharedKind.REGISTERED, typeId), iface);
    }

    private ProxyHandle create(SharedKind kind, Object initial) {
        if (closed.get()) {
            throw new IllegalStateException("manager at " + connection.address() + " is shut down");
        }
        return ProxyHandle.create(connection, kind, initial);
    }

    /** The address the server listens on. */
    public SocketAddress address() {
        return connection.address();
    }

    /** The key clients must know (a copy). */
    public byte[] authkey() {
        return connection.authkey();
    }

    /** The server process's pid; empty for a manager this process connected to. */
    public OptionalLong pid() {
        return server == null ? OptionalLong.empty() : OptionalLong.of(server.pid());
    }

    /**
     * The server's process (Python's {@code manager._process}): pid, liveness, exit code, join.
     * Throws {@link IllegalStateException} for a manager this process {@link #connect connected} to.
     */
    public ManagerProcess process() {
        if (server == null) {
            throw new IllegalStateException("the manager at " + address() + " runs in a process this one did not start");
        }
        return server;
    }

    /**
     * Stops the server (idempotent): it exits, its objects go with it, and every proxy of this
     * manager, in any process, fails from then on with an {@link IllegalStateException} naming
     * the manager. Waits a bounded time for a server process of ours to exit, then kills it. On a
     * manager this process {@link #connect connected} to, this stops the server it serves
     * ({@link #serve} returns there).
     */
    public void shutdown() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            connection.shutdownServer();
        } catch (RuntimeException alreadyGone) {
            // the server died before us (killed, say): nothing left to ask
        }
        connection.retire("manager at " + connection.address() + " is shut down");
        if (server != null) {
            reap(server);
        }
    }

    private static void reap(ManagerProcess process) {
        ChildProcess server = process.child();
        try {
            if (!server.join(EXIT_BOUND)) {
                server.kill();
                server.join(EXIT_BOUND);
            }
            process.release(); // keeps the exit code
        } catch (InterruptedException e) {
            server.kill(); // do not leave it behind; the reaper collects it
            Thread.currentThread().interrupt();
        }
    }

    /**
     * For try-with-resources ({@code with Manager() as m:}): {@link #shutdown()} for a manager this
     * process started; for one it {@link #connect connected} to, closes this process's connection
     * only (its proxies here fail from then on; the server and the other processes go on).
     */
    @Override
    public void close() {
        if (server != null) {
            shutdown();
        } else if (closed.compareAndSet(false, true)) {
            connection.retire("this process closed its connection to the manager at " + connection.address());
        }
    }

    /** Whether {@link #shutdown()} or {@link #close()} was called. */
    public boolean isShutdown() {
        return closed.get();
    }

    /** How many objects the server holds (Python's {@code _number_of_objects()}), for tests. */
    int numberOfObjects() {
        return connection.numberOfObjects();
    }

    /**
     * Builds a manager with types of the user's own (Python's {@code BaseManager} subclass with
     * {@code register}): register each, then {@link #start()} it, or {@link #serve} it in this process.
     *
     * <pre>{@code
     * interface Counter { int increment(); Counter child(); }
     * try (Manager m = Manager.builder()
     *         .register("Counter", Counter.class, CounterImpl::new, Map.of("child", "Counter"))
     *         .start()) {
     *     Counter c = m.create("Counter", Counter.class);  // m.Counter()
     *     c.increment();                                  // runs in the server
     * }
     * }</pre>
     */
    public static final class Builder {
        private final TypeRegistry registry = new TypeRegistry();

        private Builder() {
        }

        /**
         * Registers {@code typeId}: {@link Manager#create} makes an object with {@code factory} in
         * the server, and its proxy exposes the methods of {@code iface} (Python's {@code exposed}),
         * with arguments and results by value.
         */
        public <T> Builder register(String typeId, Class<T> iface, TypeFactory<? extends T> factory) {
            return register(typeId, iface, factory, Map.of());
        }

        /**
         * As {@link #register(String, Class, TypeFactory)}; the methods named in
         * {@code methodToTypeId} keep their result in the server as an object of the type
         * registered under the id given, and answer a proxy to it (Python's {@code method_to_typeid}).
         */
        public <T> Builder register(String typeId, Class<T> iface, TypeFactory<? extends T> factory,
                Map<String, String> methodToTypeId) {
            Objects.requireNonNull(typeId, "typeId");
            Objects.requireNonNull(factory, "factory");
            if (!iface.isInterface()) {
                throw new IllegalArgumentException(iface.getName() + " is not an interface: name the interface whose methods the proxy exposes");
            }
            for (String method : methodToTypeId.keySet()) {
                if (Arrays.stream(iface.getMethods()).noneMatch(m -> m.getName().equals(method))) {
                    throw new IllegalArgumentException(iface.getName() + " has no method '" + method + "'");
                }
            }
            registry.register(new TypeRegistry.Registration(typeId, iface, factory, Map.copyOf(methodToTypeId)));
            return this;
        }

        /** Starts the manager's server in a new daemon child process, as {@link Manager#start()} does. */
        public Manager start() {
            return Manager.start(registry.copy());
        }

        /** Serves the manager in this process until a client shuts it down, as {@link Manager#serve} does. */
        public void serve(SocketAddress address, byte[] authkey) throws IOException {
            ManagerServer.serve(Objects.requireNonNull(address, "address"), Objects.requireNonNull(authkey, "authkey"),
                    registry.copy());
        }
    }

    @Override
    public String toString() {
        return "Manager[" + connection.address() + (server != null ? ", " + server : ", connected")
                + (closed.get() ? ", shut down" : "") + "]";
    }
}
