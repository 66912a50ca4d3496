"""Objective order: substitution as the last tie-break, or right after headcount on request."""

from __future__ import annotations

import dataclasses

from optimizer.domain.types import (
    EventPlan,
    LabourRules,
    ObjectiveTerm,
    OfficerType,
    Requirement,
    RunOptions,
    SolveStatus,
    Supply,
)
from optimizer.roster import RosterSolver, check_roster

from .factories import PO, SP, flat, make_plan, requirement

OPTIONS = RunOptions(time_limit_s=10.0)
TYPES = (OfficerType(PO, "public order"), OfficerType(SP, "special police", can_cover=(PO,)))
# Hourly slots, shifts of 2 to 6 h on the hour, no breaks: small enough to reason about.
HOURLY = LabourRules(
    min_shift_min=120, max_shift_min=360, shift_step_min=60, start_step_min=60, break_rules=()
)


def test_special_police_stay_in_reserve_when_public_order_do_as_well() -> None:
    plan = make_plan(
        {"gate": PO}, types=TYPES, supply=(Supply(PO, 5, 0, 480), Supply(SP, 5, 0, 480))
    )
    reqs = [requirement("gate", PO, flat(32, 2, 4, 20))]
    solver = RosterSolver(plan, reqs, OPTIONS)
    roster = solver.solve()
    assert roster.status is SolveStatus.OPTIMAL
    assert {s.officer_type for s in roster.shifts} == {PO}
    assert solver.staged is not None
    assert [s.objective for s in solver.staged.stages] == [
        "headcount",
        "officer_hours",
        "substitution",
    ]
    assert solver.staged.stages[-1].value == 0


def _hours_or_reserve() -> tuple[EventPlan, list[Requirement]]:
    """Five officers either way; more special police standing in saves two paid hours.

    Found by a search over random hourly curves: special-police shifts that fill the gaps of
    their own post at the gate replace longer public-order shifts.
    """
    plan = make_plan(
        {"gate": PO, "rr": SP},
        slot_min=60,
        types=TYPES,
        labour=HOURLY,
        supply=(Supply(PO, 6, 0, 480), Supply(SP, 4, 0, 480)),
    )
    reqs = [
        requirement("gate", PO, [2, 0, 2, 1, 0, 2, 2, 2]),
        requirement("rr", SP, [0, 1, 0, 1, 0, 0, 1, 0]),
    ]
    return plan, reqs


def _stages(plan: EventPlan, reqs: list[Requirement]) -> dict[str, tuple[int | None, str]]:
    solver = RosterSolver(plan, reqs, OPTIONS)
    roster = solver.solve()
    assert check_roster(plan, reqs, roster) == []
    assert solver.staged is not None
    return {s.objective: (s.value, s.status) for s in solver.staged.stages}


def test_by_default_substitutes_are_used_to_save_officer_hours() -> None:
    plan, reqs = _hours_or_reserve()
    assert _stages(plan, reqs) == {
        "headcount": (5, "OPTIMAL"),
        "officer_hours": (900, "OPTIMAL"),
        "substitution": (3, "OPTIMAL"),
    }


def test_substitutes_in_reserve_trades_officer_hours_for_reserve() -> None:
    plan, reqs = _hours_or_reserve()
    reserve = dataclasses.replace(plan, substitutes_in_reserve=True)
    stages = _stages(reserve, reqs)
    assert list(stages) == ["headcount", "substitution", "officer_hours"]
    assert stages["headcount"] == (5, "OPTIMAL")
    # One special-police hour fewer at the gate costs two public-order hours more.
    assert stages["substitution"] == (2, "OPTIMAL")
    assert stages["officer_hours"] == (1020, "OPTIMAL")


def test_over_cover_is_a_stage_when_listed() -> None:
    plan = make_plan(
        {"gate": PO},
        types=TYPES,
        supply=(Supply(PO, 5, 0, 480),),
        objective=(ObjectiveTerm.HEADCOUNT, ObjectiveTerm.OVER_COVER, ObjectiveTerm.POST_CHANGES),
    )
    reqs = [requirement("gate", PO, flat(32, 2, 4, 20))]
    solver = RosterSolver(plan, reqs, OPTIONS)
    roster = solver.solve()
    assert roster.status is SolveStatus.OPTIMAL
    assert solver.staged is not None
    stages = {s.objective: s for s in solver.staged.stages}
    # Nobody can stand in for anybody here, so there is no substitution stage.
    assert list(stages) == ["headcount", "over_cover"]
    assert stages["over_cover"].value == stages["over_cover"].bound
    assert check_roster(plan, reqs, roster) == []
