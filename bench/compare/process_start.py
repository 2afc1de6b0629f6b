"""CPython's side of ProcessStartBenchmark and WarmStartBenchmark: start→join of an empty target, and
start→target running (the child tells the parent through a one-way pipe), under the fork, spawn and
forkserver start methods."""
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
