"""The diff is exactly the set of differences, its reasons quote the demand, its renderers read."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.domain.replan import (
    ChangeKind,
    RosterDiff,
    apply_diff,
    diff_context,
    diff_rosters,
)
from optimizer.domain.types import OfficerTypeId, PostId, Shift, Stint, TimeGrid
from optimizer.replan_report import CSV_COLUMNS, diff_csv, diff_text

from .helpers import PO, requirement

GRID = TimeGrid(30, 360, "2026-05-16T08:00:00+08:00")


@st.composite
def shifts(draw: st.DrawFn, officer_id: str) -> Shift:
    start = draw(st.integers(0, 6)) * 30
    end = start + draw(st.integers(2, 6)) * 30
    if draw(st.booleans()):
        b0 = start + 60
        b1 = b0 + 30
    else:
        b0 = b1 = start
    post = draw(st.sampled_from(["a", "b"]))
    stints = (Stint(PostId(post), start, end),)
    officer_type = draw(st.sampled_from([PO, OfficerTypeId("traffic")]))
    return Shift(officer_id, officer_type, start, end, b0, b1, stints)


@st.composite
def rosters(draw: st.DrawFn) -> tuple[Shift, ...]:
    ids = draw(st.sets(st.sampled_from([f"o{i}" for i in range(8)]), max_size=8))
    return tuple(draw(shifts(i)) for i in sorted(ids))


@st.composite
def roster_pairs(draw: st.DrawFn) -> tuple[tuple[Shift, ...], tuple[Shift, ...]]:
    """A roster and another that shares some of its shifts, changes some, adds or drops some."""
    before = draw(rosters())
    after = {s.officer_id: s for s in draw(rosters())}
    for s in before:
        if draw(st.booleans()):
            after[s.officer_id] = s
    return before, tuple(after[k] for k in sorted(after))


def _by_id(shifts: tuple[Shift, ...]) -> dict[str, Shift]:
    return {s.officer_id: s for s in shifts}


@settings(max_examples=200, deadline=None)
@given(pair=roster_pairs())
def test_applying_the_diff_gives_the_new_roster(pair: tuple[tuple[Shift, ...], ...]) -> None:
    before, after = pair
    diff = diff_rosters(before, after)
    assert _by_id(apply_diff(before, diff)) == _by_id(after)
    # Exactly the differences: each changed officer once, the rest counted unchanged.
    changed = {c.officer_id for c in diff.changes}
    assert len(changed) == len(diff.changes)
    old, new = _by_id(before), _by_id(after)
    assert changed == {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    assert diff.unchanged == len(old.keys() & new.keys()) - len(changed & old.keys() & new.keys())
    assert diff.total == diff.added + diff.released + diff.shift_changed + diff.posts_changed
    assert diff.published_headcount == len(before)
    for c in diff.changes:
        a, b = old.get(c.officer_id), new.get(c.officer_id)
        expected = (
            ChangeKind.ADDED
            if a is None
            else ChangeKind.RELEASED
            if b is None
            else ChangeKind.POSTS_CHANGED
            if (a.start_min, a.end_min, a.break_start_min, a.break_end_min, a.officer_type)
            == (b.start_min, b.end_min, b.break_start_min, b.break_end_min, b.officer_type)
            else ChangeKind.SHIFT_CHANGED
        )
        assert c.kind is expected


def test_diff_of_a_roster_with_itself_is_empty() -> None:
    roster = (Shift("o1", PO, 0, 120, 0, 0, (Stint(PostId("a"), 0, 120),)),)
    assert diff_rosters(roster, roster) == RosterDiff(
        (), 1, published_officers=1, unchanged_officers=1
    )


def _shift(officer_id: str, start: int, end: int, post: str) -> Shift:
    return Shift(officer_id, PO, start, end, start, start, (Stint(PostId(post), start, end),))


def test_reasons_name_the_requirement_that_changed() -> None:
    old = (
        requirement("a", PO, [2] * 4 + [0] * 8),
        requirement("b", PO, [0] * 4 + [1] * 4 + [0] * 4),
    )
    new = (
        requirement("a", PO, [1] * 4 + [0] * 8),
        requirement("b", PO, [0] * 4 + [1] * 4 + [2] * 4),
    )
    before = (
        _shift("o1", 0, 120, "a"),
        _shift("o2", 0, 120, "a"),
        _shift("o3", 120, 240, "b"),
    )
    after = (_shift("o1", 0, 120, "a"), _shift("o3", 120, 240, "b"), _shift("o4", 240, 360, "b"))
    after += (_shift("o5", 240, 360, "b"),)
    diff = diff_rosters(before, after, diff_context(GRID, old, new, before))
    reasons = {c.officer_id: (c.kind, c.reason) for c in diff.changes}
    assert reasons["o2"] == (ChangeKind.RELEASED, "demand at a 08:00-10:00 fell from 2 to 1")
    assert reasons["o4"] == (ChangeKind.ADDED, "demand at b 12:00-14:00 rose from 0 to 2")
    # Without the old requirements, the published staffing is what the reason quotes.
    staffing = diff_rosters(before, after, diff_context(GRID, None, new, before))
    released = next(c for c in staffing.changes if c.officer_id == "o2")
    assert released.reason == "at a 08:00-10:00 the new plan needs 1 where 2 were rostered"


def test_a_moved_shift_says_what_rose_and_fell() -> None:
    old = (requirement("a", PO, [1] * 4 + [0] * 8),)
    new = (requirement("a", PO, [0] * 2 + [1] * 4 + [0] * 6),)
    before = (_shift("o1", 0, 120, "a"),)
    after = (_shift("o1", 60, 180, "a"),)
    diff = diff_rosters(before, after, diff_context(GRID, old, new, before))
    (change,) = diff.changes
    assert change.kind is ChangeKind.SHIFT_CHANGED
    assert change.reason == (
        "moved from 08:00-10:00 to 09:00-11:00: demand at a 10:00-11:00 rose from 0 to 1; "
        "demand at a 08:00-09:00 fell from 1 to 0"
    )


def test_text_and_csv_list_every_change() -> None:
    old = (requirement("a", PO, [2] * 4 + [0] * 8),)
    new = (requirement("a", PO, [1] * 4 + [0] * 8), requirement("c", PO, [0] * 8 + [1] * 4))
    before = (_shift("o1", 0, 120, "a"), _shift("o2", 0, 120, "a"))
    after = (_shift("o1", 0, 120, "a"), _shift("o2", 240, 360, "c"))
    diff = diff_rosters(before, after, diff_context(GRID, old, new, before))
    text = diff_text(diff, GRID)
    assert text.startswith("1 of 2 published officers change: 0 added, 0 released, 1 on another")
    assert "o2 (public_order): 08:00-10:00 -> 12:00-14:00, now at c 12:00-14:00" in text
    assert "because moved from 08:00-10:00 to 12:00-14:00: demand at c 12:00-14:00 rose" in text
    rows = list(csv.DictReader(io.StringIO(diff_csv(diff, GRID))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["officer_id"], r["change"], r["before_shift"], r["after_shift"]) for r in rows] == [
        ("o2", "shift_changed", "08:00-10:00", "12:00-14:00")
    ]
    assert rows[0]["after_start_min"] == "240" and rows[0]["reason"] == diff.changes[0].reason
