"""An independent check of a roster against the plan and the requirement.

Written from the rules, not from the solver: it imports neither ortools nor the model, templates
or assignment code, so a bug there cannot hide itself here. Coverage is counted with
``optimizer.domain.coverage``, the rule every stage shares.

Checked: every post has its required officers in every slot (or, for an INFEASIBLE roster, exactly
the reported shortfalls are missing); officers work only posts their type may fill; every shift
starts on the start grid inside the horizon, has an allowed length, the break the labour rules
give it and lies in its officer's availability and, for a named officer, within the working
minutes left under the maximum; an officer working several duties (multi-day events) works
them of one type, apart by the minimum rest and within the working-minute cap over all of them;
unnamed officers (each over the span of their duties) fit the supply; stints lie inside their
shift, off the break and apart; the post rules hold (rotation limit by post kind and risk level,
minimum stint, travel between zones: see ``_check_post_rules``); a named officer's shift starts
the minimum rest after their previous duty; and, given a ``Roster``, its headcount (distinct
officers), duties and paid minutes add up.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from optimizer.domain.coverage import officers_by_post
from optimizer.domain.types import (
    EventPlan,
    LabourRules,
    Minutes,
    OfficerTypeId,
    PostId,
    Requirement,
    Roster,
    Shift,
    SolveStatus,
    Stint,
    TimeGrid,
    ZoneId,
)
from optimizer.risk import assess


def _window_end(end_min: Minutes, grid: TimeGrid) -> Minutes:
    return grid.horizon_min if end_min <= 0 else end_min


def _allowed_break_offsets(rules: LabourRules, grid: TimeGrid, length: Minutes) -> set[Minutes]:
    """Break starts (minutes after the shift start) the labour rules allow for ``length``.

    A break starts on a slot boundary, after the shift start, in the break window, and ends before
    the shift does. When no such start exists, the latest boundary up to the window's end that
    still ends before the shift is the only one allowed.
    """
    break_min = rules.break_for(length)
    slot = grid.slot_min
    fits = [b for b in range(slot, length, slot) if b + break_min < length]
    in_window = {b for b in fits if rules.break_window_start_min <= b <= rules.break_window_end_min}
    if in_window:
        return in_window
    before_end = [b for b in fits if b <= rules.break_window_end_min]
    return {max(before_end)} if before_end else set()


def _check_break(shift: Shift, rules: LabourRules, grid: TimeGrid) -> str | None:
    length = shift.end_min - shift.start_min
    break_min = rules.break_for(length)
    taken = shift.break_end_min - shift.break_start_min
    if break_min == 0:
        return None if taken == 0 else f"has a {taken}-minute break, none is due"
    if taken != break_min:
        return f"has a {taken}-minute break, {break_min} is due for {length} minutes"
    offset = shift.break_start_min - shift.start_min
    if offset not in _allowed_break_offsets(rules, grid, length):
        return f"break starts {offset} minutes into the shift, outside the allowed starts"
    return None


def _check_shift_rules(shift: Shift, plan: EventPlan) -> list[str]:
    rules, grid = plan.labour, plan.grid
    who = f"shift {shift.officer_id}"
    errors = []
    length = shift.end_min - shift.start_min
    step = -(-max(rules.start_step_min, grid.slot_min) // grid.slot_min) * grid.slot_min
    if shift.start_min < 0 or shift.end_min > grid.horizon_min:
        errors.append(f"{who}: [{shift.start_min}, {shift.end_min}) leaves the horizon")
    if shift.start_min % step:
        errors.append(f"{who}: starts at {shift.start_min}, not a multiple of {step}")
    length_step = rules.shift_step_min if rules.shift_step_min > 0 else grid.slot_min
    if not rules.min_shift_min <= length <= rules.max_shift_min or (
        (length - rules.min_shift_min) % length_step
    ):
        errors.append(f"{who}: length {length} is not an allowed shift length")
    problem = _check_break(shift, rules, grid)
    if problem:
        errors.append(f"{who}: {problem}")
    return errors


def _check_stints(
    shift: Shift, post_types: dict[PostId, OfficerTypeId], plan: EventPlan
) -> list[str]:
    who = f"shift {shift.officer_id}"
    errors = []
    allowed = plan.pool.covers(shift.officer_type)
    previous_end: Minutes | None = None
    for stint in sorted(shift.stints, key=lambda st: (st.start_min, st.end_min)):
        where = f"{who}: stint at {stint.post_id} [{stint.start_min}, {stint.end_min})"
        if stint.post_id not in post_types:
            errors.append(f"{where}: unknown post")
        elif post_types[stint.post_id] not in allowed:
            errors.append(
                f"{where}: a {shift.officer_type} officer may not fill a "
                f"{post_types[stint.post_id]} post"
            )
        if stint.start_min >= stint.end_min:
            errors.append(f"{where}: empty")
        if stint.start_min < shift.start_min or stint.end_min > shift.end_min:
            errors.append(f"{where}: outside the shift")
        if stint.start_min < shift.break_end_min and shift.break_start_min < stint.end_min:
            errors.append(f"{where}: overlaps the break")
        if previous_end is not None and stint.start_min < previous_end:
            errors.append(f"{where}: overlaps another stint")
        previous_end = stint.end_min if previous_end is None else max(previous_end, stint.end_min)
    return errors


@dataclass(frozen=True)
class _PostRules:
    """The plan's rotation limit per post, minimum stint and travel, looked up from the plan."""

    limits: dict[PostId, Minutes]
    zones: dict[PostId, ZoneId]
    min_stint: Minutes
    labour: LabourRules

    @staticmethod
    def of(plan: EventPlan) -> _PostRules:
        level = plan.risk.level if plan.risk.level is not None else assess(plan.risk).level
        return _PostRules(
            {p.id: plan.labour.max_continuous_for(p.kind, level) for p in plan.posts},
            {p.id: p.zone_id for p in plan.posts},
            plan.labour.min_stint_min,
            plan.labour,
        )

    def travel(self, a: PostId, b: PostId) -> Minutes:
        za, zb = self.zones.get(a), self.zones.get(b)
        return 0 if za is None or zb is None else self.labour.travel_min(za, zb)


def _check_post_rules(shift: Shift, rules: _PostRules) -> list[str]:
    """Rotation limit, minimum stint and travel, from the stints alone.

    A run is an officer's unbroken time at one post: stints at the same post that meet end to
    start count as one; any time off posts (a relief, a walk, the break) ends it. A run may not
    last longer than its post's limit, nor shorter than the minimum stint unless it ends at the
    break or the shift end. Between two stints at posts in different zones, at least the travel
    time passes (the break counts).
    """
    who = f"officer {shift.officer_id}"
    errors = []
    stints = sorted(shift.stints, key=lambda st: (st.start_min, st.end_min))
    has_break = shift.break_end_min > shift.break_start_min
    segment_ends = {shift.end_min, shift.break_start_min} if has_break else {shift.end_min}
    runs: list[list[Stint]] = []
    for stint in stints:
        last = runs[-1][-1] if runs else None
        if last is not None and last.post_id == stint.post_id and last.end_min == stint.start_min:
            runs[-1].append(stint)
        else:
            runs.append([stint])
    for run in runs:
        post, start, end = run[0].post_id, run[0].start_min, run[-1].end_min
        limit = rules.limits.get(post, 0)
        if limit and end - start > limit:
            errors.append(
                f"{who}: at post {post} continuously from minute {start} to {end} "
                f"({end - start} min), over the {limit}-minute rotation limit"
            )
        if end - start < rules.min_stint and end not in segment_ends:
            errors.append(
                f"{who}: at post {post} only from minute {start} to {end} "
                f"({end - start} min), under the {rules.min_stint}-minute minimum stint"
            )
    for a, b in itertools.pairwise(stints):
        need = rules.travel(a.post_id, b.post_id)
        if a.post_id != b.post_id and b.start_min - a.end_min < need:
            errors.append(
                f"{who}: leaves post {a.post_id} at minute {a.end_min} and is at post "
                f"{b.post_id} at minute {b.start_min}, but the walk takes {need} min"
            )
    return errors


def _max_flow(capacity: dict[tuple[int, int], int], source: int, sink: int) -> int:
    """Edmonds-Karp on a small dict graph (the fit of anonymous shifts into supply windows)."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for u, v in list(capacity):
        neighbours[u].add(v)
        neighbours[v].add(u)
        capacity.setdefault((v, u), 0)
    flow = 0
    while True:
        parent = {source: source}
        queue = [source]
        for u in queue:
            for v in sorted(neighbours[u]):
                if v not in parent and capacity[u, v] > 0:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return flow
        path = []
        v = sink
        while v != source:
            path.append((parent[v], v))
            v = parent[v]
        push = min(capacity[e] for e in path)
        for u, v in path:
            capacity[u, v] -= push
            capacity[v, u] += push
        flow += push


def _check_officers(shifts: Sequence[Shift], plan: EventPlan) -> list[str]:
    """Per officer id, over all their duties: one type, no overlap, the minimum rest between
    consecutive duties, and the working minutes within the cap (a named officer's work left; an
    unnamed officer with several duties, the labour rules' maximum)."""
    named = {o.id: o for o in plan.pool.officers}
    rest = plan.labour.min_rest_min
    by_id: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_id[shift.officer_id].append(shift)
    errors = []
    for officer_id, duties in by_id.items():
        if len(duties) < 2:
            continue
        duties.sort(key=lambda d: (d.start_min, d.end_min))
        types = sorted({d.officer_type for d in duties})
        if len(types) > 1:
            errors.append(f"officer {officer_id}: duties of several types {types}")
        for a, b in itertools.pairwise(duties):
            if b.start_min < a.end_min:
                errors.append(
                    f"officer {officer_id}: duty [{b.start_min}, {b.end_min}) overlaps "
                    f"duty [{a.start_min}, {a.end_min})"
                )
            elif b.start_min - a.end_min < rest:
                errors.append(
                    f"officer {officer_id}: duty at minute {b.start_min} starts "
                    f"{b.start_min - a.end_min} min after the duty ending at minute {a.end_min}; "
                    f"{rest} min of rest are due"
                )
        officer = named.get(officer_id)
        if officer is not None:
            cap, whose = plan.labour.work_left(officer), f"{officer.worked_min} already worked"
        else:
            cap, whose = plan.labour.max_work_min or None, "labour.max_work_min"
        worked = sum(d.working_min for d in duties)
        if cap is not None and worked > cap:
            errors.append(
                f"officer {officer_id}: {worked} working minutes over {len(duties)} duties, "
                f"but only {cap} allowed ({whose})"
            )
    return errors


def _check_pool(shifts: Sequence[Shift], plan: EventPlan) -> list[str]:
    grid, pool = plan.grid, plan.pool
    named = {o.id: o for o in pool.officers}
    errors = []
    # An unnamed officer is one person of the supply over the span of all their duties.
    spans: dict[str, tuple[OfficerTypeId, Minutes, Minutes]] = {}
    for shift in shifts:
        if shift.officer_id in named:
            continue
        span = spans.get(shift.officer_id)
        spans[shift.officer_id] = (
            (shift.officer_type, shift.start_min, shift.end_min)
            if span is None
            else (span[0], min(span[1], shift.start_min), max(span[2], shift.end_min))
        )
    anonymous: dict[tuple[OfficerTypeId, Minutes, Minutes], int] = defaultdict(int)
    for span in spans.values():
        anonymous[span] += 1
    for shift in shifts:
        officer = named.get(shift.officer_id)
        if officer is None:
            continue
        if officer.officer_type != shift.officer_type:
            errors.append(
                f"shift {shift.officer_id}: officer is {officer.officer_type}, "
                f"shift says {shift.officer_type}"
            )
        end = _window_end(officer.available_end_min, grid)
        if shift.start_min < officer.available_start_min or shift.end_min > end:
            errors.append(
                f"shift {shift.officer_id}: outside availability "
                f"[{officer.available_start_min}, {end})"
            )
        rested = officer.previous_duty_end_min
        if rested is not None and shift.start_min < rested + plan.labour.min_rest_min:
            errors.append(
                f"shift {shift.officer_id}: starts at minute {shift.start_min}, "
                f"{shift.start_min - rested} min after the previous duty ended; "
                f"{plan.labour.min_rest_min} min of rest are due"
            )
        left = plan.labour.work_left(officer)
        if left is not None and shift.working_min > left:
            errors.append(
                f"shift {shift.officer_id}: {shift.working_min} working minutes, but only "
                f"{left} left under the maximum ({officer.worked_min} already worked)"
            )
    # Anonymous shifts must fit the supply windows without exceeding any count: a max flow.
    kinds = sorted(anonymous)
    supplies: dict[tuple[OfficerTypeId, Minutes, Minutes], int] = defaultdict(int)
    for s in pool.supply:
        supplies[s.officer_type, s.available_start_min, _window_end(s.available_end_min, grid)] += (
            s.count
        )
    windows = sorted(supplies)
    source, sink = 0, 1 + len(kinds) + len(windows)
    capacity: dict[tuple[int, int], int] = {}
    for k, (officer_type, start, end) in enumerate(kinds):
        capacity[source, 1 + k] = anonymous[officer_type, start, end]
        for w, (w_type, w_start, w_end) in enumerate(windows):
            if w_type == officer_type and w_start <= start and end <= w_end:
                capacity[1 + k, 1 + len(kinds) + w] = anonymous[officer_type, start, end]
    for w, key in enumerate(windows):
        capacity[1 + len(kinds) + w, sink] = supplies[key]
    placed = _max_flow(capacity, source, sink)
    total = sum(anonymous.values())
    if placed < total:
        errors.append(
            f"{total - placed} of {total} unnamed officers do not fit the supply "
            "(type, availability window or count)"
        )
    return errors


def _check_cover(
    plan: EventPlan,
    requirements: Sequence[Requirement],
    shifts: Sequence[Shift],
    roster: Roster | None,
) -> list[str]:
    grid = plan.grid
    counts = officers_by_post(shifts, grid)
    missing: dict[OfficerTypeId, list[int]] = defaultdict(lambda: [0] * grid.n_slots)
    for req in requirements:
        row = counts.get(req.post_id, [0] * grid.n_slots)
        for s, need in enumerate(req.officers):
            if row[s] < need:
                missing[req.officer_type][s] += need - row[s]
    if roster is not None and roster.status is SolveStatus.INFEASIBLE:
        reported: dict[OfficerTypeId, list[int]] = defaultdict(lambda: [0] * grid.n_slots)
        for f in roster.shortfalls:
            for s in grid.slots_in(f.start_min, f.end_min):
                reported[f.officer_type][s] += f.officers
        return [
            f"{t}: shortfalls report {reported[t]} missing per slot, the shifts miss {missing[t]}"
            for t in sorted(set(missing) | set(reported))
            if reported[t] != missing[t]
        ]
    errors = []
    for req in requirements:
        row = counts.get(req.post_id, [0] * grid.n_slots)
        for s, need in enumerate(req.officers):
            if row[s] < need:
                errors.append(
                    f"post {req.post_id} slot {s} (minute {grid.slot_start(s)}): "
                    f"{row[s]} of {need} officers"
                )
    return errors


def _check_totals(roster: Roster, shifts: Sequence[Shift]) -> list[str]:
    errors = []
    headcount, minutes = roster_totals(shifts)
    if roster.headcount != headcount:
        errors.append(f"headcount {roster.headcount}, but {headcount} officers")
    if roster.duties and roster.duties != len(shifts):
        errors.append(f"duties {roster.duties}, but {len(shifts)} shifts")
    if roster.officer_minutes != minutes:
        errors.append(f"officer_minutes {roster.officer_minutes}, but shifts pay {minutes}")
    for row in roster.by_type:
        mine = [s for s in shifts if s.officer_type == row.officer_type]
        people = len({s.officer_id for s in mine})
        if row.headcount != people:
            errors.append(f"{row.officer_type}: headcount {row.headcount}, but {people} officers")
        if row.duties and row.duties != len(mine):
            errors.append(f"{row.officer_type}: duties {row.duties}, but {len(mine)} shifts")
        paid = sum(s.end_min - s.start_min for s in mine)
        if row.officer_minutes != paid:
            errors.append(f"{row.officer_type}: officer_minutes {row.officer_minutes}, paid {paid}")
    if roster.lower_bound > roster.headcount and roster.status is not SolveStatus.INFEASIBLE:
        errors.append(f"lower bound {roster.lower_bound} above headcount {roster.headcount}")
    return errors


def check_roster(
    plan: EventPlan, requirements: Sequence[Requirement], roster: Roster | Sequence[Shift]
) -> list[str]:
    """Every rule the roster breaks, as readable messages; empty when it is valid.

    Parameters
    ----------
    plan
        The event plan the roster was made for.
    requirements
        Officers needed per post and slot.
    roster
        A ``Roster`` (its totals are recomputed and, when INFEASIBLE, its shortfalls must be
        exactly what the shifts leave uncovered) or just its shifts (every requirement must be
        covered).
    """
    full = roster if isinstance(roster, Roster) else None
    shifts = tuple(roster.shifts if isinstance(roster, Roster) else roster)
    post_types: dict[PostId, OfficerTypeId] = {p.id: p.officer_type for p in plan.posts}
    post_types.update({r.post_id: r.officer_type for r in requirements})
    known_types = (
        {t.id for t in plan.pool.types}
        | {s.officer_type for s in plan.pool.supply}
        | {o.officer_type for o in plan.pool.officers}
    )
    errors = []
    rules = _PostRules.of(plan)
    for shift in shifts:
        if shift.officer_type not in known_types:
            errors.append(f"shift {shift.officer_id}: unknown officer type {shift.officer_type}")
        errors.extend(_check_shift_rules(shift, plan))
        errors.extend(_check_stints(shift, post_types, plan))
        errors.extend(_check_post_rules(shift, rules))
    errors.extend(_check_officers(shifts, plan))
    errors.extend(_check_pool(shifts, plan))
    errors.extend(_check_cover(plan, requirements, shifts, full))
    if full is not None:
        errors.extend(_check_totals(full, shifts))
    return errors


def roster_totals(shifts: Sequence[Shift]) -> tuple[int, int]:
    """Headcount (distinct officers) and paid minutes (break included) of ``shifts``,
    recomputed."""
    return len({s.officer_id for s in shifts}), sum(s.end_min - s.start_min for s in shifts)
