"""CPython's side of LockBenchmark and EventBenchmark: acquire/release pairs per second
(uncontended Lock, RLock, Semaphore; a Lock hammered by a helper process at the same time, rate
measured in this process), and the round trip of an Event ping-pong between two processes."""
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


def hammer(lock, stop):
    acq, rel = lock.acquire, lock.release
    while not stop.is_set():
        for _ in range(1000):
            acq()
            rel()


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

    lock, stop = ctx.Lock(), ctx.Event()
    helper = ctx.Process(target=hammer, args=(lock, stop), daemon=True)
    helper.start()
    time.sleep(1.0)
    rate = pairs_per_second(lock)
    stop.set()
    helper.join()
    print(f"RESULT cpython.lock.contended {rate:.0f} ops/s", flush=True)

    print(f"RESULT cpython.event.ping_pong {ping_pong_round_trip(ctx) * 1e6:.2f} us/op", flush=True)
