"""Re-planning when officers work several duties (multi-day events): changes per duty."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.domain.coverage import officers_by_post
from optimizer.domain.replan import (
    ChangeKind,
    ReplanRules,
    apply_diff,
    diff_context,
    diff_rosters,
)
from optimizer.domain.types import (
    EventPlan,
    LabourRules,
    OfficerTypeId,
    PostId,
    Requirement,
    Roster,
    Shift,
    SolveStatus,
    Stint,
    Supply,
    TimeGrid,
)
from optimizer.errors import InvalidInput
from optimizer.replan_report import diff_csv, diff_text
from optimizer.roster import check_roster, replan_roster
from optimizer.rpc.convert import shift_to_pb
from optimizer.rpc.replan_convert import diff_from_pb, diff_to_pb, roster_from_result
from optimizer.rpc.v1 import result_pb2

from .helpers import OPTIONS, PO, make_plan, publish, requirement

DAY = 24 * 60
# 8-hour duties starting every 4 hours, no break, 11 hours of rest between an officer's duties.
MULTI_DAY = LabourRules(
    min_shift_min=480,
    max_shift_min=480,
    shift_step_min=60,
    start_step_min=240,
    break_rules=(),
    max_continuous_post_min=3 * DAY,
    min_stint_min=0,
    min_rest_min=660,
)
SLOTS_PER_DAY = 6  # 4-hour slots


def _plan(days: int, officers: int) -> EventPlan:
    return make_plan(
        {"a": PO},
        slot_min=240,
        horizon_min=days * DAY,
        supply=(Supply(PO, officers, 0, days * DAY),),
        labour=MULTI_DAY,
    )


def _duty(officer_id: str, start: int, post: str = "a") -> Shift:
    return Shift(
        officer_id, PO, start, start + 480, start, start, (Stint(PostId(post), start, start + 480),)
    )


def _roster(shifts: Sequence[Shift]) -> Roster:
    return Roster(
        status=SolveStatus.OPTIMAL,
        shifts=tuple(shifts),
        headcount=len({s.officer_id for s in shifts}),
        lower_bound=0,
        officer_minutes=sum(s.end_min - s.start_min for s in shifts),
        officer_minutes_lower_bound=0,
        duties=len(shifts),
    )


def _demand(shifts: Sequence[Shift], grid: TimeGrid) -> tuple[Requirement, ...]:
    """The requirement the shifts cover exactly."""
    row = officers_by_post(shifts, grid).get(PostId("a"), [0] * grid.n_slots)
    return (requirement("a", PO, row),)


def _rest_ok(shifts: Sequence[Shift], rest: int) -> bool:
    by_id: dict[str, list[Shift]] = defaultdict(list)
    for s in shifts:
        by_id[s.officer_id].append(s)
    for duties in by_id.values():
        duties.sort(key=lambda s: s.start_min)
        for a, b in itertools.pairwise(duties):
            if b.start_min < a.end_min + rest:
                return False
    return True


def _covers(shifts: Sequence[Shift], requirements: Sequence[Requirement], grid: TimeGrid) -> bool:
    on = officers_by_post(shifts, grid)
    return all(
        have >= need
        for r in requirements
        for have, need in zip(on.get(r.post_id, [0] * grid.n_slots), r.officers, strict=True)
    )


# A published roster of three days: two officers work 08:00-16:00 every day, a third the
# evenings of days 1 and 3 (days start at 08:00 on the plan's clock).
EARLY = (0, DAY, 2 * DAY)
PUBLISHED = (
    *(_duty("public_order-0001", t) for t in EARLY),
    *(_duty("public_order-0002", t) for t in EARLY),
    _duty("public_order-0003", 480),
    _duty("public_order-0003", 2 * DAY + 480),
)


def test_an_unchanged_plan_changes_no_duty() -> None:
    plan = _plan(3, 6)
    reqs = _demand(PUBLISHED, plan.grid)
    result = replan_roster(plan, reqs, _roster(PUBLISHED), OPTIONS, ReplanRules())
    diff = diff_rosters(PUBLISHED, result.roster.shifts)
    assert diff.total == 0 and diff.unchanged == len(PUBLISHED)
    assert sorted(result.roster.shifts, key=repr) == sorted(PUBLISHED, key=repr)
    assert result.roster.headcount == 3 and result.roster.duties == len(PUBLISHED)
    assert check_roster(plan, reqs, result.roster) == []


def test_demand_rising_on_one_day_changes_only_that_day() -> None:
    plan = _plan(3, 6)
    old = _demand(PUBLISHED, plan.grid)
    row = list(old[0].officers)
    # Day 2, 16:00-24:00: one officer where nobody was.
    row[SLOTS_PER_DAY + 2] += 1
    row[SLOTS_PER_DAY + 3] += 1
    new = (requirement("a", PO, row),)
    result = replan_roster(plan, new, _roster(PUBLISHED), OPTIONS, ReplanRules())
    roster = result.roster
    assert check_roster(plan, new, roster) == []
    diff = diff_rosters(PUBLISHED, roster.shifts)
    # One duty added on day 2; every published duty stays with its officer.
    assert [(c.kind, c.after.start_min if c.after else None) for c in diff.changes] == [
        (ChangeKind.ADDED, DAY + 480)
    ]
    assert set(PUBLISHED) <= set(roster.shifts)
    # The officer who works the evenings of days 1 and 3 takes the new duty (16 hours of rest
    # either side): nobody new is needed.
    (added,) = diff.changes
    assert added.officer_id == "public_order-0003"
    assert roster.headcount == 3 and roster.status is SolveStatus.OPTIMAL
    assert (added.duties_before, added.duties_after) == (2, 3)


def test_demand_falling_on_one_day_releases_that_days_duty_only() -> None:
    plan = _plan(3, 6)
    old = _demand(PUBLISHED, plan.grid)
    row = list(old[0].officers)
    row[2 * SLOTS_PER_DAY + 2] -= 1  # day 3, 16:00-24:00: nobody
    row[2 * SLOTS_PER_DAY + 3] -= 1
    new = (requirement("a", PO, row),)
    result = replan_roster(plan, new, _roster(PUBLISHED), OPTIONS, ReplanRules())
    diff = diff_rosters(
        PUBLISHED, result.roster.shifts, diff_context(plan.grid, old, new, PUBLISHED)
    )
    (released,) = diff.changes
    assert released.kind is ChangeKind.RELEASED
    assert released.before == _duty("public_order-0003", 2 * DAY + 480)
    assert released.reason == "demand at a 05-18 16:00-05-19 00:00 fell from 1 to 0"
    # The officer keeps day 1: one released duty, not a released officer.
    assert _duty("public_order-0003", 480) in result.roster.shifts
    assert (diff.officers_changed, diff.total, diff.published_headcount, diff.published_duties) == (
        1,
        1,
        3,
        8,
    )
    text = diff_text(diff, plan.grid)
    assert text.startswith(
        "1 of 3 published officers change, 1 of 8 duties: 0 duties added, 1 released, "
        "0 on other hours, 0 at other posts; 7 duties unchanged (2 officers unchanged)."
    )
    assert (
        "public_order-0003 (public_order, duties 2 -> 1): released 05-18 16:00-05-19 00:00" in text
    )
    rows = diff_csv(diff, plan.grid).splitlines()
    assert rows[1].endswith(",2,1")
    # The message carries the counts and reads back the same.
    assert diff_from_pb(diff_to_pb(diff)) == diff


# ---- pins and the frozen window hold per duty ---------------------------------------------

per_slot = st.lists(st.integers(0, 3), min_size=3 * SLOTS_PER_DAY, max_size=3 * SLOTS_PER_DAY)


ANONYMOUS = tuple(f"public_order-{i:04d}" for i in range(1, 5))
published_rosters = st.one_of(
    st.just(PUBLISHED),
    st.deferred(lambda: multi_rosters(ANONYMOUS, "a")).filter(bool),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    published=published_rosters,
    new_row=per_slot,
    pick=st.lists(st.integers(0, 7), max_size=3),
    freeze=st.sampled_from([0, 480, DAY, DAY + 480]),
    cap=st.one_of(st.none(), st.integers(0, 3)),
)
def test_pins_and_freeze_hold_per_duty(
    published: tuple[Shift, ...],
    new_row: list[int],
    pick: list[int],
    freeze: int,
    cap: int | None,
) -> None:
    plan = _plan(3, 5)
    new = (requirement("a", PO, new_row),)
    ids = sorted({s.officer_id for s in published})
    pinned = {ids[i % len(ids)] for i in pick}
    rules = ReplanRules(
        freeze_until_min=freeze, pinned_officer_ids=tuple(sorted(pinned)), max_changes=cap
    )
    result = replan_roster(plan, new, _roster(published), OPTIONS, rules)
    roster = result.roster
    named = {c.officer_id for c in result.conflicts}
    after = Counter(roster.shifts)
    for duty in published:
        # A pin keeps every duty of the officer; the frozen window every duty starting in it.
        if duty.officer_id in pinned or duty.start_min < freeze:
            assert after[duty] == 1 or duty.officer_id in named
    for duty in roster.shifts:
        if duty not in published:
            assert duty.start_min >= freeze or "" in named
    diff = diff_rosters(published, roster.shifts)
    if cap is not None:
        assert diff.total <= cap or result.conflicts
    assert _rest_ok(roster.shifts, MULTI_DAY.min_rest_min)
    assert check_roster(plan, new, roster) == []
    if roster.status is not SolveStatus.INFEASIBLE:
        assert _covers(roster.shifts, new, plan.grid)


# ---- the diff of several duties per officer -------------------------------------------------


@st.composite
def multi_rosters(
    draw: st.DrawFn, ids: Sequence[str] = tuple(f"o{i}" for i in range(5)), posts: str = "ab"
) -> tuple[Shift, ...]:
    """Officers with one to three duties each, apart by the rest, over three days."""
    shifts = []
    for officer in sorted(draw(st.sets(st.sampled_from(ids), max_size=len(ids)))):
        starts = draw(
            st.sets(st.sampled_from(range(0, 3 * DAY - 480, 240)), min_size=1, max_size=3)
        )
        kept: list[int] = []
        for start in sorted(starts):
            if all(abs(start - k) >= 480 + 660 for k in kept):
                kept.append(start)
        for start in kept:
            post = draw(st.sampled_from(posts))
            shifts.append(_duty(officer, start, post))
    return tuple(shifts)


@st.composite
def multi_pairs(draw: st.DrawFn) -> tuple[tuple[Shift, ...], tuple[Shift, ...]]:
    before = draw(multi_rosters())
    after = [s for s in draw(multi_rosters())]
    for s in before:
        clash = any(
            o.officer_id == s.officer_id
            and not (o.end_min + 660 <= s.start_min or s.end_min + 660 <= o.start_min)
            for o in after
        )
        if draw(st.booleans()) and not clash:
            after.append(s)
    return before, tuple(after)


@settings(max_examples=200, deadline=None)
@given(pair=multi_pairs())
def test_applying_the_diff_of_several_duties_gives_the_new_roster(
    pair: tuple[tuple[Shift, ...], tuple[Shift, ...]],
) -> None:
    before, after = pair
    diff = diff_rosters(before, after)
    assert Counter(apply_diff(before, diff)) == Counter(after)
    # Per officer, the fewest changes that turn their duties into the new ones: duties kept
    # exactly, then one change per duty on the longer side.
    old: dict[str, Counter[Shift]] = defaultdict(Counter)
    new: dict[str, Counter[Shift]] = defaultdict(Counter)
    for s in before:
        old[s.officer_id][s] += 1
    for s in after:
        new[s.officer_id][s] += 1
    per_officer = Counter(c.officer_id for c in diff.changes)
    for officer_id in old.keys() | new.keys():
        gone = sum((old[officer_id] - new[officer_id]).values())
        came = sum((new[officer_id] - old[officer_id]).values())
        assert per_officer[officer_id] == max(gone, came)
    assert diff.total == diff.added + diff.released + diff.shift_changed + diff.posts_changed
    assert diff.unchanged == sum(sum((old[o] & new[o]).values()) for o in old)
    assert diff.published_duties == len(before)
    assert diff.published_headcount == len({s.officer_id for s in before})
    assert diff.officers_changed == len(per_officer)
    assert diff.unchanged_officers == sum(1 for o in old if o not in per_officer)
    for c in diff.changes:
        if c.before is not None and c.after is not None:
            same_hours = (c.before.start_min, c.before.end_min) == (
                c.after.start_min,
                c.after.end_min,
            )
            assert c.kind is (ChangeKind.POSTS_CHANGED if same_hours else ChangeKind.SHIFT_CHANGED)
    assert diff_from_pb(diff_to_pb(diff)) == diff


# ---- fewest officers, then duties, then changed duties (brute force) -------------------------

# Two days of 8-hour blocks; officers 0001 and 0002 each work two blocks a day apart.
TINY_PUBLISHED = (
    _duty("public_order-0001", 0),
    _duty("public_order-0001", DAY),
    _duty("public_order-0002", 480),
    _duty("public_order-0002", DAY + 480),
)
BLOCKS = tuple(range(0, 2 * DAY - 479, 480))


def _brute_force(blocks: Sequence[int]) -> tuple[int, int, int] | None:
    """(fewest officers, then duties, then changed duties) over every roster of the two
    published officers and two more on the 8-hour blocks, each officer's blocks apart by the
    rest; an officer's changes are the blocks that differ on the longer side. None: no roster
    covers ``blocks`` (officers per block)."""
    duty_sets = [
        frozenset(c)
        for n in range(3)
        for c in itertools.combinations(BLOCKS, n)
        if all(b - a >= 480 + 660 for a, b in itertools.pairwise(c))
    ]
    published = [
        frozenset(s.start_min for s in TINY_PUBLISHED if s.officer_id == officer)
        for officer in ("public_order-0001", "public_order-0002")
    ]
    best: tuple[int, int, int] | None = None
    for sets in itertools.product(duty_sets, repeat=4):
        if any(sum(t in d for d in sets) < n for t, n in zip(BLOCKS, blocks, strict=True)):
            continue
        old = [*published, frozenset(), frozenset()]
        changes = sum(max(len(o - d), len(d - o)) for o, d in zip(old, sets, strict=True))
        score = (sum(1 for d in sets if d), sum(len(d) for d in sets), changes)
        best = score if best is None or score < best else best
    return best


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(st.integers(0, 2), min_size=len(BLOCKS), max_size=len(BLOCKS)))
def test_fewest_officers_then_duties_then_changed_duties(blocks: list[int]) -> None:
    # Duties on the 8-hour blocks only, as the brute force enumerates them; four officers.
    plan = dataclasses.replace(
        _plan(2, 4), labour=dataclasses.replace(MULTI_DAY, start_step_min=480)
    )
    need = [n for n in blocks for _ in range(2)]
    new = (requirement("a", PO, need),)
    result = replan_roster(plan, new, _roster(TINY_PUBLISHED), OPTIONS, ReplanRules())
    roster = result.roster
    assert check_roster(plan, new, roster) == []
    expected = _brute_force(blocks)
    if expected is None:
        assert roster.status is SolveStatus.INFEASIBLE
        return
    changes = diff_rosters(TINY_PUBLISHED, roster.shifts).total
    assert (roster.headcount, len(roster.shifts), changes) == expected


def test_a_roster_with_one_duty_per_officer_still_counts_officers() -> None:
    shifts = (_duty("x", 0), _duty("y", 480))
    moved = (_duty("x", 240), _duty("y", 480, "b"))
    diff = diff_rosters(shifts, moved)
    assert not diff.multi_duty
    assert diff_text(diff).startswith("2 of 2 published officers change: 0 added, 0 released")
    assert dataclasses.replace(diff, published_officers=None).published_headcount == 2
    assert OfficerTypeId("public_order") == PO


def test_a_pin_on_an_officer_with_several_duties_keeps_them_all_or_is_named() -> None:
    plan = _plan(3, 3)
    # Day 2, 16:00-24:00 needs all three officers; the pinned one works days 1-3 08:00-16:00,
    # which leaves no rest for it.
    row = [0] * (3 * SLOTS_PER_DAY)
    row[SLOTS_PER_DAY + 2] = row[SLOTS_PER_DAY + 3] = 3
    new = (requirement("a", PO, row),)
    rules = ReplanRules(pinned_officer_ids=("public_order-0001",))
    result = replan_roster(plan, new, _roster(PUBLISHED), OPTIONS, rules)
    assert [c.officer_id for c in result.conflicts] == ["public_order-0001"]
    reason = result.conflicts[0].reason
    assert reason.startswith(
        "pin on public_order-0001 (duties 05-16 08:00-05-16 16:00, 05-17 08:00-05-17 16:00, "
        "05-18 08:00-05-18 16:00): the duty public_order-0001 (05-16 08:00-05-16 16:00 at a) "
        "keeps a public_order officer at a"
    )
    assert "needs 1 more public_order at a 05-17 16:00-05-18 00:00" in reason
    assert all(d in result.roster.shifts for d in PUBLISHED if d.officer_id == "public_order-0001")
    assert result.roster.status is SolveStatus.INFEASIBLE
    assert check_roster(plan, new, result.roster) == []
    # Without the pin all three cover the evening.
    free = replan_roster(plan, new, _roster(PUBLISHED), OPTIONS, ReplanRules())
    assert free.conflicts == () and free.roster.status is SolveStatus.OPTIMAL
    assert free.roster.headcount == 3 and check_roster(plan, new, free.roster) == []


def test_a_stored_roster_with_several_duties_per_officer_reads_back() -> None:
    stored = result_pb2.PlanResult(shifts=[shift_to_pb(s) for s in PUBLISHED])
    assert roster_from_result(stored).shifts == PUBLISHED
    overlapping = result_pb2.PlanResult(
        shifts=[shift_to_pb(s) for s in (*PUBLISHED, _duty("public_order-0003", 2 * DAY + 240))]
    )
    with pytest.raises(InvalidInput) as raised:
        roster_from_result(overlapping)
    (violation,) = raised.value.violations
    assert violation.field == "shifts[8].officer_id"
    assert "'public_order-0003' already works shifts[7] (3360-3840)" in violation.reason


def test_a_chained_published_roster_replans_to_itself_and_keeps_its_people() -> None:
    # The plain roster chains duties into officers; re-planning it against the same plan
    # changes nothing, and a rise on day 3 adds day-3 duties only.
    plan = _plan(3, 6)
    day = [0, 2, 2, 1, 0, 0]
    reqs = (requirement("a", PO, day * 3),)
    published = publish(plan, reqs)
    assert published.headcount < len(published.shifts)  # officers work several duties
    same = replan_roster(plan, reqs, published, OPTIONS, ReplanRules())
    assert diff_rosters(published.shifts, same.roster.shifts).total == 0
    assert same.roster.headcount == published.headcount
    busier = (requirement("a", PO, day * 2 + [0, 3, 3, 1, 0, 0]),)
    result = replan_roster(plan, busier, published, OPTIONS, ReplanRules())
    assert check_roster(plan, busier, result.roster) == []
    diff = diff_rosters(published.shifts, result.roster.shifts)
    assert diff.total >= 1
    for c in diff.changes:
        assert all(s.start_min >= 2 * DAY for s in (c.before, c.after) if s is not None)
    # Those who keep their first two days keep their ids.
    early = {s for s in published.shifts if s.start_min < 2 * DAY}
    assert early <= set(result.roster.shifts)
