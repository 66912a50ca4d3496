"""The post assignment with and without its look-ahead (the exact repair of ``assign.py``).

Run: ``python benchmarks/bench_lookahead.py [--case festival|marathon|stadium|all]
[--min-stint MIN] [--time-limit S] [--workers N]`` (default: every case, 2 workers).

Each case is solved once; the duties of the first shift model are then placed on posts again,
by the slot-by-slot flow alone and with the repair, and for each the officer-slots the post rules
leave short (what ``solve_roster`` would add officers or re-solve for) and the time are printed.
``--min-stint`` overrides the plan's minimum stint (30 shows what a 30-minute stint costs).
Targets: the festival's duties placed with nothing short; the marathon (no gap) no slower.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

from optimizer.domain.types import EventPlan, Requirement, RunOptions
from optimizer.pipeline import simulate
from optimizer.roster import solve as solve_module
from optimizer.roster.assign import Assignment, assign_posts
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = {
    "festival": EXAMPLES / "music_festival.yaml",
    "marathon": EXAMPLES / "marathon.yaml",
    "stadium": EXAMPLES / "stadium_match.yaml",
}
LIMITS_S = {"festival": 60.0, "marathon": 60.0, "stadium": 30.0}


def _plan(name: str, min_stint: int | None) -> EventPlan:
    plan = plan_from_pb(load_plan_message(CASES[name]))
    if min_stint is not None:
        plan = dataclasses.replace(
            plan, labour=dataclasses.replace(plan.labour, min_stint_min=min_stint)
        )
    return plan


def _short(requirements: Sequence[Requirement], result: Assignment) -> int:
    return sum(
        max(0, need - result.staffed[r.post_id][s])
        for r in requirements
        for s, need in enumerate(r.officers)
    )


def run(name: str, min_stint: int | None, time_limit_s: float, workers: int) -> None:
    plan = _plan(name, min_stint)
    requirements = simulate(plan, RunOptions(seed=0, workers=1)).requirements
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def recording(*args: Any, **kwargs: Any) -> Assignment:
        calls.append((args, kwargs))
        return assign_posts(*args, **kwargs)

    with mock.patch.object(solve_module, "assign_posts", recording):
        roster = solve_module.solve_roster(
            plan, requirements, RunOptions(seed=0, time_limit_s=time_limit_s, workers=workers)
        )
    stint = plan.labour.min_stint_min
    print(f"== {name}: minimum stint {stint} min, {len(requirements)} posts")
    print(
        f"   roster: headcount {roster.headcount}, bound {roster.lower_bound}, "
        f"rules added {roster.rules_added_officers}, re-solves {roster.rules_resolves}, "
        f"{roster.status.name}"
    )
    if not calls:
        return
    args, kwargs = calls[0]
    print(f"   first model's duties: {len(args[0])}")
    for repair in (False, True):
        t0 = time.perf_counter()
        result = assign_posts(*args, **{**kwargs, "repair": repair})
        elapsed = time.perf_counter() - t0
        label = "flow + repair" if repair else "flow alone   "
        print(
            f"   {label}: {_short(requirements, result)} officer-slots short, "
            f"{result.rotations} rotations, {elapsed:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--min-stint", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for name in CASES if args.case == "all" else [args.case]:
        limit = args.time_limit if args.time_limit is not None else LIMITS_S[name]
        run(name, args.min_stint, limit, args.workers)


if __name__ == "__main__":
    main()
