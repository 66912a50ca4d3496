"""Every bundled example through the whole pipeline, each roster through the independent checker.

Run: ``python benchmarks/bench_examples.py [NAME ...] [--time-limit S] [--workers N]``
(default: every ``examples/*.yaml``, 60 s, 2 workers, seed 0).

Prints, per example: the roster's status, officers and duties (they differ where officers work
several duties on a multi-day event), the proven bound and gap, the verification checks met, the
problems ``check_roster`` finds (post rules, rest, caps, availability, types, pool and cover,
recomputed from the shifts alone; 0 is the target), and the wall time of the run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from optimizer import pipeline
from optimizer.domain.types import RunOptions
from optimizer.roster import check_roster
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="example file stems (default: all)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    names = args.names or sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    print(
        f"{'example':<16} {'status':<10} {'officers':>8} {'duties':>7} {'bound':>6} {'gap':>6}"
        f" {'checks':>7} {'checker':>7} {'time s':>7}"
    )
    failed = 0
    for name in names:
        plan = plan_from_pb(load_plan_message(EXAMPLES / f"{name}.yaml"))
        options = RunOptions(seed=args.seed, workers=args.workers, time_limit_s=args.time_limit)
        started = time.perf_counter()
        outcome = pipeline.plan(plan, options)
        seconds = time.perf_counter() - started
        roster = outcome.roster
        problems = check_roster(plan, outcome.requirements, roster)
        failed += bool(problems)
        checks = outcome.verification
        met = sum(1 for c in checks if c.met)
        print(
            f"{name:<16} {roster.status.value:<10} {roster.headcount:>8,} {roster.duties:>7,}"
            f" {roster.lower_bound:>6,} {100 * roster.gap:>5.1f}% {met:>3}/{len(checks):<3}"
            f" {len(problems):>7} {seconds:>7.1f}"
        )
        for problem in problems[:5]:
            print(f"    {problem}")
    print(f"{len(names)} examples, {failed} with checker problems")


if __name__ == "__main__":
    main()
