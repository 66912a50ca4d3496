"""pyworkforce's ``MinRequiredResources`` and the roster engine on the same one-day demand curves.

Run: ``python benchmarks/bench_pyworkforce.py [--time-limit S] [--workers N]``.

pyworkforce is a yardstick, not a dependency of the project: install it into the environment that
runs this script only, ``.venv/bin/pip install pyworkforce`` (measured with 0.5.1 on OR-Tools 9.15).
The script says so and exits with status 2 when it is missing.

The curves are those of the shared research note PEERS.md, section (b): 96 periods of 15 minutes,
a base of 8 officers all day plus two Gaussian waves (the ``-evt`` variants without the base);
shifts of 4, 6 or 8 hours starting on any hour and ending by midnight (57 shifts, its
``nowrap57``; its ``wrap72`` folds shifts past midnight onto the same morning, which an engine
on absolute time does not do). The note gives each curve's peaks, their times and its
demand-hours but not the wave widths, so both waves get one width, fitted here until the
demand-hours match; the printed peaks and demand-hours show how close the curves come.

Rows per curve: pyworkforce with unit cost (fewest officers, its ``MinReq``), with cost
1000 + paid hours (its lexicographic workaround) and the roster engine (headcount, then
officer-hours, one officer type, no breaks, no rotation limit), once on pyworkforce's problem
(one shift per officer: the rest between duties is a whole day) and once with the engine's
default 11 h rest, under which one officer may work an early and a late shift and the headcount
counts people (for information: a different problem, so no verdict). ``LBpk`` is the peak,
``LBst`` the largest total demand over periods pairwise at least 8 h apart (no shift covers two
of them). The engine must reach pyworkforce's proven headcount and use fewer paid hours than its
``MinReq``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
    SolveStatus,
    Supply,
    TimeGrid,
    Zone,
    ZoneId,
)
from optimizer.roster import check_roster, solve_roster

PERIOD_MIN = 15
PERIODS = 96
LENGTHS_H = (4, 6, 8)
BASE = 8
OFFICER = OfficerTypeId("officer")


@dataclass(frozen=True)
class Curve:
    """Two waves on a base: (peak officers, at minute) each, and the note's demand-hours."""

    name: str
    first: tuple[int, int]
    second: tuple[int, int]
    demand_hours: float
    base: int = BASE


# PEERS.md (b): peaks and their times, demand-hours. The -evt variants have no base of 8.
CURVES = (
    Curve("stadium", (118, 18 * 60 + 15), (98, 22 * 60 + 15), 514.75),
    Curve("marathon", (118, 7 * 60 + 45), (98, 12 * 60 + 30), 645.75),
    Curve("festival", (119, 13 * 60 + 45), (108, 23 * 60), 595.25),
)


def _demand(curve: Curve, sigma_min: float, base: int) -> list[int]:
    out = []
    for p in range(PERIODS):
        t = p * PERIOD_MIN
        value = float(base)
        for peak, at in (curve.first, curve.second):
            value += (peak - curve.base) * math.exp(-(((t - at) / sigma_min) ** 2) / 2)
        out.append(round(value))
    return out


def demand_of(curve: Curve) -> tuple[list[int], list[int]]:
    """The curve with and without its base, the wave width fitted to the demand-hours."""
    lo, hi = 5.0, 400.0
    for _ in range(60):  # bisection: demand-hours grow with the width
        mid = (lo + hi) / 2
        if sum(_demand(curve, mid, curve.base)) / 4 < curve.demand_hours:
            lo = mid
        else:
            hi = mid
    sigma = (lo + hi) / 2
    return _demand(curve, sigma, curve.base), _demand(curve, sigma, 0)


def shifts() -> dict[str, tuple[int, int]]:
    """Name -> (first period, periods) of every shift ending by midnight (57)."""
    found = {}
    for start_h in range(24):
        for length_h in LENGTHS_H:
            if start_h + length_h <= 24:
                found[f"S{start_h:02d}_{length_h}h"] = (start_h * 4, length_h * 4)
    return found


def structural_bound(demand: Sequence[int], apart: int = 32) -> int:
    """Largest total demand over periods pairwise ``apart`` or more periods apart."""
    best = [0] * (len(demand) + 1)
    for i, d in enumerate(demand):
        best[i + 1] = max(best[i], d + best[max(0, i + 1 - apart)])
    return best[-1]


@dataclass(frozen=True)
class Row:
    model: str
    status: str
    headcount: int
    bound: int | None
    paid_hours: float
    over: int
    seconds: float


def _over(demand: Sequence[int], on_duty: Sequence[int]) -> int:
    return sum(max(0, c - d) for c, d in zip(on_duty, demand, strict=True))


def run_pyworkforce(demand: Sequence[int], lex: bool, time_limit_s: float) -> Row:
    from pyworkforce.scheduling import MinRequiredResources  # type: ignore[import-untyped]

    catalogue = shifts()
    coverage = {
        name: [1 if first <= p < first + n else 0 for p in range(PERIODS)]
        for name, (first, n) in catalogue.items()
    }
    cost = {name: 1000 + n // 4 for name, (_, n) in catalogue.items()} if lex else None
    scheduler = MinRequiredResources(
        num_days=1,
        periods=PERIODS,
        shifts_coverage=coverage,
        required_resources=[list(demand)],
        max_period_concurrency=10 * max(demand),
        max_shift_concurrency=max(demand),
        cost_dict=cost,
        max_search_time=float(time_limit_s),
    )
    started = time.perf_counter()
    solution: dict[str, Any] = scheduler.solve()
    seconds = time.perf_counter() - started
    counts = {r["shift"]: int(r["resources"]) for r in solution["resources_shifts"]}
    on_duty = [0] * PERIODS
    for name, n in counts.items():
        first, length = catalogue[name]
        for p in range(first, first + length):
            on_duty[p] += n
    return Row(
        "pyworkforce MinReq" + ("[cost=lex]" if lex else ""),
        str(solution["status"]),
        sum(counts.values()),
        None,
        sum(n * catalogue[name][1] / 4 for name, n in counts.items()),
        _over(demand, on_duty),
        seconds,
    )


DAY_MIN = 24 * 60
ONE_SHIFT = "roster engine (head, hours)"
PEOPLE = "roster engine, 11 h rest (people)"


def _plan(demand: Sequence[int], min_rest_min: int) -> tuple[EventPlan, list[Requirement]]:
    zone = Zone(ZoneId("route"), "route", Ring.OUTER, 1000.0)
    horizon = PERIODS * PERIOD_MIN
    plan = EventPlan(
        name="pyworkforce curve",
        grid=TimeGrid(PERIOD_MIN, horizon),
        zones=(zone,),
        gates=(),
        posts=(Post(PostId("post"), PostKind.FIXED, zone.id, OFFICER, 0, horizon),),
        crowd=CrowdForecast(attendance=0, arrival_waves=()),
        risk=Risk(level=RiskLevel.LOW),
        pool=OfficerPool(
            types=(OfficerType(OFFICER, "officer"),),
            supply=(Supply(OFFICER, 10 * max(demand), 0, horizon),),
        ),
        labour=LabourRules(
            min_shift_min=240,
            max_shift_min=480,
            shift_step_min=120,
            start_step_min=60,
            break_rules=(),
            min_rest_min=min_rest_min,
            # pyworkforce has no rotation rule: an officer may hold the one post a whole shift.
            max_continuous_post_min=DAY_MIN,
        ),
    )
    req = Requirement(PostId("post"), OFFICER, tuple(demand), ("curve",) * PERIODS)
    return plan, [req]


def run_engine(
    demand: Sequence[int], time_limit_s: float, workers: int, min_rest_min: int, model: str
) -> Row:
    plan, reqs = _plan(demand, min_rest_min)
    started = time.perf_counter()
    roster = solve_roster(plan, reqs, RunOptions(time_limit_s=time_limit_s, workers=workers))
    seconds = time.perf_counter() - started
    problems = check_roster(plan, reqs, roster)
    if problems:
        raise SystemExit(f"the independent checker rejected the roster: {problems[:3]}")
    on_duty = [0] * PERIODS
    for shift in roster.shifts:
        for p in range(shift.start_min // PERIOD_MIN, shift.end_min // PERIOD_MIN):
            on_duty[p] += 1
    proven = roster.status is SolveStatus.OPTIMAL and roster.lower_bound == roster.headcount
    return Row(
        model,
        "OPTIMAL" if proven else roster.status.name,
        roster.headcount,
        roster.lower_bound,
        roster.officer_minutes / 60,
        _over(demand, on_duty),
        seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per solve")
    parser.add_argument("--workers", type=int, default=2, help="the engine's CP-SAT workers")
    args = parser.parse_args()
    try:
        import pyworkforce  # type: ignore[import-untyped]
    except ImportError:
        print(
            "pyworkforce is not installed; it is a yardstick, not a project dependency:\n"
            "  .venv/bin/pip install pyworkforce",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    print(f"pyworkforce {getattr(pyworkforce, '__version__', '?')}; 57 shifts (4/6/8 h, hourly)")
    print(
        f"{'curve':<14} {'peaks':>8} {'dem h':>7} {'LBpk':>4} {'LBst':>4}  {'model':<31}"
        f" {'status':<8} {'head':>5} {'bound':>5} {'paid h':>7} {'over':>5} {'time s':>7}"
    )
    verdicts = []
    for curve in CURVES:
        full, event = demand_of(curve)
        for name, demand in ((curve.name, full), (f"{curve.name}-evt", event)):
            # Demand at the two wave times, to set beside the note's peaks.
            at = (curve.first[1] // PERIOD_MIN, curve.second[1] // PERIOD_MIN)
            peaks = f"{demand[at[0]]}/{demand[at[1]]}"
            head = (
                f"{name:<14} {peaks:>8} {sum(demand) / 4:>7.2f} {max(demand):>4}"
                f" {structural_bound(demand):>4}"
            )
            rows = [
                run_pyworkforce(demand, False, args.time_limit),
                run_pyworkforce(demand, True, args.time_limit),
                # pyworkforce's problem: one shift per officer (a rest of a whole day).
                run_engine(demand, args.time_limit, args.workers, DAY_MIN, ONE_SHIFT),
                # The engine's default: an officer may work two shifts 11 h apart.
                run_engine(demand, args.time_limit, args.workers, 660, PEOPLE),
            ]
            for row in rows:
                bound = "" if row.bound is None else str(row.bound)
                print(
                    f"{head}  {row.model:<31} {row.status:<8} {row.headcount:>5} {bound:>5}"
                    f" {row.paid_hours:>7.1f} {row.over:>5} {row.seconds:>7.2f}"
                )
                head = " " * len(head)
            pw, _, ours, _ = rows
            same = pw.status == "OPTIMAL" and ours.status == "OPTIMAL"
            same = same and ours.headcount == pw.headcount
            saved = pw.paid_hours - ours.paid_hours
            verdicts.append((name, same, saved))
    print()
    for name, same, saved in verdicts:
        print(
            f"{name:<14} same proven headcount: {'yes' if same else 'NO'};"
            f" paid hours vs MinReq: {-saved:+.1f} h"
        )
    ok = all(same and saved >= 0 for _, same, saved in verdicts)
    print(
        "all curves: same proven optimum, no more paid hours"
        if ok
        else "NOT every curve met the yardstick"
    )


if __name__ == "__main__":
    main()
