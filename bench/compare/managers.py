"""CPython's side of ManagerBenchmark: a SyncManager's proxies, each call a round trip to its
server. Appends to a list from a child process (per second), d['k'] = i then d['k'] from here (time
of the pair), ints through a manager Queue from a child to here (per second), and a manager Lock
acquired and released by two processes at once (pairs per second, both counted). A helper process
does its work a batch at a time, started and awaited with two semaphores, as TwoProcessBatches does."""
import multiprocessing as mp
import time

BATCH = 2_000


def append(lst, count):
    for i in range(count):
        lst.append(i)


def put(queue, count):
    for i in range(count):
        queue.put(i)


def pairs(lock, count):
    acq, rel = lock.acquire, lock.release
    for _ in range(count):
        acq()
        rel()


def batch_helper(work, shared, go, done):
    while True:
        go.acquire()
        work(shared, BATCH)
        done.release()


class Helper:
    def __init__(self, ctx, work, shared):
        self.go, self.done = ctx.Semaphore(0), ctx.Semaphore(0)
        self.process = ctx.Process(target=batch_helper, args=(work, shared, self.go, self.done), daemon=True)
        self.process.start()

    def stop(self):
        self.process.kill()
        self.process.join()


def timed(batch_once, seconds=3.0, warmup=1.0):
    """Operations per second of repeated batches, after a warm-up."""
    began = time.perf_counter()
    while time.perf_counter() - began < warmup:
        batch_once()
    batches = 0
    began = time.perf_counter()
    while True:
        ops = batch_once()
        batches += ops
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return batches / elapsed


def list_append_child(ctx, m):
    lst = m.list()
    helper = Helper(ctx, append, lst)

    def once():
        helper.go.release()
        helper.done.acquire()
        del lst[:]
        return BATCH
    rate = timed(once)
    helper.stop()
    return rate


def dict_set_get(m, rounds=20_000):
    d = m.dict()
    for i in range(rounds // 10):
        d["k"] = i
        d["k"]
    began = time.perf_counter()
    for i in range(rounds):
        d["k"] = i
        d["k"]
    return (time.perf_counter() - began) / rounds


def queue_child_to_parent(ctx, m):
    queue = m.Queue()
    helper = Helper(ctx, put, queue)

    def once():
        helper.go.release()
        for _ in range(BATCH):
            queue.get()
        helper.done.acquire()
        return BATCH
    rate = timed(once)
    helper.stop()
    return rate


def lock_two_processes(ctx, m):
    lock = m.Lock()
    helper = Helper(ctx, pairs, lock)

    def once():
        helper.go.release()
        pairs(lock, BATCH)
        helper.done.acquire()
        return 2 * BATCH
    rate = timed(once)
    helper.stop()
    return rate


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    with ctx.Manager() as m:
        print(f"RESULT cpython.manager.list_append_child {list_append_child(ctx, m):.0f} ops/s", flush=True)
        print(f"RESULT cpython.manager.dict_set_get {dict_set_get(m) * 1e6:.2f} us/op", flush=True)
        print(f"RESULT cpython.manager.queue_child_to_parent {queue_child_to_parent(ctx, m):.0f} ops/s", flush=True)
        print(f"RESULT cpython.manager.lock_two_processes {lock_two_processes(ctx, m):.0f} ops/s", flush=True)
