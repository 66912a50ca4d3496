"""Posts per slot: coverage first, then officers stay put, then surplus goes where it helps."""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.domain.types import OfficerTypeId, PostId, Shortfall, Stint, TimeGrid
from optimizer.roster.assign import Duty, assign_posts, name_duties, shortfalls
from optimizer.roster.model import Column
from optimizer.roster.templates import OfficerGroup, Template, TemplateSet, covered_slots

from .factories import PO, SP, requirement

GRID = TimeGrid(15, 240)
COVERS: dict[OfficerTypeId, tuple[OfficerTypeId, ...]] = {PO: (PO,), SP: (SP, PO)}


def _template(start: int, end: int, break_start: int | None = None, break_min: int = 0) -> Template:
    b_start = start if break_start is None else break_start
    slots = covered_slots(start, end, b_start, b_start + break_min, GRID)
    return Template(start, end - start, b_start, b_start + break_min, slots)


def _duty(officer_id: str, officer_type: OfficerTypeId, template: Template) -> Duty:
    return Duty(officer_id, officer_type, template, 0)


def _posts_of(stints: Sequence[Stint]) -> list[str]:
    return [s.post_id for s in stints]


def test_officers_stay_at_their_post_when_nothing_forces_a_move() -> None:
    reqs = [requirement("a", PO, [1] * 16), requirement("b", PO, [1] * 16)]
    duties = [_duty(f"o{i}", PO, _template(0, 240)) for i in range(2)]
    result = assign_posts(duties, reqs, COVERS, GRID)
    assert [_posts_of(s.stints) for s in result.shifts] == [["a"], ["b"]]


def test_officer_follows_the_demand_and_stints_merge_slots() -> None:
    reqs = [requirement("a", PO, [1] * 4 + [0] * 12), requirement("b", PO, [0] * 4 + [1] * 12)]
    result = assign_posts([_duty("o", PO, _template(0, 240))], reqs, COVERS, GRID)
    (shift,) = result.shifts
    assert [(s.post_id, s.start_min, s.end_min) for s in shift.stints] == [
        ("a", 0, 60),
        ("b", 60, 240),
    ]


def test_surplus_officers_join_the_busiest_open_post() -> None:
    reqs = [requirement("quiet", PO, [1] * 16), requirement("busy", PO, [2] * 16)]
    duties = [_duty(f"o{i}", PO, _template(0, 240)) for i in range(4)]
    result = assign_posts(duties, reqs, COVERS, GRID)
    assert result.staffed == {"quiet": (1,) * 16, "busy": (3,) * 16}


def test_substitutes_fill_other_posts_only_when_needed() -> None:
    reqs = [requirement("gate", PO, [1] * 16), requirement("rr", SP, [1] * 16)]
    duties = [_duty("sp", SP, _template(0, 240)), _duty("po", PO, _template(0, 240))]
    result = assign_posts(duties, reqs, COVERS, GRID)
    assert {s.officer_id: _posts_of(s.stints) for s in result.shifts} == {
        "sp": ["rr"],
        "po": ["gate"],
    }


def test_stints_stop_at_the_break_and_resume_when_it_ends() -> None:
    """A 35-minute break from 120 ends mid-slot: the officer is back at the post at 155."""
    reqs = [requirement("a", PO, [1] * 16)]
    result = assign_posts([_duty("o", PO, _template(0, 240, 120, 35))], reqs, COVERS, GRID)
    (shift,) = result.shifts
    assert [(s.post_id, s.start_min, s.end_min) for s in shift.stints] == [
        ("a", 0, 120),
        ("a", 155, 240),
    ]
    assert result.staffed[PostId("a")] == (1,) * 8 + (0,) * 3 + (1,) * 5


def test_uncoverable_demand_becomes_shortfall_runs() -> None:
    reqs = [requirement("a", PO, [2] * 4 + [1] * 4 + [0] * 8)]
    result = assign_posts([_duty("o", PO, _template(0, 120))], reqs, COVERS, GRID)
    assert shortfalls(reqs, result.staffed, GRID) == (Shortfall(PO, 0, 60, 1),)


def test_ids_are_named_first_then_numbered_by_type_start_and_length() -> None:
    early, late, long = _template(60, 180), _template(120, 240), _template(0, 240)
    groups = (
        OfficerGroup(PO, 0, 240, ("zoe",), 2),
        OfficerGroup(SP, 0, 240, (), 1),
    )
    templates = TemplateSet(groups, (early, late, long), ((0, 1, 2), (2,)), 15)
    columns = [Column(0, 0, early.slots, 120, 0), Column(0, 0, late.slots, 120, 1)]
    columns += [Column(0, 0, long.slots, 240, 2), Column(1, 1, long.slots, 240, 2)]
    duties = name_duties(templates, columns, [1, 1, 1, 1])
    assert [(d.officer_id, d.template.start_min) for d in duties] == [
        ("zoe", 0),
        ("public_order-0001", 60),
        ("public_order-0002", 120),
        ("special_police-0001", 0),
    ]
