package io.multiprocessing4j.internal.manager;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.function.PoolCallable;
import io.multiprocessing4j.function.PoolFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manager's {@code Pool} (Python's {@code m.Pool(processes)}): a {@link Pool} whose workers are
 * children of the server. A task is submitted in one request, which answers a ticket, and its
 * outcome is fetched with {@code result}, which waits for it (see {@link Waits}); the server forgets the outcome once it
 * has been fetched. The pool is terminated when no proxy holds it any more.
 */
final class ServerPool implements ServerObject {
    private final Pool pool;
    private final Map<Long, AsyncResult<?>> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastTicket = new AtomicLong();

    ServerPool(int processes) {
        ServerProcess.allowChildren();
        this.pool = processes <= 0 ? new Pool() : new Pool(processes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "submit": return remember(pool.applyAsync((PoolCallable<Object>) args[0]));
            case "submitMap":
                int chunksize = (Integer) args[2];
                return remember(chunksize <= 0 // 0: as CPython computes it
                        ? pool.mapAsync((PoolFunction<Object, Object>) args[0], (List<Object>) args[1])
                        : pool.mapAsync((PoolFunction<Object, Object>) args[0], (List<Object>) args[1], chunksize));
            case "result": return result(Waits.deadlineOf(args), (Long) args[1], caller);
            case "processes": return pool.processes();
            case "terminate": pool.terminate(); return null;
            case "toString": return "Pool[processes=" + pool.processes() + ", pending=" + pending.size() + "]";
            default: throw SharedKind.unknown(operation);
        }
    }

    private long remember(AsyncResult<?> result) {
        long ticket = lastTicket.incrementAndGet();
        pending.put(ticket, result);
        return ticket;
    }

    private Object result(long deadline, long ticket, Caller caller) {
        AsyncResult<?> result = pending.get(ticket);
        if (result == null) {
            throw new IllegalStateException("no task " + ticket + " pending in the manager's pool (its result was taken)");
        }
        TaskOutcome outcome;
        try {
            long remaining = Waits.remaining(deadline);
            Object value;
            if (result.ready() || remaining == 0) {
                value = result.get(0, TimeUnit.NANOSECONDS);
            } else if (!caller.session().watchForCancel()) {
                return Pending.NOT_YET;
            } else {
                value = remaining < 0 ? result.get() : result.get(remaining, TimeUnit.NANOSECONDS);
            }
            outcome = new TaskOutcome(value, null);
        } catch (TimeoutException notYet) {
            return Pending.NOT_YET;
        } catch (ExecutionException failed) {
            outcome = new TaskOutcome(null, failed.getCause());
        } catch (InterruptedException cancelled) {
            return Pending.NOT_YET;
        }
        pending.remove(ticket);
        return outcome;
    }

    @Override
    public void freed() {
        Thread terminator = new Thread(pool::terminate, "manager-pool-terminate");
        terminator.setDaemon(true);
        terminator.start(); // it joins the workers: never under the table's lock
    }
}
