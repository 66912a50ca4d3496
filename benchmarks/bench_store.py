"""The plan store's costs: opening (with migrations), durable writes, listings, file size.

Run: .venv/bin/python benchmarks/bench_store.py [--plan examples/quickstart.yaml] [--writes 200]
[--events 50]

The roster stored is a real one: the plan is run once (2 replications) and its PlanResult JSON is
what every write stores, so the sizes are those of a real roster. Every write is a full
``BEGIN IMMEDIATE`` ... ``COMMIT`` with ``synchronous=FULL`` (an fsync per commit), so the
latencies are the disk's as much as the code's; the figures printed are medians and 95th
percentiles on this machine, with its other load, and are not asserted anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from optimizer import pipeline
from optimizer.domain.types import RunOptions
from optimizer.rpc import convert, store_ops
from optimizer.rpc.planfile import load_plan_message
from optimizer.store import PlanStore

ROOT = Path(__file__).resolve().parent.parent


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {1000 * statistics.median(ordered):.2f} ms, p95 {1000 * p95:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default=str(ROOT / "examples" / "quickstart.yaml"))
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()

    message = load_plan_message(args.plan)
    outcome = pipeline.plan(
        convert.plan_from_pb(message), RunOptions(replications=2, time_limit_s=10)
    )
    result = convert.plan_result_to_pb(outcome)
    record = store_ops.roster_record(result, outcome)
    plan_json = store_ops.message_json(message)
    print(
        f"plan {args.plan}: plan JSON {len(plan_json) / 1024:.1f} KiB, roster result JSON "
        f"{len(record.result_json) / 1024:.1f} KiB ({outcome.roster.headcount} officers)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plans.db"
        started = time.perf_counter()
        store = PlanStore(path)
        print(f"create and migrate a new store: {1000 * (time.perf_counter() - started):.1f} ms")
        plan_writes: list[float] = []
        roster_writes: list[float] = []
        for i in range(args.writes):
            event = f"event-{i % args.events}"
            # A distinct version each time: the plan's name carries the write's number.
            text = plan_json.replace(message.name, f"{message.name} #{i}", 1)
            t0 = time.perf_counter()
            version, _ = store.add_plan(event, text, message.name)
            t1 = time.perf_counter()
            store.add_roster(event, version.version, record, publish=True)
            t2 = time.perf_counter()
            plan_writes.append(t1 - t0)
            roster_writes.append(t2 - t1)
        print(f"add a plan version ({args.writes} writes): {_ms(plan_writes)}")
        print(f"add and publish a roster ({args.writes} writes): {_ms(roster_writes)}")
        listings = []
        for _ in range(20):
            t0 = time.perf_counter()
            events = store.events()
            listings.append(time.perf_counter() - t0)
        print(f"list {len(events)} events with their states: {_ms(listings)}")
        reads = []
        for roster_id in range(1, args.writes + 1, max(1, args.writes // 50)):
            t0 = time.perf_counter()
            store_ops.result_message(store.roster(roster_id))
            reads.append(time.perf_counter() - t0)
        print(f"read a roster and parse its PlanResult: {_ms(reads)}")
        store.close()
        started = time.perf_counter()
        PlanStore(path).close()
        print(f"reopen the store: {1000 * (time.perf_counter() - started):.1f} ms")
        size = path.stat().st_size
        print(
            f"file size after {args.writes} rosters: {size / 2**20:.1f} MiB "
            f"({size / args.writes / 1024:.1f} KiB per plan version + roster)"
        )


if __name__ == "__main__":
    main()
