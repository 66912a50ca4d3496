"""Roster solve on synthetic stadium and marathon-sized cases: model size, times, headcount, gap.

Run: ``python benchmarks/bench_roster.py [--case stadium|large|all] [--time-limit S]
[--workers N]``.
The cases are generated from a seed (numpy), so figures are comparable between runs.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass

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
from optimizer.roster import ProgressEvent, RosterSolver, check_roster
from optimizer.roster.model import build_cover_model
from optimizer.roster.problem import build_problem

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


def run(case: Case, time_limit_s: float, workers: int) -> None:
    plan, requirements = build_case(case)
    t0 = time.perf_counter()
    problem = build_problem(plan, requirements)
    cover = build_cover_model(problem.cover)
    build_s = time.perf_counter() - t0
    proto = cover.model.proto
    peak = max(sum(r.officers[s] for r in requirements) for s in range(plan.grid.n_slots))
    print(f"== {case.name}: {case.n_posts} posts, {plan.grid.n_slots} slots, peak {peak} officers")
    print(
        f"   templates {len(problem.templates.templates)}, columns {len(problem.cover.columns)}"
        f" (break step {problem.templates.break_step_min} min), model variables"
        f" {len(proto.variables)}, constraints {len(proto.constraints)}, build {build_s:.2f} s"
    )

    first: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if event.objective is not None and not first:
            first.append(event.elapsed_s)

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
        f"   first solution {first[0] if first else float('nan'):.2f} s, total {total_s:.2f} s"
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
        f"   check_roster: {len(problems)} problems in {check_s:.2f} s"
        + (f"; first: {problems[0]}" if problems else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds (default: 10 for stadium, 60 for large)",
    )
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    names = list(CASES) if args.case == "all" else [args.case]
    for name in names:
        limit = (
            args.time_limit
            if args.time_limit is not None
            else (10.0 if name == "stadium" else 60.0)
        )
        run(CASES[name], limit, args.workers)


if __name__ == "__main__":
    main()
