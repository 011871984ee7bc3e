"""Benchmark: a first sync (90 days of account data + daily analytics for 500 Pins) against the local fake
Pinterest adding 50 ms to every answer. Prints figures; asserts nothing about time.

    .venv/bin/python tests/perf/bench_sync.py [--runs 3] [--pins 500] [--latency 0.05] [--concurrency 4]

Figures:
* requests: what one sync sends (pin_metrics gives every Pin's 90-day counters in the list pages, so only
  the top N Pins cost one request each);
* floor: ceil(requests / concurrency) x latency, the least time those requests can take;
* the fake server runs in its own process (its JSON work must not compete with the client's);
* baseline: the same number of bare requests through the same client and thread pool (HTTP and server
  overhead without the sync's planning, converting and storing), measured in this run;
* ratio = median sync wall time / floor (the issue asks for at most 1.25), and / baseline.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

from pinviewer.core.api.client import PinterestClient  # noqa: E402
from pinviewer.core.api.sync import sync  # noqa: E402
from pinviewer.core.store import Store  # noqa: E402


SERVER = """
import json, sys
from fake_pinterest import FakePinterest
server = FakePinterest(n_pins=int(sys.argv[1]), inactive_every=0, latency=float(sys.argv[2]), lifetime=3600,
                       max_requests=10**6)
server.cache_answers = True
print(json.dumps({"base_url": server.base_url, "token": server.token}), flush=True)
sys.stdin.read()  # until the benchmark closes our standard input
server.close()
"""


class Server:
    """The fake Pinterest in its own process, so its work does not share the client's interpreter lock:
    like the real API, it costs the client nothing but the wait."""

    def __init__(self, pins: int, latency: float) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(pins), str(latency)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        info = json.loads(self.process.stdout.readline())
        self.base_url, self.token = info["base_url"], info["token"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(10)


def one_sync(server: Server, pins: int, concurrency: int, folder: Path) -> tuple[float, int, float]:
    client = PinterestClient(server.token, base_url=server.base_url, max_in_flight=concurrency, timeout=30)
    with Store.open(folder / "bench.sqlite") as store:
        import_time = [0.0]
        original = store.import_batch

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                import_time[0] += time.perf_counter() - started

        store.import_batch = timed
        started = time.perf_counter()
        result = sync(store, client, top_n=pins)
        wall = time.perf_counter() - started
    assert result.pins_daily == pins and result.account_days == 90, result.sentence()
    return wall, result.requests, import_time[0]


def baseline(server: Server, requests: int, concurrency: int) -> float:
    client = PinterestClient(server.token, base_url=server.base_url, max_in_flight=concurrency, timeout=30)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda _: client.get("/user_account"), range(requests)))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pins", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    walls, imports, requests = [], [], 0
    with Server(args.pins, args.latency) as server, \
            tempfile.TemporaryDirectory() as tmp:
        os.environ["PINVIEWER_HOME"] = tmp
        for run in range(args.runs + 1):  # run 0 warms up (imports, the fake's answer cache)
            folder = Path(tmp, f"run{run}")
            folder.mkdir()
            wall, requests, import_time = one_sync(server, args.pins, args.concurrency, folder)
            print(f"run {run}{' (warm-up)' if run == 0 else ''}: {wall:.2f} s, {requests} requests, "
                  f"storing {import_time:.2f} s", flush=True)
            if run:
                walls.append(wall)
                imports.append(import_time)
        base = statistics.median(baseline(server, requests, args.concurrency) for _ in range(args.runs))
    floor = math.ceil(requests / args.concurrency) * args.latency
    median = statistics.median(walls)
    print(f"requests per sync: {requests} (1 account check + 1 analytics window + 3 top lists + "
          f"{math.ceil(args.pins / 250)} Pin pages + 1 board page + {args.pins} Pins)")
    print(f"median wall time: {median:.2f} s (storing {statistics.median(imports):.2f} s of it)")
    print(f"floor ceil({requests}/{args.concurrency}) x {args.latency * 1000:.0f} ms: {floor:.2f} s")
    print(f"bare requests baseline: {base:.2f} s")
    print(f"ratio to floor: {median / floor:.3f}  (target at most 1.25)")
    fetching = statistics.median(w - i for w, i in zip(walls, imports))
    print(f"ratio to floor without the store's import_batch: {fetching / floor:.3f}")
    print(f"ratio to baseline: {median / base:.3f}")


if __name__ == "__main__":
    main()
