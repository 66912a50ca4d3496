"""Bounded load on the gRPC service over loopback: latency percentiles, errors by status code,
the server's memory before and after.

Run: .venv/bin/python benchmarks/bench_load.py [--clients N] [--requests M] [--max-solves K]
[--address HOST:PORT]

Without ``--address`` it starts ``optimizer serve`` in a child process (so the clients do not
share its interpreter) and reads the server's resident memory from /proc. Each client sends M
requests drawn from a fixed mix of sizes: Validate of the stadium plan, Simulate and Plan of the
quickstart (2 replications), a PlanStream of the quickstart, and Plan of the stadium (2
replications). A busy server answers RESOURCE_EXHAUSTED with a retry hint; clients count it and
go on (they do not retry), so the figures show shedding as well as latency. Meanwhile a probe
calls Health/Check every 50 ms, as a liveness probe would. Success means zero INTERNAL, UNKNOWN
and UNAVAILABLE, health answering throughout, and memory growth within the stated bound.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import grpc
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2, service_pb2_grpc

ROOT = Path(__file__).resolve().parent.parent
# Memory growth over the run that counts as bounded: CP-SAT and the simulation's caches settle
# after the first solves; growth beyond this after a warm-up would be a leak.
MEMORY_BOUND_MB = 150.0


def _plan(name: str) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((ROOT / "examples" / name).read_text("utf-8"))
    return loaded


def _requests() -> list[tuple[str, str, object]]:
    quick = plan_from_dict(_plan("quickstart.yaml"))
    stadium = plan_from_dict(_plan("stadium_match.yaml"))
    fast = result_pb2.RunOptions(replications=2, time_limit_s=10)
    return [
        ("Validate", "stadium", service_pb2.ValidateRequest(plan=stadium)),
        ("Validate", "quickstart", service_pb2.ValidateRequest(plan=quick)),
        ("Simulate", "quickstart", service_pb2.SimulateRequest(plan=quick, options=fast)),
        ("Plan", "quickstart", service_pb2.PlanRequest(plan=quick, options=fast)),
        ("PlanStream", "quickstart", service_pb2.PlanRequest(plan=quick, options=fast)),
        ("Plan", "stadium", service_pb2.PlanRequest(plan=stadium, options=fast)),
    ]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _client(
    address: str,
    requests: list[tuple[str, str, object]],
    count: int,
    seed: int,
    latencies: dict[str, list[float]],
    codes: collections.Counter[str],
    lock: threading.Lock,
) -> None:
    rng = random.Random(seed)
    with grpc.insecure_channel(
        address, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    ) as channel:
        stub = service_pb2_grpc.OptimizerServiceStub(channel)
        for _ in range(count):
            method, size, request = rng.choice(requests)
            start = time.perf_counter()
            try:
                if method == "PlanStream":
                    for _event in stub.PlanStream(request, timeout=120):
                        pass
                else:
                    getattr(stub, method)(request, timeout=120)
                code = "OK"
            except grpc.RpcError as error:
                code = error.code().name
            elapsed = time.perf_counter() - start
            with lock:
                codes[code] += 1
                if code == "OK":
                    latencies[f"{method} {size}"].append(elapsed)


def _probe(address: str, done: threading.Event, latencies: list[float]) -> None:
    with grpc.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        while not done.wait(0.05):
            start = time.perf_counter()
            try:
                health.Check(health_pb2.HealthCheckRequest(), timeout=1)
                latencies.append(time.perf_counter() - start)
            except grpc.RpcError:
                latencies.append(float("inf"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=10, help="per client")
    parser.add_argument("--max-solves", type=int, default=2)
    parser.add_argument("--address", help="an already running server (memory not measured)")
    args = parser.parse_args()

    server = None
    address = args.address
    if address is None:
        server = subprocess.Popen(
            [sys.executable, "-m", "optimizer.cli", "serve", "--address", "127.0.0.1:0"]
            + ["--max-solves", str(args.max_solves), "--log-format", "json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert server.stdout is not None
        found = re.search(r"on (127\.0\.0\.1:\d+)", server.stdout.readline())
        if not found:
            server.kill()
            raise SystemExit("the server did not start")
        address = found.group(1)
    try:
        requests = _requests()
        latencies: dict[str, list[float]] = collections.defaultdict(list)
        codes: collections.Counter[str] = collections.Counter()
        lock = threading.Lock()
        # Warm-up: one of each, so imports and first-solve allocations are not counted as growth.
        _client(address, requests[2:4], 2, 0, collections.defaultdict(list), codes.copy(), lock)
        before = _rss_mb(server.pid) if server else float("nan")
        threads = [
            threading.Thread(
                target=_client,
                args=(address, requests, args.requests, seed, latencies, codes, lock),
            )
            for seed in range(args.clients)
        ]
        health_latencies: list[float] = []
        done = threading.Event()
        probe = threading.Thread(target=_probe, args=(address, done, health_latencies))
        start = time.perf_counter()
        probe.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
        done.set()
        probe.join()
        after = _rss_mb(server.pid) if server else float("nan")
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)

    total = sum(codes.values())
    print(
        f"{args.clients} clients x {args.requests} requests = {total} calls in {wall:.1f} s "
        f"({total / wall:.1f}/s), max solves {args.max_solves}, {os.cpu_count()} cores"
    )
    print(f"{'request':<24}{'ok':>6}{'p50 ms':>10}{'p99 ms':>10}")
    for name in sorted(latencies):
        values = latencies[name]
        print(
            f"{name:<24}{len(values):>6}{1000 * _percentile(values, 0.5):>10.1f}"
            f"{1000 * _percentile(values, 0.99):>10.1f}"
        )
    print(
        f"{'Health/Check (probe)':<24}{len(health_latencies):>6}"
        f"{1000 * _percentile(health_latencies, 0.5):>10.1f}"
        f"{1000 * _percentile(health_latencies, 0.99):>10.1f}"
        f"   max {1000 * max(health_latencies, default=0.0):.1f} ms"
    )
    print("status codes: " + ", ".join(f"{code} {n}" for code, n in codes.most_common()))
    bad = sum(codes[c] for c in ("INTERNAL", "UNKNOWN", "UNAVAILABLE"))
    print(f"INTERNAL/UNKNOWN/UNAVAILABLE: {bad}")
    if server is not None:
        growth = after - before
        verdict = "within" if growth <= MEMORY_BOUND_MB else "BEYOND"
        print(
            f"server RSS {before:.0f} MB before, {after:.0f} MB after: {growth:+.0f} MB "
            f"({verdict} the {MEMORY_BOUND_MB:.0f} MB bound)"
        )
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
