"""Named officers with hours already worked and a maximum: shifts never go over what is left."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from optimizer.domain.types import (
    LabourRules,
    Officer,
    OfficerType,
    RunOptions,
    Shift,
    SolveStatus,
    Stint,
)
from optimizer.errors import InvalidInput
from optimizer.roster import check_roster, solve_roster
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import plan_from_dict

from .factories import PO, ROUTE, flat, make_plan, requirement

OPTIONS = RunOptions(time_limit_s=10.0)
# A 40 h week; shifts of 4 to 8 h, with the default breaks (30 min from 4 h, 45 min at 8 h).
WEEK = LabourRules(max_shift_min=480, max_work_min=40 * 60)
N = 32


def test_an_officer_near_the_weekly_maximum_gets_a_short_shift_or_none() -> None:
    officers = (
        # 2 h 30 left: less than any shift's working time, so none.
        Officer("tired", PO, 0, 0, worked_min=40 * 60 - 150),
        # 5 h left: at most a 5 h shift (4 h 30 working).
        Officer("busy", PO, 0, 0, worked_min=35 * 60),
        Officer("fresh-1", PO, 0, 0),
        Officer("fresh-2", PO, 0, 0),
    )
    plan = make_plan(
        {"gate": PO}, types=(OfficerType(PO, "public order"),), officers=officers, labour=WEEK
    )
    reqs = [requirement("gate", PO, flat(N, 2))]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.OPTIMAL
    assert check_roster(plan, reqs, roster) == []
    by_id = {s.officer_id: s for s in roster.shifts}
    assert "tired" not in by_id
    if "busy" in by_id:
        assert by_id["busy"].working_min <= 5 * 60


def test_officers_with_no_hours_left_leave_a_shortfall_not_an_error() -> None:
    officers = (Officer("done", PO, 0, 0, worked_min=40 * 60),)
    plan = make_plan(
        {"gate": PO}, types=(OfficerType(PO, "public order"),), officers=officers, labour=WEEK
    )
    reqs = [requirement("gate", PO, flat(N, 1, 0, 16))]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.INFEASIBLE
    assert roster.shifts == ()
    assert check_roster(plan, reqs, roster) == []


def test_an_officer_cap_overrides_the_labour_cap() -> None:
    officer = Officer("part-time", PO, 0, 0, worked_min=600, max_work_min=20 * 60)
    plan = make_plan(
        {"gate": PO}, types=(OfficerType(PO, "public order"),), officers=(officer,), labour=WEEK
    )
    assert plan.labour.work_left(officer) == 600
    assert dataclasses.replace(plan.labour, max_work_min=0).work_left(officer) == 600
    assert LabourRules().work_left(Officer("x", PO, 0, 0, worked_min=10**5)) is None


def test_checker_flags_a_shift_beyond_the_hours_left() -> None:
    officers = (Officer("busy", PO, 0, 0, worked_min=37 * 60),)
    plan = make_plan(
        {"gate": PO}, types=(OfficerType(PO, "public order"),), officers=officers, labour=WEEK
    )
    # 6 h with a 35-minute break: 5 h 25 working, 3 h left.
    shift = Shift("busy", PO, 0, 360, 180, 215, (Stint("gate", 0, 180), Stint("gate", 215, 360)))
    reqs = [requirement("gate", PO, [0] * N)]
    problems = check_roster(plan, reqs, [shift])
    assert problems == [
        "shift busy: 325 working minutes, but only 180 left under the maximum (2220 already worked)"
    ]


def test_hours_worked_and_caps_are_read_and_validated() -> None:
    document = copy.deepcopy(ROUTE)
    document["labour"] = {"max_work_min": 2400}
    document["pool"]["officers"] = [
        {"id": "a", "officer_type": "public_order", "worked_min": 2000},
        {"id": "b", "officer_type": "public_order", "worked_min": -5, "max_work_min": 600},
    ]
    with pytest.raises(InvalidInput) as raised:
        plan_from_pb(plan_from_dict(document))
    assert [v.field for v in raised.value.violations] == ["pool.officers[1].worked_min"]
    document["pool"]["officers"][1]["worked_min"] = 100
    plan = plan_from_pb(plan_from_dict(document))
    assert [plan.labour.work_left(o) for o in plan.pool.officers] == [400, 500]
