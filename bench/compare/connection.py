"""CPython's side of ConnectionBenchmark: multiprocessing.Pipe() (a socketpair) to a child process.

Round trips through an echoing child: a small object (an int, a short str, the list
["Hello", "World", None]) with send/recv, and 64 bytes with send_bytes/recv_bytes; one-way
throughput of 1 MiB byte messages from a child sending as fast as it can.
"""
import multiprocessing as mp
import time

ROUND_SECONDS = 3.0
PAYLOADS = {"int": 42, "string": "hello world", "list": ["Hello", "World", None]}


def echo_objects(conn):
    try:
        while True:
            conn.send(conn.recv())
    except EOFError:
        pass


def echo_bytes(conn):
    try:
        while True:
            conn.send_bytes(conn.recv_bytes())
    except EOFError:
        pass


def send_forever(conn):
    message = b"\x07" * (1 << 20)
    try:
        while True:
            conn.send_bytes(message)
    except (BrokenPipeError, ConnectionResetError):
        pass


def with_child(target, measure):
    parent, child = mp.Pipe()
    process = mp.Process(target=target, args=(child,), daemon=True)
    process.start()
    child.close()
    try:
        return measure(parent)
    finally:
        parent.close()
        process.join(10)
        if process.is_alive():
            process.kill()


def per_op(operation, seconds=ROUND_SECONDS):
    """Mean seconds per call, over about `seconds` after a warm-up of a tenth of that."""
    deadline = time.perf_counter() + seconds / 10
    while time.perf_counter() < deadline:
        operation()
    count = 0
    began = time.perf_counter()
    deadline = began + seconds
    while True:
        for _ in range(100):
            operation()
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            return (now - began) / count


def main():
    for name, payload in PAYLOADS.items():
        def round_trip(conn, payload=payload):
            return per_op(lambda: (conn.send(payload), conn.recv()))
        seconds = with_child(echo_objects, round_trip)
        print(f"RESULT cpython.roundtrip.{name} {seconds * 1e6:.3f} us/op", flush=True)

    message = b"\x00" * 64
    seconds = with_child(echo_bytes, lambda conn: per_op(lambda: (conn.send_bytes(message), conn.recv_bytes())))
    print(f"RESULT cpython.roundtrip.bytes64 {seconds * 1e6:.3f} us/op", flush=True)

    seconds = with_child(send_forever, lambda conn: per_op(conn.recv_bytes, seconds=5.0))
    print(f"RESULT cpython.oneway_1mib {1 / seconds:.1f} ops/s", flush=True)


if __name__ == "__main__":
    main()
