"""CPython's side of QueueBenchmark: messages per second through a multiprocessing.Queue between
processes, one producer process to one consumer process and four to four, with small ints and with
1 KiB bytes objects. As QueuePipeline does, the main process only starts batches (each producer
puts its share of BATCH messages, each consumer gets its share) and waits until every consumer has
its share."""
import multiprocessing as mp
import time

BATCH = 20_000


def produce(queue, go, done, count, kib):
    item = bytes(1024)
    put = queue.put
    while True:
        go.acquire()
        if kib:
            for _ in range(count):
                put(item)
        else:
            for i in range(count):
                put(i)
        done.release()


def consume(queue, go, done, count):
    get = queue.get
    while True:
        go.acquire()
        for _ in range(count):
            get()
        done.release()


def rate(ctx, producers, consumers, kib, seconds=4.0):
    queue = ctx.Queue()
    done = ctx.Semaphore(0)
    # One start semaphore per worker: with a shared one, a quick worker could take a slow one's start.
    go = [ctx.Semaphore(0) for _ in range(producers + consumers)]
    workers = [ctx.Process(target=produce, args=(queue, go[w], done, BATCH // producers, kib), daemon=True)
               for w in range(producers)]
    workers += [ctx.Process(target=consume, args=(queue, go[producers + c], done, BATCH // consumers), daemon=True)
                for c in range(consumers)]
    for worker in workers:
        worker.start()

    def batch():
        for start in go:
            start.release()
        for _ in workers:
            done.acquire()

    batch()  # warm-up: every worker has started and run once
    batches = 0
    began = time.perf_counter()
    while True:
        batch()
        batches += 1
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            break
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join()
    return BATCH * batches / elapsed


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    for producers, consumers, name in ((1, 1, "one_to_one"), (4, 4, "four_to_four")):
        for kib, message in ((False, "int"), (True, "kib")):
            value = rate(ctx, producers, consumers, kib)
            print(f"RESULT cpython.queue.{name}.{message} {value:.0f} ops/s", flush=True)
