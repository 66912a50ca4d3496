"""The whole pipeline on the bundled examples: stage timings, headcount, bound, gap, targets.

Run: .venv/bin/python benchmarks/bench_pipeline.py [PLAN ...] [--replications N] [--workers N]
Target (issue 2): the stadium example planned within 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from optimizer import pipeline
from optimizer.domain.types import RunOptions
from optimizer.roster import check_roster
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "plans", nargs="*", default=[str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    )
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for path in args.plans:
        plan = plan_from_pb(load_plan_message(path))
        options = RunOptions(args.seed, args.replications, args.time_limit, args.workers)
        start = time.perf_counter()
        outcome = pipeline.plan(plan, options)
        wall = time.perf_counter() - start
        roster = outcome.roster
        problems = check_roster(plan, outcome.requirements, roster.shifts)
        met = sum(c.met for c in outcome.verification)
        print(f"== {Path(path).name}: {len(plan.posts)} posts, {plan.grid.n_slots} slots")
        print(
            f"   wall {wall:.2f} s  ("
            + ", ".join(f"{name} {sec:.2f}" for name, sec in outcome.timings)
            + ")"
        )
        print(
            f"   {roster.status.name} headcount {roster.headcount} bound {roster.lower_bound} "
            f"gap {roster.gap:.2%} officer-hours {roster.officer_minutes / 60:.1f} "
            f"(bound {roster.officer_minutes_lower_bound / 60:.1f})"
        )
        print(
            f"   independent check: {'pass' if not problems else f'{len(problems)} problems'}; "
            f"targets met {met}/{len(outcome.verification)}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
