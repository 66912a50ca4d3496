"""The independent checker accepts a valid roster and catches each planted violation."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.domain.types import (
    EventPlan,
    Officer,
    OfficerType,
    Requirement,
    Roster,
    Shift,
    Shortfall,
    SolveStatus,
    Supply,
)
from optimizer.roster import check_roster, roster_totals

from .factories import PO, SP, make_plan, requirement, stint

TYPES = (OfficerType(PO, "public order"), OfficerType(SP, "special police", can_cover=(PO,)))
N = 32

# An 8 h shift has a 45-minute break; 240-285 touches slots 16-18, 300-345 slots 20-22.
PO_SHIFT = Shift("po-1", PO, 0, 480, 240, 285, (stint("gate", 0, 240), stint("gate", 285, 480)))
SP_SHIFT = Shift("sp-1", SP, 0, 480, 300, 345, (stint("rr", 0, 300), stint("rr", 345, 480)))


def _plan(
    supply: tuple[Supply, ...] = (Supply(PO, 1, 0, 480), Supply(SP, 1, 0, 480)),
    officers: tuple[Officer, ...] = (),
) -> EventPlan:
    return make_plan({"gate": PO, "rr": SP}, types=TYPES, supply=supply, officers=officers)


def _requirements() -> list[Requirement]:
    return [
        requirement("gate", PO, [0 if 16 <= s <= 18 else 1 for s in range(N)]),
        requirement("rr", SP, [0 if 20 <= s <= 22 else 1 for s in range(N)]),
    ]


def _check(*shifts: Shift, plan: EventPlan | None = None) -> list[str]:
    return check_roster(plan or _plan(), _requirements(), shifts)


def test_valid_roster_passes() -> None:
    assert _check(PO_SHIFT, SP_SHIFT) == []


def test_under_cover_is_caught() -> None:
    errors = _check(PO_SHIFT)
    assert errors and all("post rr" in e for e in errors)
    assert len(errors) == N - 3


def test_a_post_of_a_type_the_officer_may_not_fill_is_caught() -> None:
    wrong = dataclasses.replace(SP_SHIFT, officer_id="po-2", officer_type=PO)
    errors = _check(PO_SHIFT, wrong, plan=_plan(supply=(Supply(PO, 2, 0, 480),)))
    assert any("public_order officer may not fill a special_police post" in e for e in errors)


@pytest.mark.parametrize(
    ("break_start", "break_end", "message"),
    [
        (60, 105, "outside the allowed starts"),
        (240, 270, "30-minute break, 45 is due"),
        (245, 290, "outside the allowed starts"),
    ],
)
def test_bad_breaks_are_caught(break_start: int, break_end: int, message: str) -> None:
    stints = (stint("gate", 0, break_start), stint("gate", break_end, 480))
    shift = dataclasses.replace(
        PO_SHIFT, break_start_min=break_start, break_end_min=break_end, stints=stints
    )
    assert any(message in e for e in _check(shift, SP_SHIFT))


def test_overlapping_stints_are_caught() -> None:
    stints = (stint("gate", 0, 240), stint("gate", 200, 240), stint("gate", 285, 480))
    errors = _check(dataclasses.replace(PO_SHIFT, stints=stints), SP_SHIFT)
    assert any("overlaps another stint" in e for e in errors)


def test_a_stint_over_the_break_is_caught() -> None:
    stints = (stint("gate", 0, 250), stint("gate", 285, 480))
    errors = _check(dataclasses.replace(PO_SHIFT, stints=stints), SP_SHIFT)
    assert any("overlaps the break" in e for e in errors)


def test_a_stint_outside_its_shift_is_caught() -> None:
    shift = Shift("po-1", PO, 0, 240, 180, 210, (stint("gate", 0, 180), stint("gate", 210, 300)))
    assert any("outside the shift" in e for e in _check(shift, SP_SHIFT))


def test_shift_rules_are_checked() -> None:
    off_grid = Shift("po-1", PO, 5, 485, 245, 290, (stint("gate", 5, 245),))
    odd_length = Shift("po-1", PO, 0, 270, 180, 210, (stint("gate", 0, 180),))
    assert any("not a multiple of 15" in e for e in _check(off_grid, SP_SHIFT))
    assert any("leaves the horizon" in e for e in _check(off_grid, SP_SHIFT))
    assert any("length 270" in e for e in _check(odd_length, SP_SHIFT))


def test_one_officer_on_two_overlapping_duties_of_two_types_is_caught() -> None:
    twin = dataclasses.replace(SP_SHIFT, officer_id="po-1")
    errors = _check(PO_SHIFT, twin)
    assert any("overlaps duty" in e for e in errors)
    assert any("duties of several types" in e for e in errors)


def test_more_shifts_than_the_supply_is_caught() -> None:
    extra = dataclasses.replace(PO_SHIFT, officer_id="po-2")
    assert any("do not fit the supply" in e for e in _check(PO_SHIFT, extra, SP_SHIFT))


def test_named_officer_outside_availability_is_caught() -> None:
    plan = _plan(supply=(Supply(SP, 1, 0, 480),), officers=(Officer("po-1", PO, 60, 480),))
    assert any("outside availability" in e for e in _check(PO_SHIFT, SP_SHIFT, plan=plan))


def test_roster_totals_are_recomputed() -> None:
    shifts = (PO_SHIFT, SP_SHIFT)
    assert roster_totals(shifts) == (2, 960)
    roster = Roster(SolveStatus.OPTIMAL, shifts, 3, 2, 960, 900)
    errors = check_roster(_plan(), _requirements(), roster)
    assert errors == ["headcount 3, but 2 officers"]


def test_infeasible_roster_must_report_exactly_what_is_missing() -> None:
    honest = Roster(
        SolveStatus.INFEASIBLE,
        (PO_SHIFT,),
        1,
        2,
        480,
        900,
        (),
        (Shortfall(SP, 0, 300, 1), Shortfall(SP, 345, 480, 1)),
    )
    assert check_roster(_plan(), _requirements(), honest) == []
    silent = dataclasses.replace(honest, shortfalls=(Shortfall(SP, 0, 300, 1),))
    assert any("shortfalls report" in e for e in check_roster(_plan(), _requirements(), silent))
