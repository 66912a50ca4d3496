"""A re-plan's diff as a planner sends it on: plain text, and CSV (one row per changed duty).

On multi-day events an officer may work several duties: the summary then counts officers and
duties apart, and the text lists each changed officer's duties together.

Times are wall-clock when the plan's grid has a start time (``optimizer.domain.replan.Clock``);
the CSV also carries grid minutes so a program can read it back exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from optimizer.domain.clock import Clock
from optimizer.domain.replan import ChangeKind, PinConflict, RosterDiff, ShiftChange
from optimizer.domain.types import Shift, TimeGrid

_HEADINGS = {
    ChangeKind.ADDED: "Added",
    ChangeKind.RELEASED: "Released",
    ChangeKind.SHIFT_CHANGED: "Shift changed",
    ChangeKind.POSTS_CHANGED: "Posts changed",
}

CSV_COLUMNS = (
    "officer_id",
    "officer_type",
    "change",
    "before_shift",
    "before_break",
    "before_posts",
    "after_shift",
    "after_break",
    "after_posts",
    "reason",
    "before_start_min",
    "before_end_min",
    "after_start_min",
    "after_end_min",
    "duties_before",
    "duties_after",
)


def _shift(shift: Shift | None, clock: Clock) -> str:
    if shift is None:
        return ""
    return clock.span(shift.start_min, shift.end_min)


def _break(shift: Shift | None, clock: Clock) -> str:
    if shift is None or shift.break_end_min <= shift.break_start_min:
        return ""
    return clock.span(shift.break_start_min, shift.break_end_min)


def _posts(shift: Shift | None, clock: Clock) -> str:
    """The stints as "post start-end", in order."""
    if shift is None:
        return ""
    return ", ".join(f"{s.post_id} {clock.span(s.start_min, s.end_min)}" for s in shift.stints)


def _line(change: ShiftChange, clock: Clock) -> str:
    before, after = change.before, change.after
    who = f"{change.officer_id} ({change.officer_type})"
    if change.kind is ChangeKind.ADDED:
        what = f"{_shift(after, clock)} at {_posts(after, clock)}"
    elif change.kind is ChangeKind.RELEASED:
        what = f"was {_shift(before, clock)} at {_posts(before, clock)}"
    elif change.kind is ChangeKind.SHIFT_CHANGED:
        what = f"{_shift(before, clock)} -> {_shift(after, clock)}"
        if _break(before, clock) != _break(after, clock):
            what += (
                f" (break {_break(before, clock) or 'none'} -> {_break(after, clock) or 'none'})"
            )
        what += f", now at {_posts(after, clock)}"
    else:
        what = f"{_shift(after, clock)}: {_posts(before, clock)} -> {_posts(after, clock)}"
    reason = f"\n      because {change.reason}" if change.reason else ""
    return f"  {who}: {what}{reason}"


def _clock(grid: TimeGrid | None) -> Clock:
    # No grid: times as "+H:MM" from the start of the horizon.
    return Clock(grid if grid is not None else TimeGrid(slot_min=1, horizon_min=0))


def diff_text(
    diff: RosterDiff,
    grid: TimeGrid | None = None,
    conflicts: Sequence[PinConflict] = (),
    title: str = "",
) -> str:
    """The diff as text: a summary line, then each kind of change with its officers and reasons.

    Pins the new plan cannot keep come first, since they need the planner's decision. With the
    plan's ``grid``, times are wall-clock.
    """
    clock = _clock(grid)
    lines = []
    if title:
        lines.append(title)
    lines.append(_summary(diff))
    if conflicts:
        lines.append("")
        lines.append("Pins the new plan cannot keep with full cover:")
        for c in conflicts:
            lines.append(f"  {c.officer_id or '(rule)'}: {c.reason}")
    for kind in ChangeKind:
        changes = [c for c in diff.changes if c.kind is kind]
        if not changes:
            continue
        lines.append("")
        lines.append(f"{_HEADINGS[kind]} ({len(changes)}):")
        lines.extend(_line(c, clock) for c in changes)
    if diff.multi_duty:
        lines.append("")
        lines.extend(_by_officer(diff, clock))
    return "\n".join(lines) + "\n"


def _summary(diff: RosterDiff) -> str:
    if not diff.multi_duty:
        return (
            f"{diff.total} of {diff.published_headcount} published officers change: "
            f"{diff.added} added, {diff.released} released, {diff.shift_changed} on another "
            f"shift, {diff.posts_changed} at other posts; {diff.unchanged} unchanged."
        )
    unchanged_officers = (
        f" ({diff.unchanged_officers} officers unchanged)"
        if diff.unchanged_officers is not None
        else ""
    )
    return (
        f"{diff.officers_changed} of {diff.published_headcount} published officers change, "
        f"{diff.total} of {diff.published_duties} duties: {diff.added} duties added, "
        f"{diff.released} released, {diff.shift_changed} on other hours, "
        f"{diff.posts_changed} at other posts; {diff.unchanged} duties unchanged"
        f"{unchanged_officers}."
    )


def _by_officer(diff: RosterDiff, clock: Clock) -> list[str]:
    """Each changed officer's duty changes on one line, in order of the duty's start."""
    per: dict[str, list[ShiftChange]] = {}
    for c in diff.changes:
        per.setdefault(c.officer_id, []).append(c)
    lines = [f"By officer ({len(per)}):"]
    for officer_id in sorted(per):
        changes = sorted(per[officer_id], key=lambda c: _start(c))
        first = changes[0]
        counts = ""
        if first.duties_before >= 0 and first.duties_after >= 0:
            counts = f", duties {first.duties_before} -> {first.duties_after}"
        parts = []
        for c in changes:
            if c.kind is ChangeKind.ADDED:
                parts.append(f"added {_shift(c.after, clock)}")
            elif c.kind is ChangeKind.RELEASED:
                parts.append(f"released {_shift(c.before, clock)}")
            elif c.kind is ChangeKind.SHIFT_CHANGED:
                parts.append(f"moved {_shift(c.before, clock)} -> {_shift(c.after, clock)}")
            else:
                parts.append(f"other posts {_shift(c.after, clock)}")
        lines.append(f"  {officer_id} ({first.officer_type}{counts}): {'; '.join(parts)}")
    return lines


def _start(change: ShiftChange) -> int:
    shift = change.before if change.before is not None else change.after
    return shift.start_min if shift is not None else 0


def diff_csv(diff: RosterDiff, grid: TimeGrid | None = None) -> str:
    """One row per changed duty: what the officer worked, what they work now, and why; the
    officer's duty counts before and after (empty when unknown) close the row."""
    clock = _clock(grid)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in diff.changes:
        writer.writerow(
            (
                c.officer_id,
                c.officer_type,
                c.kind.value,
                _shift(c.before, clock),
                _break(c.before, clock),
                _posts(c.before, clock),
                _shift(c.after, clock),
                _break(c.after, clock),
                _posts(c.after, clock),
                c.reason,
                "" if c.before is None else c.before.start_min,
                "" if c.before is None else c.before.end_min,
                "" if c.after is None else c.after.start_min,
                "" if c.after is None else c.after.end_min,
                "" if c.duties_before < 0 else c.duties_before,
                "" if c.duties_after < 0 else c.duties_after,
            )
        )
    return out.getvalue()
