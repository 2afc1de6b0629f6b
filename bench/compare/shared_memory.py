"""CPython's side of SharedValueBenchmark: increments under a Value's lock, and (for reference) the
same lock held while a helper process increments too; get and set of a Value's .value (which
takes its lock) and of a RawValue's; copies of 1 MiB into and out of a RawArray('i') through
memoryviews (a memcpy: Python's fastest way)."""
import array
import multiprocessing as mp
import time

COPY_INTS = (1 << 20) // 4


def rate(operation, seconds=2.0, batch=10_000):
    done = 0
    began = time.perf_counter()
    while True:
        operation(batch)
        done += batch
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return done / elapsed


def locked_increments(value):
    lock = value.get_lock()

    def run(n):
        for _ in range(n):
            with lock:
                value.value += 1
    return run


def increment_until_stopped(value, stop):
    run = locked_increments(value)
    while not stop.is_set():
        run(1000)


def time_per_op(operation, n=1_000_000):
    operation(n // 10)
    began = time.perf_counter()
    operation(n)
    return (time.perf_counter() - began) / n


def getter(v):
    def run(n):
        for _ in range(n):
            v.value
    return run


def setter(v):
    def run(n):
        for i in range(n):
            v.value = i
    return run


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    counter, stop = ctx.Value("i", 0), ctx.Event()
    helper = ctx.Process(target=increment_until_stopped, args=(counter, stop), daemon=True)
    helper.start()
    time.sleep(1.0)
    print(f"RESULT cpython.value.locked_increment_two_processes {rate(locked_increments(counter)):.0f} ops/s",
          flush=True)
    stop.set()
    helper.join()

    locked, raw = ctx.Value("i", 7), ctx.RawValue("i", 7)
    print(f"RESULT cpython.value.get {time_per_op(getter(locked)) * 1e9:.1f} ns/op", flush=True)
    print(f"RESULT cpython.value.set {time_per_op(setter(locked)) * 1e9:.1f} ns/op", flush=True)
    print(f"RESULT cpython.rawvalue.get {time_per_op(getter(raw)) * 1e9:.1f} ns/op", flush=True)

    shared = ctx.RawArray("i", COPY_INTS)
    local = array.array("i", range(COPY_INTS))
    shared_bytes, local_bytes = memoryview(shared).cast("B"), memoryview(local).cast("B")

    def copy_into(n):
        for _ in range(n):
            shared_bytes[:] = local_bytes

    def copy_out(n):
        for _ in range(n):
            local_bytes[:] = shared_bytes

    print(f"RESULT cpython.array.copy_into {rate(copy_into, batch=100):.1f} ops/s", flush=True)
    print(f"RESULT cpython.array.copy_out {rate(copy_out, batch=100):.1f} ops/s", flush=True)
