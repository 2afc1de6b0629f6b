"""CPython's side of SharedValueBenchmark: increments under a Value's lock by two processes, each
doing a batch at the same time, counted together until both are done (as TwoProcessBatches does);
get and set of a Value's .value (which takes its lock) and of a RawValue's; copies of 1 MiB into
and out of a RawArray('i') through memoryviews (a memcpy: Python's fastest way)."""
from sync import two_process_rate
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


def locked_increments(value, count):
    lock = value.get_lock()
    for _ in range(count):
        with lock:
            value.value += 1


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
    rate_of_two = two_process_rate(ctx, locked_increments, ctx.Value("i", 0))
    print(f"RESULT cpython.value.locked_increment_two_processes {rate_of_two:.0f} ops/s", flush=True)

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
