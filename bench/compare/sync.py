"""CPython's side of LockBenchmark and EventBenchmark: acquire/release pairs per second
(uncontended Lock, RLock, Semaphore; two processes each doing a batch of pairs on the same Lock at
the same time, counted together until both are done, as TwoProcessBatches does), and the round
trip of an Event ping-pong between two processes."""
import multiprocessing as mp
import time


def pairs_per_second(lock, seconds=2.0):
    acq, rel = lock.acquire, lock.release
    rounds = 0
    began = time.perf_counter()
    while True:
        for _ in range(10_000):
            acq()
            rel()
        rounds += 10_000
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return rounds / elapsed


BATCH = 100_000


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


def two_process_rate(ctx, work, shared, seconds=2.0):
    """Operations per second of two processes each doing a batch of `work` on `shared` at once."""
    go, done = ctx.Semaphore(0), ctx.Semaphore(0)
    helper = ctx.Process(target=batch_helper, args=(work, shared, go, done), daemon=True)
    helper.start()
    go.release()
    work(shared, BATCH)
    done.acquire()
    batches = 0
    began = time.perf_counter()
    while True:
        go.release()
        work(shared, BATCH)
        done.acquire()
        batches += 1
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            break
    helper.kill()
    helper.join()
    return 2 * BATCH * batches / elapsed


def answer(ping, pong):
    while True:
        ping.wait()
        ping.clear()
        pong.set()


def ping_pong_round_trip(ctx, rounds=20_000):
    ping, pong = ctx.Event(), ctx.Event()
    helper = ctx.Process(target=answer, args=(ping, pong), daemon=True)
    helper.start()
    for _ in range(rounds // 10):
        ping.set()
        pong.wait()
        pong.clear()
    began = time.perf_counter()
    for _ in range(rounds):
        ping.set()
        pong.wait()
        pong.clear()
    elapsed = time.perf_counter() - began
    helper.kill()
    helper.join()
    return elapsed / rounds


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    pairs_per_second(ctx.Lock(), 0.5)  # warm-up
    print(f"RESULT cpython.lock.uncontended {pairs_per_second(ctx.Lock()):.0f} ops/s", flush=True)
    print(f"RESULT cpython.rlock.uncontended {pairs_per_second(ctx.RLock()):.0f} ops/s", flush=True)
    print(f"RESULT cpython.semaphore.uncontended {pairs_per_second(ctx.Semaphore(1)):.0f} ops/s", flush=True)

    rate = two_process_rate(ctx, pairs, ctx.Lock())
    print(f"RESULT cpython.lock.contended {rate:.0f} ops/s", flush=True)

    print(f"RESULT cpython.event.ping_pong {ping_pong_round_trip(ctx) * 1e6:.2f} us/op", flush=True)
