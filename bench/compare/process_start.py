"""CPython's side of ProcessStartBenchmark: start→join of an empty target, start→target running (the
child tells the parent through a one-way pipe), 16 start→joins back to back (the mean of one), and Pool(2) start, one apply, close, join,
under the fork, spawn and forkserver start methods."""
import multiprocessing as mp
import time

ROUNDS = {"fork": 200, "spawn": 40, "forkserver": 100}


def nothing():
    pass


def tell_running(connection):
    connection.send_bytes(b"r")
    time.sleep(3600)


def start_join(ctx):
    began = time.perf_counter()
    p = ctx.Process(target=nothing)
    p.start()
    p.join()
    return time.perf_counter() - began


def start_to_running(ctx):
    reader, writer = ctx.Pipe(duplex=False)
    began = time.perf_counter()
    p = ctx.Process(target=tell_running, args=(writer,), daemon=True)
    p.start()
    reader.recv_bytes()
    elapsed = time.perf_counter() - began
    p.kill()
    p.join()
    reader.close()
    writer.close()
    return elapsed


BURST = 16


def burst(ctx):
    began = time.perf_counter()
    for _ in range(BURST):
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
    return (time.perf_counter() - began) / BURST


def increment(x):
    return x + 1


def pool_of_2(ctx):
    began = time.perf_counter()
    pool = ctx.Pool(2)
    pool.apply(increment, (0,))
    pool.close()
    pool.join()
    return time.perf_counter() - began


def mean_of(measure, ctx, rounds):
    for _ in range(max(3, rounds // 10)):
        measure(ctx)
    samples = [measure(ctx) for _ in range(rounds)]
    return sum(samples) / len(samples)


if __name__ == "__main__":
    for method, rounds in ROUNDS.items():
        ctx = mp.get_context(method)
        print(f"RESULT cpython.{method}.start_join {mean_of(start_join, ctx, rounds) * 1e3:.3f} ms/op", flush=True)
        print(f"RESULT cpython.{method}.start_to_running {mean_of(start_to_running, ctx, rounds) * 1e3:.3f} ms/op",
              flush=True)
        print(f"RESULT cpython.{method}.pool2_start_task_shutdown {mean_of(pool_of_2, ctx, max(3, rounds // 4)) * 1e3:.3f}"
              " ms/op", flush=True)
        print(f"RESULT cpython.{method}.burst16 {mean_of(burst, ctx, max(3, rounds // 16)) * 1e3:.3f} ms/op",
              flush=True)
