"""Re-planning messages <-> domain: rules, a published roster read back, the re-plan's result.

``rules_from_proto`` turns the planner's rules (a frozen window counted from now or up to a local
time, pins, a cap) into grid minutes; ``roster_from_result`` reads a stored ``PlanResult`` back
into the ``Roster`` a re-plan starts from (``requirements_from_result`` its requirements, for the
diff's reasons); ``replan_result_to_proto`` writes a ``ReplanOutcome``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from optimizer.domain import types as d
from optimizer.domain.replan import (
    ChangeKind,
    PinConflict,
    ReplanRules,
    RosterDiff,
    ShiftChange,
    pin_violations,
    validate_rules,
)
from optimizer.errors import InvalidInput, Violation
from optimizer.rpc.convert import pb_enum, plan_result_to_pb, shift_to_pb
from optimizer.rpc.v1 import replan_pb2, result_pb2

if TYPE_CHECKING:
    from optimizer.pipeline import ReplanOutcome

# A frozen window longer than this many hours is surely a typo (the horizon is at most a week).
MAX_FREEZE_HOURS = 24 * 366


def parse_time(text: str, like: dt.datetime | None, path: str) -> dt.datetime:
    """An ISO 8601 local time; without an offset it takes ``like``'s."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            [Violation(path, f"{text!r} is not an ISO 8601 time like 2026-05-16T18:00:00+08:00")]
        ) from exc
    if moment.tzinfo is None and like is not None and like.tzinfo is not None:
        moment = moment.replace(tzinfo=like.tzinfo)
    return moment


def _minutes_after(start: dt.datetime, moment: dt.datetime) -> float:
    if (start.tzinfo is None) != (moment.tzinfo is None):
        # One side naive: read both as wall-clock times in the start time's zone.
        if start.tzinfo is None:
            moment = moment.astimezone().replace(tzinfo=None)
        else:
            moment = moment.replace(tzinfo=start.tzinfo)
    return (moment - start).total_seconds() / 60.0


def check_rules_pb(msg: replan_pb2.ReplanRules, path: str = "replan") -> list[Violation]:
    """What is wrong with ``msg`` before any time is placed on the grid (used when a plan is
    read, so a plan file with bad rules is refused at once)."""
    violations = []
    if msg.HasField("freeze_hours"):
        hours = msg.freeze_hours
        if not math.isfinite(hours) or not 0 <= hours <= MAX_FREEZE_HOURS:
            violations.append(
                Violation(f"{path}.freeze_hours", f"{hours!r} is outside [0, {MAX_FREEZE_HOURS}]")
            )
        if msg.freeze_until:
            violations.append(
                Violation(f"{path}.freeze_until", "set freeze_hours or freeze_until, not both")
            )
    if msg.freeze_until:
        try:
            dt.datetime.fromisoformat(msg.freeze_until)
        except ValueError:
            violations.append(
                Violation(
                    f"{path}.freeze_until",
                    f"{msg.freeze_until!r} is not an ISO 8601 time like 2026-05-16T18:00:00+08:00",
                )
            )
    if msg.HasField("max_changes") and msg.max_changes < 0:
        violations.append(Violation(f"{path}.max_changes", f"{msg.max_changes} is negative"))
    violations.extend(pin_violations(msg.pinned_officer_ids, path))
    return violations


def rules_from_proto(
    msg: replan_pb2.ReplanRules, grid: d.TimeGrid, now: dt.datetime, path: str = "replan"
) -> ReplanRules:
    """The rules in grid minutes.

    The frozen window ends ``freeze_hours`` after ``now``, or at ``freeze_until``; both are
    placed on the grid through ``grid.start_time`` (a time without an offset takes the start
    time's; a naive ``now`` is read as the start time's wall clock), rounded up to the minute
    and clipped to the horizon. No window, no start time needed.

    Raises
    ------
    InvalidInput
        Every violation, named ``<path>.<field>`` with the value: negative or non-finite hours,
        both window fields set, an unreadable time, a window with no start time to place it
        on, a negative cap, empty or repeated pins.
    """
    violations = check_rules_pb(msg, path)
    freeze_until_min = 0
    wants_window = msg.HasField("freeze_hours") or bool(msg.freeze_until)
    if not violations and wants_window:
        start = grid.start()
        field = "freeze_hours" if msg.HasField("freeze_hours") else "freeze_until"
        if start is None:
            violations.append(
                Violation(
                    f"{path}.{field}",
                    "needs time_grid.start_time (an ISO 8601 time) to place the window on the "
                    f"plan's clock; it is {grid.start_time!r}",
                )
            )
        else:
            if msg.HasField("freeze_hours"):
                end = now + dt.timedelta(hours=msg.freeze_hours)
            else:
                end = parse_time(msg.freeze_until, start, f"{path}.freeze_until")
            minutes = math.ceil(_minutes_after(start, end) - 1e-9)
            freeze_until_min = min(max(0, minutes), grid.horizon_min)
    rules = ReplanRules(
        freeze_until_min=freeze_until_min,
        pinned_officer_ids=tuple(msg.pinned_officer_ids),
        max_changes=msg.max_changes if msg.HasField("max_changes") else None,
    )
    if not violations:
        violations = validate_rules(rules, grid, path)
    if violations:
        raise InvalidInput(violations)
    return rules


def rules_to_proto(rules: ReplanRules, grid: d.TimeGrid) -> replan_pb2.ReplanRules:
    """``rules`` as a message; the window as an absolute time (needs ``grid.start_time``)."""
    msg = replan_pb2.ReplanRules(pinned_officer_ids=list(rules.pinned_officer_ids))
    if rules.max_changes is not None:
        msg.max_changes = rules.max_changes
    if rules.freeze_until_min > 0:
        start = dt.datetime.fromisoformat(grid.start_time)
        msg.freeze_until = (start + dt.timedelta(minutes=rules.freeze_until_min)).isoformat()
    return msg


# ---- a stored result read back ---------------------------------------------------------------


def _status(value: int) -> d.SolveStatus:
    name = result_pb2.SolveStatus.Name(value).removeprefix("SOLVE_STATUS_")
    return d.SolveStatus.UNKNOWN if name == "UNSPECIFIED" else d.SolveStatus[name]


def shift_from_pb(msg: result_pb2.Shift) -> d.Shift:
    return d.Shift(
        officer_id=msg.officer_id,
        officer_type=d.OfficerTypeId(msg.officer_type),
        start_min=msg.start_min,
        end_min=msg.end_min,
        break_start_min=msg.break_start_min,
        break_end_min=msg.break_end_min,
        stints=tuple(d.Stint(d.PostId(s.post_id), s.start_min, s.end_min) for s in msg.stints),
    )


def roster_from_result(msg: result_pb2.PlanResult) -> d.Roster:
    """The roster of a stored result: shifts with stints, status, bounds and shortfalls.

    One officer may work several duties (multi-day events); raises InvalidInput when two of an
    officer's duties overlap (a re-plan matches duties within each officer's).
    """
    summary = msg.summary
    shifts = tuple(shift_from_pb(s) for s in msg.shifts)
    busy: dict[str, list[tuple[int, int, int]]] = {}
    violations = []
    for i, shift in enumerate(shifts):
        for j, start, end in busy.get(shift.officer_id, []):
            if shift.start_min < end and start < shift.end_min:
                violations.append(
                    Violation(
                        f"shifts[{i}].officer_id",
                        f"{shift.officer_id!r} already works shifts[{j}] "
                        f"({start}-{end}), which overlaps {shift.start_min}-{shift.end_min}",
                    )
                )
                break
        busy.setdefault(shift.officer_id, []).append((i, shift.start_min, shift.end_min))
    if violations:
        raise InvalidInput(violations)
    return d.Roster(
        status=_status(summary.status),
        shifts=shifts,
        headcount=summary.headcount or len(shifts),
        lower_bound=summary.lower_bound,
        officer_minutes=summary.officer_minutes,
        officer_minutes_lower_bound=summary.officer_minutes_lower_bound,
        by_type=tuple(
            d.TypeHeadcount(
                d.OfficerTypeId(t.officer_type),
                t.headcount,
                t.lower_bound,
                t.available,
                t.officer_minutes,
                t.duties,
            )
            for t in summary.by_type
        ),
        shortfalls=tuple(
            d.Shortfall(d.OfficerTypeId(s.officer_type), s.start_min, s.end_min, s.officers)
            for s in summary.shortfalls
        ),
        weighted_shortfall=summary.weighted_shortfall,
        weighted_shortfall_bound=summary.weighted_shortfall_lower_bound,
        post_shortfalls=tuple(
            d.PostShortfall(
                d.PostId(f.post_id),
                d.OfficerTypeId(f.officer_type),
                f.start_min,
                f.end_min,
                f.officers,
                f.weight,
            )
            for f in summary.post_shortfalls
        ),
        pool_needed=tuple(
            d.PoolNeed(d.OfficerTypeId(n.officer_type), n.available, n.needed)
            for n in summary.pool_needed
        ),
        pool_proven=summary.pool_needed_proven,
        duties=summary.duties,
    )


def requirements_from_result(
    msg: result_pb2.PlanResult, grid: d.TimeGrid
) -> tuple[d.Requirement, ...]:
    """The requirements a stored result was made for, per slot of ``grid`` (runs expanded)."""
    result = []
    for req in msg.requirements:
        officers = [0] * grid.n_slots
        reasons = [""] * grid.n_slots
        for run in req.runs:
            for s in grid.slots_in(run.start_min, run.end_min):
                officers[s] = run.officers
                reasons[s] = run.reason
        result.append(
            d.Requirement(
                d.PostId(req.post_id),
                d.OfficerTypeId(req.officer_type),
                tuple(officers),
                tuple(reasons),
            )
        )
    return tuple(result)


# ---- domain -> protobuf ----------------------------------------------------------------------


def change_to_pb(change: ShiftChange) -> replan_pb2.ShiftChange:
    msg = replan_pb2.ShiftChange(
        officer_id=change.officer_id,
        officer_type=change.officer_type,
        kind=pb_enum(change.kind, replan_pb2.ChangeKind),
        reason=change.reason,
    )
    if change.duties_before >= 0:
        msg.duties_before = change.duties_before
    if change.duties_after >= 0:
        msg.duties_after = change.duties_after
    if change.before is not None:
        msg.before.CopyFrom(shift_to_pb(change.before))
    if change.after is not None:
        msg.after.CopyFrom(shift_to_pb(change.after))
    return msg


def diff_to_pb(diff: RosterDiff) -> replan_pb2.RosterDiff:
    msg = replan_pb2.RosterDiff(
        changes=[change_to_pb(c) for c in diff.changes],
        unchanged=diff.unchanged,
        added=diff.added,
        released=diff.released,
        shift_changed=diff.shift_changed,
        posts_changed=diff.posts_changed,
        officers_changed=diff.officers_changed,
        published_duties=diff.published_duties,
    )
    if diff.published_officers is not None:
        msg.published_officers = diff.published_officers
    if diff.unchanged_officers is not None:
        msg.unchanged_officers = diff.unchanged_officers
    return msg


def diff_from_pb(msg: replan_pb2.RosterDiff) -> RosterDiff:
    """The diff back in domain form (for clients and the round-trip test)."""
    changes = []
    for c in msg.changes:
        name = replan_pb2.ChangeKind.Name(c.kind).removeprefix("CHANGE_KIND_")
        if name == "UNSPECIFIED":
            raise InvalidInput([Violation("diff.changes.kind", "must be set")])
        changes.append(
            ShiftChange(
                officer_id=c.officer_id,
                officer_type=d.OfficerTypeId(c.officer_type),
                kind=ChangeKind[name],
                before=shift_from_pb(c.before) if c.HasField("before") else None,
                after=shift_from_pb(c.after) if c.HasField("after") else None,
                reason=c.reason,
                duties_before=c.duties_before if c.HasField("duties_before") else -1,
                duties_after=c.duties_after if c.HasField("duties_after") else -1,
            )
        )
    return RosterDiff(
        tuple(changes),
        msg.unchanged,
        msg.published_officers if msg.HasField("published_officers") else None,
        msg.unchanged_officers if msg.HasField("unchanged_officers") else None,
    )


def replan_result_to_proto(
    outcome: ReplanOutcome, rules: ReplanRules | None = None
) -> replan_pb2.ReplanResult:
    """The re-plan's result message; ``rules`` (the rules applied) are echoed when given."""
    msg = replan_pb2.ReplanResult(
        result=plan_result_to_pb(outcome.outcome),
        diff=diff_to_pb(outcome.diff),
        conflicts=[
            replan_pb2.PinConflict(officer_id=c.officer_id, reason=c.reason)
            for c in outcome.conflicts
        ],
        published_headcount=outcome.diff.published_headcount,
    )
    if rules is not None:
        msg.freeze_until_min = rules.freeze_until_min
        msg.pinned_officer_ids.extend(rules.pinned_officer_ids)
        if rules.max_changes is not None:
            msg.max_changes = rules.max_changes
    return msg


def conflicts_from_pb(msgs: Iterable[replan_pb2.PinConflict]) -> tuple[PinConflict, ...]:
    return tuple(PinConflict(m.officer_id, m.reason) for m in msgs)
