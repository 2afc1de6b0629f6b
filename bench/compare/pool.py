"""CPython's side of PoolBenchmark: multiprocessing.Pool(2).

map of a trivial function over 200,000 items (default chunksize) and 20,000 items (chunksize 1),
an apply_async().get() round trip, the walkthrough's cube over range(10000) in the pool and
serially, a pool's start-up and shutdown (Pool(2), one apply, close, join), and the time from
killing the busy worker of a Pool(1) to a new task's result (an idle worker killed in CPython
takes the task queue's lock with it, and the pool hangs for good), under the fork (3.11's default on Linux)
and spawn start methods.
"""
import multiprocessing as mp
import os
import signal
import time

MANY = 200_000
SOME = 20_000
CUBES = 10_000


def increment(x):
    return x + 1


def cube(number):
    total = 0
    for i in range(number):
        total += i * i * i
    return total


def mean_rate(operation, items, seconds):
    """Items per second over about `seconds` of repeated runs, after one warm-up run: the same
    statistic as JMH's throughput mode (all items over all the time)."""
    operation()
    count = 0
    began = time.perf_counter()
    while True:
        operation()
        count += 1
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return count * items / elapsed


def timed(operation):
    began = time.perf_counter()
    operation()
    return time.perf_counter() - began


def mean_time(operation, seconds):
    operation()
    count = 0
    began = time.perf_counter()
    while True:
        operation()
        count += 1
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return elapsed / count


def sleep_forever():
    time.sleep(3600)


def recover_from_crash(pool):
    """Kill the worker of a Pool(1) while it runs a task; time until a new task completes on its
    replacement. (The killed task's result never comes: CPython's pool loses it.)"""
    pool.apply_async(sleep_forever)
    time.sleep(0.2)  # it has started
    worker = pool._pool[0]
    began = time.perf_counter()
    os.kill(worker.pid, signal.SIGKILL)
    pool.apply(increment, (0,))
    return time.perf_counter() - began


def start_and_shutdown(ctx):
    pool = ctx.Pool(2)
    pool.apply(increment, (0,))
    pool.close()
    pool.join()


if __name__ == "__main__":
    many = list(range(MANY))
    some = list(range(SOME))
    cubes = list(range(CUBES))
    with mp.Pool(2) as pool:
        rate = mean_rate(lambda: pool.map(increment, many), MANY, 3.0)
        print(f"RESULT cpython.pool.map_default {rate:.1f} ops/s", flush=True)
        rate = mean_rate(lambda: pool.map(increment, some, chunksize=1), SOME, 3.0)
        print(f"RESULT cpython.pool.map_chunksize1 {rate:.1f} ops/s", flush=True)
        seconds = mean_time(lambda: pool.apply_async(increment, (1,)).get(), 3.0)
        print(f"RESULT cpython.pool.apply_async_round_trip {seconds * 1e6:.3f} us/op", flush=True)
        seconds = min(timed(lambda: pool.map(cube, cubes)) for _ in range(2))
        print(f"RESULT cpython.pool.cube_pool {seconds * 1e3:.3f} ms/op", flush=True)
    seconds = timed(lambda: [cube(n) for n in cubes])
    print(f"RESULT cpython.pool.cube_serial {seconds * 1e3:.3f} ms/op", flush=True)
    for method in ("fork", "spawn"):
        with mp.get_context(method).Pool(1) as pool:
            pool.apply(increment, (0,))
            samples = []
            for _ in range(10):
                pool.apply(increment, (0,))  # the replacement serves before the next kill
                samples.append(recover_from_crash(pool))
            print(f"RESULT cpython.pool.{method}.recover_from_crash {sum(samples) / len(samples) * 1e3:.3f} ms/op",
                  flush=True)
    for method in ("fork", "spawn"):
        ctx = mp.get_context(method)
        seconds = mean_time(lambda: start_and_shutdown(ctx), 5.0)
        print(f"RESULT cpython.pool.{method}.start_and_shutdown {seconds * 1e3:.3f} ms/op", flush=True)
