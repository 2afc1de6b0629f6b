"""CPython's side of ClusterPoolBenchmark: multiprocessing.Pool(2), the workloads of pool.py that
the cluster pool is measured on (map default chunksize and chunksize 1, apply_async round
trip, cube over range(10000)), printed under cpython.cluster.* so that they appear beside the
local Pool(2) and the 2-member cluster in one run."""
import multiprocessing as mp

from pool import CUBES, MANY, SOME, cube, increment, mean_rate, mean_time, timed

if __name__ == "__main__":
    many = list(range(MANY))
    some = list(range(SOME))
    cubes = list(range(CUBES))
    with mp.Pool(2) as pool:
        rate = mean_rate(lambda: pool.map(increment, many), MANY, 3.0)
        print(f"RESULT cpython.cluster.map_default {rate:.1f} ops/s", flush=True)
        rate = mean_rate(lambda: pool.map(increment, some, chunksize=1), SOME, 3.0)
        print(f"RESULT cpython.cluster.map_chunksize1 {rate:.1f} ops/s", flush=True)
        seconds = mean_time(lambda: pool.apply_async(increment, (1,)).get(), 3.0)
        print(f"RESULT cpython.cluster.apply_async_round_trip {seconds * 1e6:.3f} us/op", flush=True)
        seconds = min(timed(lambda: pool.map(cube, cubes)) for _ in range(2))
        print(f"RESULT cpython.cluster.cube_pool {seconds * 1e3:.3f} ms/op", flush=True)
