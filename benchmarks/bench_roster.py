"""Roster solve on the bundled examples and synthetic cases: model size, times, headcount, gap.

Run: ``python benchmarks/bench_roster.py [--case marathon|stadium-example|stadium|large|all]
[--time-limit S] [--workers N]`` (default: every case, 2 workers).

* ``marathon``: ``examples/marathon.yaml`` (requirements given in the plan; targets: a headcount
  gap of at most 1 % within 60 s on 2 workers);
* ``stadium-example``: ``examples/stadium_match.yaml``, requirements from the crowd simulation
  (seed 0, 10 replications; target: proven optimal within 5 s);
* ``stadium``, ``large``: synthetic curves generated from a seed (numpy).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optimizer.domain.types import (
    CrowdForecast,
    EventPlan,
    LabourRules,
    OfficerPool,
    OfficerType,
    OfficerTypeId,
    Post,
    PostId,
    PostKind,
    Requirement,
    Ring,
    Risk,
    RiskLevel,
    RunOptions,
    Supply,
    TimeGrid,
    Zone,
    ZoneId,
)
from optimizer.risk import assess
from optimizer.roster import ProgressEvent, RosterSolver, check_roster
from optimizer.roster.model import build_cover_model
from optimizer.roster.problem import build_problem
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message
from optimizer.staffing.given import given_requirements
from optimizer.staffing.requirements import derive_requirements

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

PO = OfficerTypeId("public_order")
SP = OfficerTypeId("special_police")
TR = OfficerTypeId("traffic")


@dataclass(frozen=True)
class Case:
    name: str
    n_posts: int
    hours: int
    peak: int
    seed: int


CASES = {
    "stadium": Case("stadium", n_posts=60, hours=8, peak=700, seed=1),
    "large": Case("large", n_posts=150, hours=16, peak=5000, seed=2),
}


def _bumps(rng: np.random.Generator, n_slots: int, count: int) -> np.ndarray:
    """A demand shape: a floor plus ``count`` Gaussian bumps (arrival, egress) at random times."""
    t = np.arange(n_slots)
    shape = np.full(n_slots, rng.uniform(0.1, 0.3))
    for _ in range(count):
        centre = rng.uniform(0.15, 0.9) * n_slots
        width = rng.uniform(0.04, 0.12) * n_slots
        shape += rng.uniform(0.5, 1.0) * np.exp(-0.5 * ((t - centre) / width) ** 2)
    # Posts open a little after the start and close a little before the end of the horizon.
    opens, closes = int(rng.integers(0, n_slots // 8)), n_slots - int(rng.integers(0, n_slots // 8))
    shape[:opens] = 0.0
    shape[closes:] = 0.0
    return shape


def build_case(case: Case) -> tuple[EventPlan, list[Requirement]]:
    """Posts split 60/25/15 % between public order, traffic and special police, scaled to peak."""
    rng = np.random.default_rng(case.seed)
    grid = TimeGrid(15, case.hours * 60)
    n = grid.n_slots
    kinds = [PO] * round(case.n_posts * 0.6) + [TR] * round(case.n_posts * 0.25)
    kinds += [SP] * (case.n_posts - len(kinds))
    shapes = np.array([_bumps(rng, n, 2 if k != SP else 1) for k in kinds])
    scale = case.peak / shapes.sum(axis=0).max()
    demand = np.ceil(shapes * scale * rng.uniform(0.8, 1.2, size=(len(kinds), 1))).astype(int)
    zone = Zone(ZoneId("bowl"), "bowl", Ring.CORE, 50_000.0)
    posts = tuple(
        Post(PostId(f"p{i:03d}"), PostKind.FIXED, zone.id, k, 0, grid.horizon_min)
        for i, k in enumerate(kinds)
    )
    requirements = [
        Requirement(p.id, p.officer_type, tuple(int(v) for v in row), ("synthetic",) * n)
        for p, row in zip(posts, demand, strict=True)
    ]
    supply = tuple(
        Supply(
            t,
            math.ceil(1.5 * int(demand[[k == t for k in kinds]].sum(axis=0).max())) + 10,
            0,
            grid.horizon_min,
        )
        for t in (PO, TR, SP)
    )
    pool = OfficerPool(
        types=(
            OfficerType(PO, "public order"),
            OfficerType(TR, "traffic"),
            OfficerType(SP, "special police", can_cover=(PO,)),
        ),
        supply=supply,
    )
    plan = EventPlan(
        case.name,
        grid,
        (zone,),
        (),
        posts,
        CrowdForecast(0, ()),
        Risk(RiskLevel.HIGH),
        pool,
        LabourRules(),
    )
    return plan, requirements


def marathon() -> tuple[EventPlan, list[Requirement]]:
    """The bundled marathon: every post's requirement is given in the plan."""
    plan = plan_from_pb(load_plan_message(EXAMPLES / "marathon.yaml"))
    return plan, list(given_requirements(plan))


def stadium_example() -> tuple[EventPlan, list[Requirement]]:
    """The bundled stadium match, with requirements from the crowd simulation (seed 0)."""
    plan = plan_from_pb(load_plan_message(EXAMPLES / "stadium_match.yaml"))
    requirements, _ = derive_requirements(plan, assess(plan.risk).targets, 10, 0)
    return plan, list(requirements)


EXAMPLE_CASES: dict[str, Callable[[], tuple[EventPlan, list[Requirement]]]] = {
    "marathon": marathon,
    "stadium-example": stadium_example,
}
DEFAULT_LIMITS_S = {"marathon": 60.0, "stadium-example": 5.0, "stadium": 10.0, "large": 60.0}


def run(
    name: str,
    plan: EventPlan,
    requirements: Sequence[Requirement],
    time_limit_s: float,
    workers: int,
) -> None:
    t0 = time.perf_counter()
    problem = build_problem(plan, requirements)
    cover = build_cover_model(problem.cover)
    build_s = time.perf_counter() - t0
    proto = cover.model.proto
    peak = max(sum(r.officers[s] for r in requirements) for s in range(plan.grid.n_slots))
    pool = sum(s.count for s in plan.pool.supply) + len(plan.pool.officers)
    print(
        f"== {name}: {len(requirements)} posts, {plan.grid.n_slots} slots of"
        f" {plan.grid.slot_min} min, peak {peak} officers, pool {pool}"
    )
    print(
        f"   templates {len(problem.templates.templates)}, columns {len(problem.cover.columns)}"
        f" (break step {problem.templates.break_step_min} min), model variables"
        f" {len(proto.variables)}, constraints {len(proto.constraints)}, build {build_s:.2f} s"
    )

    first: list[float] = []

    last: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if event.objective is not None and not first:
            first.append(event.elapsed_s)
        # Time of the last improving roster, whichever stage found it.
        if event.objective is not None and (not seen or seen[-1] != (event.stage, event.objective)):
            seen.append((event.stage, event.objective))
            last[:] = [event.elapsed_s]

    seen: list[tuple[str, int]] = []

    solver = RosterSolver(
        plan,
        requirements,
        RunOptions(seed=0, time_limit_s=time_limit_s, workers=workers),
        on_progress=progress,
    )
    t0 = time.perf_counter()
    roster = solver.solve()
    total_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    problems = check_roster(plan, requirements, roster)
    check_s = time.perf_counter() - t1
    stage_s = sum(s.wall_s for s in solver.staged.stages) if solver.staged else 0.0
    final_s = last[0] if last else float("nan")
    moves = sum(
        a.post_id != b.post_id
        for shift in roster.shifts
        for a, b in zip(shift.stints, shift.stints[1:], strict=False)
    )
    stages = ", ".join(
        f"{s.objective} {s.status} {s.value} (bound {s.bound}) {s.wall_s:.2f} s"
        for s in (solver.staged.stages if solver.staged else ())
    )
    print(
        f"   first solution {first[0] if first else float('nan'):.2f} s, final {final_s:.2f} s,"
        f" total {total_s:.2f} s"
        f" (limit {time_limit_s:g} s, workers {workers})"
    )
    print(f"   stages: {stages}; outside CP-SAT (model, posts) {total_s - stage_s:.2f} s")
    print(
        f"   status {roster.status.value}, headcount {roster.headcount}, bound"
        f" {roster.lower_bound}, gap {100 * roster.gap:.2f} %, paid hours"
        f" {roster.officer_minutes / 60:.0f} (bound {roster.officer_minutes_lower_bound / 60:.0f})"
    )
    print(
        "   by type: "
        + ", ".join(f"{t.officer_type} {t.headcount} (lb {t.lower_bound})" for t in roster.by_type)
    )
    print(f"   post moves {moves} over {roster.headcount} shifts")
    print(
        f"   post rules: {roster.rules_added_officers} officers added,"
        f" {roster.rules_resolves} re-solves, {roster.rotations} rotations,"
        f" {roster.travel_officer_min} officer-minutes walking"
    )
    print(
        f"   check_roster: {len(problems)} problems in {check_s:.2f} s"
        + (f"; first: {problems[0]}" if problems else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=[*EXAMPLE_CASES, *CASES, "all"], default="all")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds (default: 60 marathon, 5 stadium-example, 10 stadium, 60 large)",
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    names = [*EXAMPLE_CASES, *CASES] if args.case == "all" else [args.case]
    for name in names:
        limit = args.time_limit if args.time_limit is not None else DEFAULT_LIMITS_S[name]
        if name in EXAMPLE_CASES:
            plan, requirements = EXAMPLE_CASES[name]()
        else:
            plan, requirements = build_case(CASES[name])
        run(name, plan, requirements, limit, args.workers)


if __name__ == "__main__":
    main()
