"""The post assignment looks ahead: where the slot-by-slot flow leaves posts short under the post
rules, the exact repair of ``optimizer.roster.assign`` places the same duties so that they cover
all that any rule-abiding placement of them can.

Checked against an exhaustive search on tiny one- and two-post cases: every way each officer can
spend their shift (a post or nothing per slot) is enumerated, kept when the independent checker
(``optimizer.roster.check``) finds no broken post rule in it, and the most officer-slots any
combination covers is compared with what the assignment covers.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.domain.types import (
    EventPlan,
    LabourRules,
    OfficerTypeId,
    Post,
    PostId,
    PostKind,
    Requirement,
    Ring,
    RunOptions,
    Shift,
    SolveStatus,
    Stint,
    Supply,
    Zone,
    ZoneId,
    ZoneTravel,
)
from optimizer.roster import check_roster, solve_roster
from optimizer.roster import solve as solve_module
from optimizer.roster.assign import Assignment, Duty, assign_posts
from optimizer.roster.rules import post_rules
from optimizer.roster.templates import Template, shift_templates

from .factories import PO, make_plan, requirement

OPTIONS = RunOptions(time_limit_s=10.0)
COVERS: dict[OfficerTypeId, tuple[OfficerTypeId, ...]] = {PO: (PO,)}
NORTH, SOUTH = ZoneId("north"), ZoneId("south")
# 1 h to 2 h 30 shifts starting on the hour, no break, 30-minute slots; at most an hour at a
# fixed post.
TINY = LabourRules(
    min_shift_min=60,
    max_shift_min=150,
    shift_step_min=30,
    start_step_min=60,
    break_rules=(),
    max_continuous_post_min=60,
    min_stint_min=0,
)


def _plan(
    kinds: dict[str, PostKind],
    labour: LabourRules = TINY,
    zones: dict[str, ZoneId] | None = None,
    horizon_min: int = 150,
    pool: int = 10,
) -> EventPlan:
    plan = make_plan(
        dict.fromkeys(kinds, PO),
        labour=labour,
        post_rules=True,
        supply=(Supply(PO, pool, 0, horizon_min),),
        slot_min=30,
        horizon_min=horizon_min,
    )
    posts = tuple(
        Post(PostId(name), kind, (zones or {}).get(name, NORTH), PO, 0, horizon_min)
        for name, kind in kinds.items()
    )
    zone_list = (Zone(NORTH, "north", Ring.CORE, 1e3), Zone(SOUTH, "south", Ring.INNER, 1e3))
    return dataclasses.replace(plan, posts=posts, zones=zone_list)


def _covered(reqs: Sequence[Requirement], result: Assignment) -> int:
    return sum(
        min(n, need)
        for r in reqs
        for n, need in zip(result.staffed[r.post_id], r.officers, strict=True)
    )


def _rule_errors(plan: EventPlan, shifts: Sequence[Shift]) -> list[str]:
    return [e for e in check_roster(plan, [], shifts) if e.startswith("officer ")]


def _shift(template: Template, choice: Sequence[int], names: Sequence[str], slot_min: int) -> Shift:
    """The shift that stands at ``names[choice[k]]`` in the template's k-th slot (-1: nowhere)."""
    stints: list[list[int]] = []
    for slot, p in zip(template.slots, choice, strict=True):
        if p < 0:
            continue
        start = slot * slot_min
        if stints and stints[-1][0] == p and stints[-1][2] == start:
            stints[-1][2] = start + slot_min
        else:
            stints.append([p, start, start + slot_min])
    return Shift(
        "x",
        PO,
        template.start_min,
        template.end_min,
        template.start_min,
        template.start_min,
        tuple(Stint(PostId(names[p]), a, b) for p, a, b in stints),
    )


@functools.cache
def _patterns(plan: EventPlan, template: Template) -> frozenset[tuple[int, ...]]:
    """Coverage vectors (post-major, slot-minor) of every rule-abiding way to spend ``template``,
    as the checker judges it."""
    names = [p.id for p in plan.posts]
    n_slots = plan.grid.n_slots
    vectors = set()
    for choice in itertools.product(range(-1, len(names)), repeat=len(template.slots)):
        shift = _shift(template, choice, names, plan.grid.slot_min)
        if _rule_errors(plan, [shift]):
            continue
        vector = [0] * (len(names) * n_slots)
        for slot, p in zip(template.slots, choice, strict=True):
            if p >= 0:
                vector[p * n_slots + slot] = 1
        vectors.add(tuple(vector))
    return frozenset(vectors)


def _most_covered(plan: EventPlan, reqs: Sequence[Requirement], duties: Sequence[Duty]) -> int:
    """The most officer-slots any rule-abiding placement of ``duties`` covers (exhaustive)."""
    need = tuple(n for r in reqs for n in r.officers)
    states = {tuple(0 for _ in need)}
    for duty in duties:
        states = {
            tuple(min(n, s + v) for n, s, v in zip(need, state, vector, strict=True))
            for state in states
            for vector in _patterns(plan, duty.template)
        }
    return max(sum(state) for state in states)


def _assign(
    plan: EventPlan, reqs: Sequence[Requirement], duties: Sequence[Duty], repair: bool = True
) -> Assignment:
    return assign_posts(
        duties, reqs, COVERS, plan.grid, rules=post_rules(plan, reqs), repair=repair
    )


def _duties(templates: Sequence[Template]) -> list[Duty]:
    return [Duty(f"o{k}", PO, t, 0) for k, t in enumerate(templates)]


def test_three_officers_take_turns_where_the_flow_alone_needs_five() -> None:
    """Two needed at one post for 2 h 30, an hour at most: three officers can do it only if the
    stand-downs are staggered (one off per slot); the flow keeps the first two on until both
    must leave."""
    plan = _plan({"a": PostKind.FIXED})
    reqs = [requirement("a", PO, [2] * 5)]
    (whole,) = [t for t in shift_templates(TINY, plan.grid) if t.slots == (0, 1, 2, 3, 4)]
    duties = _duties([whole] * 3)
    flow = _assign(plan, reqs, duties, repair=False)
    assert flow.staffed[PostId("a")] == (3, 2, 1, 2, 2)
    result = _assign(plan, reqs, duties)
    assert result.staffed[PostId("a")] == (2,) * 5 == tuple(reqs[0].officers)
    assert _most_covered(plan, reqs, duties) == 10
    assert _rule_errors(plan, result.shifts) == []
    # Each officer stands down once: the relief, staggered over slots 0..4.
    offs = sorted(
        next(s for s in range(5) if not any(a <= 30 * s < b for _, a, b in _runs(shift)))
        for shift in result.shifts
    )
    assert len(set(offs)) == 3


def test_a_stopped_solve_keeps_the_flow_posts_and_starts_no_repair() -> None:
    plan = _plan({"a": PostKind.FIXED})
    reqs = [requirement("a", PO, [2] * 5)]
    (whole,) = [t for t in shift_templates(TINY, plan.grid) if t.slots == (0, 1, 2, 3, 4)]
    duties = _duties([whole] * 3)
    stop = threading.Event()
    stop.set()
    stopped = assign_posts(
        duties, reqs, COVERS, plan.grid, rules=post_rules(plan, reqs), stop_event=stop
    )
    assert stopped == _assign(plan, reqs, duties, repair=False)


def _runs(shift: Shift) -> list[tuple[str, int, int]]:
    return [(s.post_id, s.start_min, s.end_min) for s in shift.stints]


def test_the_roster_of_the_tiny_case_is_the_exhaustive_minimum() -> None:
    plan = _plan({"a": PostKind.FIXED}, pool=20)
    reqs = [requirement("a", PO, [2] * 5)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert roster.headcount == roster.lower_bound == 3
    assert roster.rules_added_officers == 0 and roster.rules_resolves == 0
    assert roster.status is SolveStatus.OPTIMAL


def test_a_minimum_stint_does_not_strand_an_officer_where_the_demand_pauses() -> None:
    """One officer, a 1 h minimum stint; a needs him in slots 0-3, b in 0 and 2-4. The flow
    sends him to b first (it will need more), and the stint then holds him there through slot 1,
    when only a needs him; looking ahead, he stands at a for 1 h 30, then at b."""
    labour = dataclasses.replace(TINY, max_continuous_post_min=150, min_stint_min=60)
    plan = _plan({"a": PostKind.FIXED, "b": PostKind.FIXED}, labour=labour)
    reqs = [requirement("a", PO, [1, 1, 1, 1, 0]), requirement("b", PO, [1, 0, 2, 2, 1])]
    (whole,) = [t for t in shift_templates(labour, plan.grid) if t.slots == (0, 1, 2, 3, 4)]
    duties = _duties([whole])
    assert _covered(reqs, _assign(plan, reqs, duties, repair=False)) == 4
    result = _assign(plan, reqs, duties)
    assert [_runs(s) for s in result.shifts] == [[("a", 0, 90), ("b", 90, 150)]]
    assert _covered(reqs, result) == _most_covered(plan, reqs, duties) == 5
    assert _rule_errors(plan, result.shifts) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 1, 2, 2]), min_size=5, max_size=5),
    st.lists(st.sampled_from([0, 0, 1, 2]), min_size=5, max_size=5),
    st.lists(st.integers(0, 100), min_size=1, max_size=4),
    st.sampled_from([PostKind.FIXED, PostKind.PATROL]),
    st.sampled_from([0, 60]),
    st.sampled_from([0, 30, 45]),
)
def test_the_assignment_covers_all_that_the_duties_can(
    a: list[int],
    b: list[int],
    picks: list[int],
    kind: PostKind,
    stint: int,
    walk: int,
) -> None:
    """Duties drawn from the templates: the assignment covers as many officer-slots as the best
    rule-abiding placement (so it leaves nothing short wherever one covers everything), and the
    checker passes its shifts."""
    labour = dataclasses.replace(TINY, min_stint_min=stint, default_travel_min=walk)
    plan = _plan({"a": PostKind.FIXED, "b": kind}, labour=labour, zones={"b": SOUTH})
    reqs = [requirement("a", PO, a), requirement("b", PO, b)]
    templates = shift_templates(labour, plan.grid)
    duties = _duties(sorted((templates[k % len(templates)] for k in picks), key=str))
    result = _assign(plan, reqs, duties)
    assert _rule_errors(plan, result.shifts) == []
    assert _covered(reqs, result) == _most_covered(plan, reqs, duties)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 2, 2, 3]), min_size=5, max_size=5),
    st.lists(st.integers(0, 100), min_size=1, max_size=5),
)
def test_one_rotating_post_is_covered_whenever_the_duties_allow(
    a: list[int], picks: list[int]
) -> None:
    """One fixed post, the case the shift model's rotation reserve is bought for."""
    plan = _plan({"a": PostKind.FIXED})
    reqs = [requirement("a", PO, a)]
    templates = shift_templates(TINY, plan.grid)
    duties = _duties(sorted((templates[k % len(templates)] for k in picks), key=str))
    result = _assign(plan, reqs, duties)
    assert _rule_errors(plan, result.shifts) == []
    assert _covered(reqs, result) == _most_covered(plan, reqs, duties)


def test_travel_and_the_break_hold_in_a_repaired_window() -> None:
    """Shifts with a break, two zones 20 minutes apart: the repaired shifts pass the checker."""
    labour = LabourRules(
        min_shift_min=240,
        max_shift_min=240,
        max_continuous_post_min=60,
        min_stint_min=30,
        travel=(ZoneTravel(NORTH, SOUTH, 20),),
    )
    plan = dataclasses.replace(
        _plan({"a": PostKind.FIXED, "b": PostKind.FIXED}, labour=labour, zones={"b": SOUTH}),
        grid=dataclasses.replace(make_plan({}, slot_min=15, horizon_min=270).grid),
    )
    reqs = [requirement("a", PO, [2] * 18), requirement("b", PO, [1] * 8 + [2] * 10)]
    templates = [
        t for t in shift_templates(labour, plan.grid) if t.break_end_min > t.break_start_min
    ]
    duties = _duties([templates[0]] * 5)
    plain = _assign(plan, reqs, duties, repair=False)
    result = _assign(plan, reqs, duties)
    assert _rule_errors(plan, result.shifts) == []
    assert _covered(reqs, result) >= _covered(reqs, plain)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 1, 2, 2, 3]), min_size=6, max_size=6),
    st.lists(st.sampled_from([0, 0, 0, 1]), min_size=6, max_size=6),
    st.sampled_from([PostKind.FIXED, PostKind.PATROL]),
    st.booleans(),
)
def test_the_model_duties_are_realised_whenever_they_can_be(
    a: list[int], b: list[int], kind: PostKind, two: bool
) -> None:
    """The duties of the first shift model: when a rule-abiding placement of them covers every
    requirement (exhaustive search), the roster is theirs, with no officer added and no
    re-solve; either way the checker passes it."""
    kinds = {"a": PostKind.FIXED, "b": kind} if two else {"a": PostKind.FIXED}
    plan = _plan(kinds, horizon_min=180, pool=12)
    reqs = [requirement("a", PO, a), requirement("b", PO, b)][: len(kinds)]
    first: list[Sequence[Duty]] = []

    def recording(duties: Sequence[Duty], *args: Any, **kwargs: Any) -> Assignment:
        first.append(duties)
        return assign_posts(duties, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solve_module, "assign_posts", recording)
        roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    if not first:  # nothing demanded: no duties to place
        assert roster.headcount == 0
    elif _most_covered(plan, reqs, first[0]) == sum(sum(r.officers) for r in reqs):
        assert roster.rules_added_officers == 0 and roster.rules_resolves == 0
        assert roster.headcount == len(first[0])
