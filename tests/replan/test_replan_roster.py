"""The re-plan core: fewest officers, then fewest changes; pins, frozen window and cap kept."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from optimizer.domain.coverage import officers_by_post
from optimizer.domain.replan import ChangeKind, ReplanRules, diff_rosters
from optimizer.domain.types import (
    Officer,
    OfficerType,
    PostId,
    Requirement,
    Shift,
    SolveStatus,
    Supply,
)
from optimizer.errors import InvalidInput
from optimizer.roster import check_roster, replan_roster, solve_roster
from optimizer.roster.templates import shift_templates

from .helpers import OPTIONS, PO, SP, make_plan, publish, requirement

TYPES = (OfficerType(PO, "public order"), OfficerType(SP, "special police", can_cover=(PO,)))


def _shape(s: object) -> tuple[int, int, int, int]:
    return (s.start_min, s.end_min, s.break_start_min, s.break_end_min)  # type: ignore[attr-defined]


def test_unchanged_plan_changes_nothing() -> None:
    plan = make_plan(
        {"a": PO, "b": PO, "c": SP},
        types=TYPES,
        supply=(Supply(PO, 8, 0, 360), Supply(SP, 3, 0, 360)),
    )
    reqs = (
        requirement("a", PO, [1, 2, 2, 3, 3, 2, 2, 1, 1, 1, 0, 0]),
        requirement("b", PO, [0, 0, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1]),
        requirement("c", SP, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]),
    )
    published = publish(plan, reqs)
    result = replan_roster(plan, reqs, published, OPTIONS, ReplanRules())
    diff = diff_rosters(published.shifts, result.roster.shifts)
    assert diff.total == 0
    assert sorted(result.roster.shifts, key=lambda s: s.officer_id) == sorted(
        published.shifts, key=lambda s: s.officer_id
    )
    assert result.conflicts == ()
    assert result.roster.headcount == published.headcount


def test_same_inputs_same_roster() -> None:
    plan = make_plan({"a": PO}, supply=(Supply(PO, 6, 0, 360),))
    old = (requirement("a", PO, [1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0]),)
    new = (requirement("a", PO, [0, 1, 1, 2, 3, 3, 2, 2, 1, 1, 0, 0]),)
    published = publish(plan, old)
    first = replan_roster(plan, new, published, OPTIONS, ReplanRules())
    second = replan_roster(plan, new, published, OPTIONS, ReplanRules())
    assert first.roster.shifts == second.roster.shifts


# ---- changes are fewest among the rosters with fewest officers (brute force) ------------------

TINY = dict(horizon_min=240, supply=(Supply(PO, 5, 0, 240),))


def _covers(shapes: Sequence[tuple[int, int, int, int]], need: Sequence[int], slot: int) -> bool:
    on = [0] * len(need)
    for start, end, b0, b1 in shapes:
        for s in range(len(need)):
            lo, hi = s * slot, (s + 1) * slot
            if start <= lo and hi <= end and not (lo < b1 and b0 < hi):
                on[s] += 1
    return all(o >= n for o, n in zip(on, need, strict=True))


def brute_force_changes(
    published: Sequence[Shift], need: Sequence[int], n_max: int
) -> tuple[int, int] | None:
    """(fewest officers, fewest changed officers among those) by enumeration.

    One post, one officer group. A roster keeps some published officers exactly (covering the
    slots their published stints cover) and adds free officers on any templates (covering every
    working slot of theirs, the post being the only one); the published officers not kept and
    the free officers pair up as moves (one change each) and what is left over is released or
    added, so keeping k of p published officers with f free ones changes max(p - k, f).
    """
    plan = make_plan({"a": PO}, **TINY)  # type: ignore[arg-type]
    shapes = [_shape(t) for t in shift_templates(plan.labour, plan.grid)]
    slot = plan.grid.slot_min
    kept_cover = {
        s.officer_id: officers_by_post([s], plan.grid).get(PostId("a"), [0] * len(need))
        for s in published
    }
    for h in range(n_max + 1):
        best = None
        for k in range(min(h, len(published)) + 1):
            for kept in itertools.combinations(published, k):
                left = list(need)
                for s in kept:
                    left = [n - c for n, c in zip(left, kept_cover[s.officer_id], strict=True)]
                for combo in itertools.combinations_with_replacement(shapes, h - k):
                    if _covers(combo, left, slot):
                        changes = max(len(published) - k, h - k)
                        best = changes if best is None else min(best, changes)
                        break
        if best is not None:
            return h, best
    return None


demand = st.lists(st.integers(0, 2), min_size=8, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=demand, new=demand)
def test_changes_are_fewest_among_fewest_officers(old: list[int], new: list[int]) -> None:
    plan = make_plan({"a": PO}, **TINY)  # type: ignore[arg-type]
    published = publish(plan, (requirement("a", PO, old),))
    result = replan_roster(plan, (requirement("a", PO, new),), published, OPTIONS, ReplanRules())
    expected = brute_force_changes(published.shifts, new, 5)
    assert expected is not None
    headcount, changes = expected
    assert result.roster.status is SolveStatus.OPTIMAL
    assert result.roster.headcount == headcount
    assert diff_rosters(published.shifts, result.roster.shifts).total == changes
    assert check_roster(plan, (requirement("a", PO, new),), result.roster) == []


# ---- pins, the frozen window and the cap are never broken silently ----------------------------

curve = st.lists(st.integers(0, 2), min_size=12, max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    old_a=curve,
    old_b=curve,
    new_a=curve,
    new_b=curve,
    pick=st.lists(st.integers(0, 20), max_size=4),
    freeze=st.sampled_from([0, 60, 120, 180]),
    cap=st.one_of(st.none(), st.integers(0, 4)),
    po=st.integers(4, 8),
)
def test_rules_are_kept_or_named(
    old_a: list[int],
    old_b: list[int],
    new_a: list[int],
    new_b: list[int],
    pick: list[int],
    freeze: int,
    cap: int | None,
    po: int,
) -> None:
    plan = make_plan(
        {"a": PO, "b": PO},
        types=TYPES,
        supply=(Supply(PO, po, 0, 360), Supply(SP, 2, 0, 360)),
    )
    old = (requirement("a", PO, old_a), requirement("b", PO, old_b))
    new = (requirement("a", PO, new_a), requirement("b", PO, new_b))
    published = publish(plan, old)
    ids = [s.officer_id for s in published.shifts]
    pins = tuple(dict.fromkeys(ids[i % len(ids)] for i in pick)) if ids else ()
    rules = ReplanRules(freeze_until_min=freeze, pinned_officer_ids=pins, max_changes=cap)
    result = replan_roster(plan, new, published, OPTIONS, rules)
    roster = result.roster
    before = {s.officer_id: s for s in published.shifts}
    after = {s.officer_id: s for s in roster.shifts}
    named = {c.officer_id for c in result.conflicts}
    rule_conflict = "" in named
    for officer_id in pins:
        assert after.get(officer_id) == before[officer_id] or officer_id in named
    for officer_id, shift in before.items():
        if shift.start_min < freeze:
            assert after.get(officer_id) == shift or officer_id in named
    for officer_id, shift in after.items():
        if officer_id not in before:
            assert shift.start_min >= freeze or rule_conflict
    event(f"conflicts named: {len(result.conflicts)}; status {roster.status.value}")
    diff = diff_rosters(published.shifts, roster.shifts)
    if cap is not None:
        assert diff.total <= cap or bool(result.conflicts)
    # Every roster is checked independently; when it leaves demand uncovered with no conflict
    # named, the pool itself is short: the plain plan cannot cover either.
    assert check_roster(plan, new, roster) == []
    if roster.status is SolveStatus.INFEASIBLE and not result.conflicts:
        assert solve_roster(plan, new, OPTIONS).status is SolveStatus.INFEASIBLE


def _one_officer_case() -> tuple[object, tuple[Requirement, ...], object]:
    plan = make_plan({"a": PO}, supply=(Supply(PO, 1, 0, 360),))
    old = (requirement("a", PO, [1] * 4 + [0] * 8),)
    published = publish(plan, old)
    assert published.headcount == 1
    return plan, (requirement("a", PO, [0] * 8 + [1] * 4),), published


def test_a_pin_that_prevents_cover_is_named_and_kept() -> None:
    plan, new, published = _one_officer_case()
    pinned = published.shifts[0]  # type: ignore[attr-defined]
    rules = ReplanRules(pinned_officer_ids=(pinned.officer_id,))
    result = replan_roster(plan, new, published, OPTIONS, rules)  # type: ignore[arg-type]
    assert [c.officer_id for c in result.conflicts] == [pinned.officer_id]
    reason = result.conflicts[0].reason
    assert reason.startswith(f"pin on {pinned.officer_id} (08:00-10:00 at a)")
    assert "needs 1 more public_order at a 12:00-14:00" in reason
    assert result.roster.shifts == (pinned,)
    assert result.roster.status is SolveStatus.INFEASIBLE
    # Without the pin the new plan is covered by moving the officer.
    free = replan_roster(plan, new, published, OPTIONS, ReplanRules())  # type: ignore[arg-type]
    assert free.conflicts == () and free.roster.status is SolveStatus.OPTIMAL
    assert [c.kind for c in diff_rosters(published.shifts, free.roster.shifts).changes] == [  # type: ignore[attr-defined]
        ChangeKind.SHIFT_CHANGED
    ]


def test_a_cap_that_prevents_cover_is_named() -> None:
    plan, new, published = _one_officer_case()
    result = replan_roster(plan, new, published, OPTIONS, ReplanRules(max_changes=0))  # type: ignore[arg-type]
    assert [c.officer_id for c in result.conflicts] == [""]
    assert "cap of 0 changes" in result.conflicts[0].reason
    assert diff_rosters(published.shifts, result.roster.shifts).total == 0  # type: ignore[attr-defined]


def test_a_frozen_window_that_prevents_cover_is_named() -> None:
    plan = make_plan({"a": PO}, supply=(Supply(PO, 3, 0, 360),))
    published = publish(plan, (requirement("a", PO, [0] * 4 + [1] * 8),))
    new = (requirement("a", PO, [1] * 12),)
    result = replan_roster(plan, new, published, OPTIONS, ReplanRules(freeze_until_min=120))
    assert [c.officer_id for c in result.conflicts] == [""]
    assert "frozen window until 10:00" in result.conflicts[0].reason
    assert "needs 1 more public_order at a 08:00-10:00" in result.conflicts[0].reason
    assert all(s.start_min >= 120 for s in result.roster.shifts)


def test_a_pinned_officer_no_longer_available_is_named() -> None:
    alice = Officer("alice", PO, 0, 360)
    plan = make_plan({"a": PO}, officers=(alice,))
    old = (requirement("a", PO, [1] * 4 + [0] * 8),)
    published = publish(plan, old)
    assert [s.officer_id for s in published.shifts] == ["alice"]
    later = make_plan(
        {"a": PO}, officers=(Officer("alice", PO, 180, 360),), supply=(Supply(PO, 1, 0, 360),)
    )
    result = replan_roster(
        later, old, published, OPTIONS, ReplanRules(pinned_officer_ids=("alice",))
    )
    assert [c.officer_id for c in result.conflicts] == ["alice"]
    assert "alice is now available 11:00-14:00" in result.conflicts[0].reason
    assert "alice" not in {s.officer_id for s in result.roster.shifts}
    assert result.roster.status is SolveStatus.OPTIMAL


def test_unknown_pin_is_invalid_input() -> None:
    plan = make_plan({"a": PO}, supply=(Supply(PO, 2, 0, 360),))
    reqs = (requirement("a", PO, [1] * 12),)
    published = publish(plan, reqs)
    with pytest.raises(InvalidInput) as info:
        replan_roster(plan, reqs, published, OPTIONS, ReplanRules(pinned_officer_ids=("nobody",)))
    assert info.value.violations[0].field == "replan.pinned_officer_ids[0]"
    assert "'nobody'" in info.value.violations[0].reason
    with pytest.raises(InvalidInput) as info:
        replan_roster(
            plan, reqs, published, OPTIONS, ReplanRules(freeze_until_min=-1, max_changes=-2)
        )
    assert [v.field for v in info.value.violations] == [
        "replan.freeze_until_min",
        "replan.max_changes",
    ]


def test_new_officers_get_ids_unused_in_the_published_roster() -> None:
    plan = make_plan({"a": PO}, supply=(Supply(PO, 6, 0, 360),))
    published = publish(plan, (requirement("a", PO, [1] * 4 + [0] * 8),))
    new = (requirement("a", PO, [3] * 4 + [0] * 8),)
    result = replan_roster(plan, new, published, OPTIONS, ReplanRules())
    diff = diff_rosters(published.shifts, result.roster.shifts)
    assert (diff.added, diff.released, diff.shift_changed, diff.posts_changed) == (2, 0, 0, 0)
    added = {c.officer_id for c in diff.changes}
    assert not added & {s.officer_id for s in published.shifts}


def test_named_officers_keep_their_ids_and_join_by_name() -> None:
    team = tuple(Officer(name, PO, 0, 360) for name in ("alice", "bob", "carol"))
    plan = make_plan({"a": PO}, officers=team)
    published = publish(plan, (requirement("a", PO, [1] * 4 + [0] * 8),))
    (first,) = published.shifts
    new = (requirement("a", PO, [1] * 4 + [0] * 4 + [2] * 4),)
    result = replan_roster(plan, new, published, OPTIONS, ReplanRules())
    assert check_roster(plan, new, result.roster) == []
    ids = {s.officer_id for s in result.roster.shifts}
    assert first in result.roster.shifts
    assert ids <= {"alice", "bob", "carol"} and len(ids) == 3
    # Gone from the pool: released, and the reason says so.
    smaller = make_plan({"a": PO}, officers=team[1:])
    result = replan_roster(smaller, new[:1], published, OPTIONS, ReplanRules())
    assert first.officer_id not in {s.officer_id for s in result.roster.shifts}
    assert result.notes[first.officer_id] == f"{first.officer_id} is no longer in the officer pool"


def test_a_pin_on_a_closed_post_keeps_the_hours_elsewhere() -> None:
    plan = make_plan({"a": PO, "b": PO}, supply=(Supply(PO, 4, 0, 360),))
    old = (requirement("a", PO, [1] * 4 + [0] * 8), requirement("b", PO, [0] * 12))
    published = publish(plan, old)
    (pinned,) = published.shifts
    closed = make_plan({"b": PO}, supply=(Supply(PO, 4, 0, 360),))
    new = (requirement("b", PO, [1] * 4 + [0] * 8),)
    rules = ReplanRules(pinned_officer_ids=(pinned.officer_id,))
    result = replan_roster(closed, new, published, OPTIONS, rules)
    (after,) = result.roster.shifts
    assert after.officer_id == pinned.officer_id
    assert _shape(after) == _shape(pinned) and {s.post_id for s in after.stints} == {"b"}
    (conflict,) = result.conflicts
    assert conflict.officer_id == pinned.officer_id
    assert "post a is no longer in the plan" in conflict.reason
    assert f"{pinned.officer_id} keeps the hours 08:00-10:00 at other posts" in conflict.reason
    assert check_roster(closed, new, result.roster) == []


def test_a_cap_below_the_changes_that_must_happen_is_named_and_raised() -> None:
    plan = make_plan({"a": PO, "b": PO}, supply=(Supply(PO, 4, 0, 360),))
    old = (requirement("a", PO, [1] * 4 + [0] * 8), requirement("b", PO, [0] * 12))
    published = publish(plan, old)
    closed = make_plan({"b": PO}, supply=(Supply(PO, 4, 0, 360),))
    new = (requirement("b", PO, [0] * 8 + [1] * 4),)
    result = replan_roster(closed, new, published, OPTIONS, ReplanRules(max_changes=0))
    assert [c.officer_id for c in result.conflicts] == [""]
    assert "cap of 0 changes is below the 1 published officers" in result.conflicts[0].reason
    assert result.roster.status is SolveStatus.OPTIMAL
    assert diff_rosters(published.shifts, result.roster.shifts).total == 1
