"""solve_roster end to end on small plans: substitution, windows, shortfalls, determinism, stop."""

from __future__ import annotations

import threading

import pytest

from optimizer.domain.types import (
    EventPlan,
    ObjectiveTerm,
    Officer,
    OfficerType,
    Requirement,
    RunOptions,
    Shortfall,
    SolveStatus,
    Supply,
)
from optimizer.errors import InvalidInput
from optimizer.roster import ProgressEvent, RosterSolver, check_roster, solve_roster

from .factories import PO, SP, TR, flat, make_plan, requirement

OPTIONS = RunOptions(time_limit_s=10.0)
TYPES = (
    OfficerType(PO, "public order"),
    OfficerType(SP, "special police", can_cover=(PO,)),
    OfficerType(TR, "traffic"),
)
N = 32  # 15-minute slots over the default 8 h horizon


def _stadium() -> tuple[EventPlan, list[Requirement]]:
    """Three types, five posts, demand with an arrival and an egress peak."""
    plan = make_plan(
        {"g1": PO, "g2": PO, "inner": PO, "rr": SP, "road": TR},
        types=TYPES,
        supply=(Supply(PO, 40, 0, 480), Supply(SP, 10, 0, 480), Supply(TR, 10, 0, 480)),
    )
    arrival = [0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2] + [1] * 12 + [2, 3, 4, 3, 2, 1, 0, 0]
    reqs = [
        requirement("g1", PO, arrival),
        requirement("g2", PO, [max(0, n - 1) for n in arrival]),
        requirement("inner", PO, flat(N, 2, 4, 28)),
        requirement("rr", SP, flat(N, 1, 2, 30)),
        requirement("road", TR, [2 if s < 10 or s > 24 else 0 for s in range(N)]),
    ]
    return plan, reqs


def test_stadium_roster_is_optimal_and_valid() -> None:
    plan, reqs = _stadium()
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.OPTIMAL
    assert check_roster(plan, reqs, roster) == []
    assert roster.lower_bound == roster.headcount
    assert roster.officer_minutes_lower_bound <= roster.officer_minutes
    peak = max(sum(r.officers[s] for r in reqs) for s in range(N))
    assert roster.headcount >= peak
    assert {t.officer_type: t.available for t in roster.by_type} == {PO: 40, SP: 10, TR: 10}


def test_special_police_may_fill_public_order_posts() -> None:
    plan = make_plan({"gate": PO}, types=TYPES, supply=(Supply(SP, 5, 0, 480),))
    reqs = [requirement("gate", PO, flat(N, 2, 4, 20))]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.OPTIMAL
    assert {s.officer_type for s in roster.shifts} == {SP}
    assert check_roster(plan, reqs, roster) == []


def test_public_order_may_not_fill_special_police_posts() -> None:
    plan = make_plan({"rr": SP}, types=TYPES, supply=(Supply(PO, 5, 0, 480),))
    reqs = [requirement("rr", SP, flat(N, 1, 8, 16))]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.INFEASIBLE
    assert roster.shifts == ()
    assert roster.shortfalls == (Shortfall(SP, 120, 240, 1),)


def test_short_pool_reports_the_missing_type_and_time() -> None:
    """Two officers for three posts 1:00-3:00: one public-order officer short, nothing else."""
    plan = make_plan(
        {"a": PO, "b": PO, "c": PO, "road": TR},
        types=TYPES,
        supply=(Supply(PO, 2, 0, 480), Supply(TR, 3, 0, 480)),
    )
    reqs = [requirement(p, PO, flat(N, 1, 4, 12)) for p in ("a", "b", "c")]
    reqs.append(requirement("road", TR, flat(N, 1, 0, 16)))
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.INFEASIBLE
    assert roster.shortfalls == (Shortfall(PO, 60, 180, 1),)
    assert {s.officer_type for s in roster.shifts} == {PO, TR}
    assert check_roster(plan, reqs, roster) == []


def test_named_officers_work_inside_their_windows() -> None:
    officers = (
        Officer("early-1", PO, 0, 300),
        Officer("early-2", PO, 0, 300),
        Officer("late-1", PO, 180, 480),
        Officer("late-2", PO, 180, 480),
    )
    plan = make_plan({"gate": PO}, types=TYPES, officers=officers)
    reqs = [requirement("gate", PO, flat(N, 1))]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.OPTIMAL
    assert check_roster(plan, reqs, roster) == []
    windows = {o.id: (o.available_start_min, o.available_end_min) for o in officers}
    for shift in roster.shifts:
        start, end = windows[shift.officer_id]
        assert start <= shift.start_min and shift.end_min <= end


def test_a_window_too_narrow_for_any_shift_leaves_a_shortfall() -> None:
    plan = make_plan({"gate": PO}, types=TYPES, supply=(Supply(PO, 9, 0, 200),))
    roster = solve_roster(plan, [requirement("gate", PO, flat(N, 1, 0, 8))], OPTIONS)
    assert roster.status is SolveStatus.INFEASIBLE
    assert roster.shortfalls == (Shortfall(PO, 0, 120, 1),)


@pytest.mark.parametrize("workers", [1, 2])
def test_same_inputs_and_seed_give_the_same_roster(workers: int) -> None:
    plan, reqs = _stadium()
    options = RunOptions(seed=7, time_limit_s=10.0, workers=workers)
    first = solve_roster(plan, reqs, options)
    second = solve_roster(plan, reqs, options)
    assert first.shifts == second.shifts
    assert first == second


def test_officer_hours_first_never_pays_more_minutes() -> None:
    plan, reqs = _stadium()
    by_hours = make_plan(
        {p.id: p.officer_type for p in plan.posts},
        types=TYPES,
        supply=plan.pool.supply,
        objective=(ObjectiveTerm.OFFICER_HOURS, ObjectiveTerm.HEADCOUNT),
    )
    headcount_first = solve_roster(plan, reqs, OPTIONS)
    hours_first = solve_roster(by_hours, reqs, OPTIONS)
    assert hours_first.officer_minutes <= headcount_first.officer_minutes
    assert hours_first.headcount >= headcount_first.headcount
    assert check_roster(by_hours, reqs, hours_first) == []


def test_progress_reports_incumbents_and_bounds() -> None:
    plan, reqs = _stadium()
    events: list[ProgressEvent] = []
    roster = solve_roster(plan, reqs, OPTIONS, on_progress=events.append)
    stages = [e.stage for e in events]
    assert stages[0] == "headcount" and "officer_hours" in stages
    headcount_events = [e for e in events if e.stage == "headcount" and e.objective is not None]
    assert headcount_events[-1].objective == roster.headcount
    assert all(e.bound <= roster.headcount for e in headcount_events)
    assert all(a.elapsed_s <= b.elapsed_s for a, b in zip(events, events[1:], strict=False))


def test_stop_before_solving_returns_unknown_at_once() -> None:
    plan, reqs = _stadium()
    stop = threading.Event()
    stop.set()
    roster = solve_roster(plan, reqs, OPTIONS, stop_event=stop)
    assert roster.status is SolveStatus.UNKNOWN
    assert roster.shifts == ()


def test_stop_after_the_first_roster_keeps_it() -> None:
    plan, reqs = _stadium()
    solver: RosterSolver

    def stop_on_first(event: ProgressEvent) -> None:
        if event.objective is not None:
            solver.stop()

    solver = RosterSolver(plan, reqs, OPTIONS, on_progress=stop_on_first)
    roster = solver.solve()
    assert roster.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert roster.shifts
    assert check_roster(plan, reqs, roster) == []
    assert solver.staged is not None and len(solver.staged.stages) == 1


def test_no_demand_needs_no_officers() -> None:
    plan = make_plan({"gate": PO}, types=TYPES, supply=(Supply(PO, 3, 0, 480),))
    roster = solve_roster(plan, [requirement("gate", PO, [0] * N)], OPTIONS)
    assert roster.status is SolveStatus.OPTIMAL
    assert roster.headcount == roster.lower_bound == 0


def test_requirement_not_matching_the_grid_is_rejected() -> None:
    plan = make_plan({"gate": PO}, types=TYPES, supply=(Supply(PO, 3, 0, 480),))
    with pytest.raises(InvalidInput) as info:
        solve_roster(plan, [requirement("gate", PO, [1] * (N - 1))], OPTIONS)
    assert info.value.violations[0].field == "requirements[0].officers"


def test_cheap_bounds_per_type() -> None:
    """Traffic posts bind traffic officers; public-order posts bind public order as far as the
    10 special police, less those their own posts need, cannot take them over."""
    plan, reqs = _stadium()
    roster = solve_roster(plan, reqs, OPTIONS)
    bounds = {t.officer_type: t.lower_bound for t in roster.by_type}
    assert bounds[TR] == 2
    assert bounds[SP] == 1
    public = [sum(r.officers[s] for r in reqs if r.officer_type == PO) for s in range(N)]
    special = [sum(r.officers[s] for r in reqs if r.officer_type == SP) for s in range(N)]
    assert bounds[PO] == max(public[s] - (10 - special[s]) for s in range(N))
    assert bounds[PO] > 0
    for row in roster.by_type:
        assert row.headcount >= row.lower_bound


def test_a_failing_progress_handler_stops_the_solve_and_raises() -> None:
    plan, reqs = _stadium()
    stop = threading.Event()

    def broken(event: ProgressEvent) -> None:
        raise RuntimeError("handler bug")

    with pytest.raises(RuntimeError, match="handler bug"):
        solve_roster(plan, reqs, OPTIONS, on_progress=broken, stop_event=stop)
    assert not stop.is_set()
