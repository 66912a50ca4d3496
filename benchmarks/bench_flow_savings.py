"""Officers saved by following the flow: one roster for all posts vs each post rostered alone.

Run: ``python benchmarks/bench_flow_savings.py [--case quickstart|stadium|marathon|all]
[--time-limit S] [--workers N]``.

"Following the flow" is the roster engine as it is: an officer's shift may move between posts
of the types the officer may fill (the same officer screens at a gate at 17:00 and holds an
inner-ring post at 19:30). "Each post on its own" rosters every post separately with the same
labour rules and pool but no substitution, and adds the headcounts up: what a planner gets when
each post commander rosters their own post. Requirements come from the simulation (seed 0,
10 replications) or, for the marathon, from the plan.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from optimizer.domain.types import EventPlan, Requirement, RunOptions
from optimizer.risk import assess
from optimizer.roster import solve_roster
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message
from optimizer.staffing.given import given_requirements
from optimizer.staffing.requirements import derive_requirements

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = {
    "quickstart": "quickstart.yaml",
    "stadium": "stadium_match.yaml",
    "marathon": "marathon.yaml",
}


def load(name: str) -> tuple[EventPlan, tuple[Requirement, ...]]:
    plan = plan_from_pb(load_plan_message(EXAMPLES / CASES[name]))
    given = given_requirements(plan)
    if len(given) == len(plan.posts):
        return plan, given
    requirements, _ = derive_requirements(plan, assess(plan.risk).targets, 10, 0)
    return plan, requirements


def each_post_alone(
    plan: EventPlan, requirements: tuple[Requirement, ...], options: RunOptions
) -> tuple[int, int, int, int]:
    """Summed headcount, paid minutes, posts not proven optimal and officers the post rules
    added (a post on its own rotates only by standing officers down), one roster per post."""
    alone = dataclasses.replace(
        plan,
        pool=dataclasses.replace(
            plan.pool, types=tuple(dataclasses.replace(t, can_cover=()) for t in plan.pool.types)
        ),
    )
    headcount = minutes = unproven = added = 0
    for req in requirements:
        if not any(req.officers):
            continue
        post = next(p for p in plan.posts if p.id == req.post_id)
        roster = solve_roster(dataclasses.replace(alone, posts=(post,)), [req], options)
        headcount += roster.headcount
        minutes += roster.officer_minutes
        unproven += roster.headcount != roster.lower_bound
        added += roster.rules_added_officers
    return headcount, minutes, unproven, added


def run(name: str, time_limit_s: float, workers: int) -> None:
    plan, requirements = load(name)
    options = RunOptions(seed=0, time_limit_s=time_limit_s, workers=workers)
    t0 = time.perf_counter()
    flow = solve_roster(plan, requirements, options)
    flow_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    per_post = RunOptions(seed=0, time_limit_s=min(time_limit_s, 10.0), workers=1)
    alone, alone_minutes, unproven, alone_added = each_post_alone(plan, requirements, per_post)
    alone_s = time.perf_counter() - t0
    saved = alone - flow.headcount
    print(f"== {name}: {len(requirements)} posts, {plan.grid.n_slots} slots")
    print(
        f"   following the flow: {flow.headcount} officers (bound {flow.lower_bound},"
        f" {flow.status.value}), {flow.officer_minutes / 60:,.0f} paid hours, {flow_s:.1f} s;"
        f" post rules added {flow.rules_added_officers}"
    )
    print(
        f"   each post alone:    {alone} officers, {alone_minutes / 60:,.0f} paid hours,"
        f" {alone_s:.1f} s ({unproven} posts not proven optimal); post rules added {alone_added}"
    )
    print(
        f"   saved: {saved} officers ({100 * saved / alone:.1f} %),"
        f" {(alone_minutes - flow.officer_minutes) / 60:,.0f} paid hours"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for name in CASES if args.case == "all" else [args.case]:
        run(name, args.time_limit, args.workers)


if __name__ == "__main__":
    main()
