"""Several duties per officer: chaining a group's duties into people, then naming them.

The shift model chooses duties (one template each); on a multi-day event one officer may work
several of them when each starts at least the minimum rest after the one before ends. Within an
officer group (interchangeable officers: one type, one window, one work cap) a duty occupies its
officer over [start, end + rest). Those intervals form an interval graph, and interval graphs are
perfect: the fewest officers who can work a set of duties with the rest between them equals the
most intervals that overlap at one instant, and greedy chaining by start time reaches it (a duty
that finds nobody free starts a new officer only when every officer so far is busy at its start,
so that many intervals overlap there). The shift model counts people with exactly that overlap
(``optimizer.roster.model``), so chaining its duties needs no more officers than it counted unless
a work cap binds (then a cap can force more, and the roster is FEASIBLE, not OPTIMAL).

Everything here is a pure function of the shifts, their groups and the rules, so the plain roster
and the re-planning roster chain alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from optimizer.domain.types import Minutes, OfficerTypeId, Shift
from optimizer.roster.assign import next_anonymous_id
from optimizer.roster.templates import OfficerGroup


@dataclass
class _Person:
    """One officer being built: the duties (indices into the shifts) and the work they add up to."""

    group: int
    officer_id: str | None
    cap: Minutes | None
    duties: list[int] = field(default_factory=list)
    worked: Minutes = 0
    # Latest end of a duty so far, to prefer the officer whose last duty ended last (tightest).
    last_end: Minutes = -(10**9)


def group_cap(group: OfficerGroup, max_work: Minutes) -> Minutes | None:
    """Working minutes one officer of ``group`` may do over the event (None: no cap).

    A named group's ``work_left`` (its maximum less what was worked); otherwise the labour rules'
    maximum ``max_work`` when it is positive.
    """
    if group.work_left is not None:
        return group.work_left
    return max_work if max_work > 0 else None


def _fits(person: _Person, shift: Shift, shifts: Sequence[Shift], min_rest: Minutes) -> bool:
    if person.cap is not None and person.worked + shift.working_min > person.cap:
        return False
    for k in person.duties:
        other = shifts[k]
        if not (
            other.end_min + min_rest <= shift.start_min
            or shift.end_min + min_rest <= other.start_min
        ):
            return False
    return True


def chain_duties(
    shifts: Sequence[Shift],
    groups_of_shifts: Sequence[int],
    groups: Sequence[OfficerGroup],
    min_rest: Minutes,
    max_work: Minutes,
    keep_ids: Mapping[int, str] | None = None,
) -> tuple[Shift, ...]:
    """Give each shift its officer: several shifts of one group share an officer where the rest
    and the work cap allow.

    Duties are taken in the order (type, start, length, break start, group, position); each goes
    to an officer of its group who is free (every duty of theirs ends at least ``min_rest``
    before it starts or starts at least ``min_rest`` after it ends) and whose working minutes
    stay within the cap with it, the best fit first: the least cap left after it, then the
    latest last duty, then the officer made first. When nobody fits, a new officer starts. The
    k-th officer a group starts gets the group's k-th named id not kept elsewhere, then
    ``<type>-0001``-style ids numbered per type in the order officers start, skipping every
    named and kept id. With no chaining possible (every duty on its own) the ids are those
    ``optimizer.roster.assign.name_duties`` gives.

    Parameters
    ----------
    shifts
        Shifts with provisional ids (one per duty, as ``assign_posts`` builds them).
    groups_of_shifts
        The officer group (index into ``groups``) of each shift.
    groups
        The officer groups (``optimizer.roster.templates.officer_groups``).
    min_rest
        Minutes between the end of one duty and the start of the officer's next; 0 or less:
        no chaining (every shift its own officer).
    max_work
        Working minutes (breaks excluded) one officer may do over the event when the group has
        no ``work_left`` of its own; 0: no cap.
    keep_ids
        Shift position -> officer id that shift keeps (a published officer keeps his id). The
        kept shifts of one id form that officer's chain first; other duties of the same group
        join it only where the rest and the cap allow. A kept id that names an officer of the
        group takes the group's cap, any other id ``max_work``.

    Returns
    -------
    tuple[Shift, ...]
        The shifts in the input order with their officers' ids; stints and times unchanged.

    Raises
    ------
    ValueError
        ``groups_of_shifts`` does not match ``shifts``, or names no group.
    """
    if len(groups_of_shifts) != len(shifts):
        raise ValueError(
            f"groups_of_shifts has {len(groups_of_shifts)} entries for {len(shifts)} shifts"
        )
    for g in groups_of_shifts:
        if not 0 <= g < len(groups):
            raise ValueError(f"group {g} out of range (there are {len(groups)})")
    kept = dict(keep_ids or {})
    caps = [group_cap(group, max_work) for group in groups]
    people: list[_Person] = []
    by_group: dict[int, list[int]] = defaultdict(list)
    kept_person: dict[tuple[int, str], int] = {}
    ids: list[str | None] = [None] * len(shifts)
    for k in sorted(kept):
        g, officer_id = groups_of_shifts[k], kept[k]
        key = (g, officer_id)
        if key not in kept_person:
            named = officer_id in groups[g].officer_ids
            cap = caps[g] if named else (max_work if max_work > 0 else None)
            kept_person[key] = len(people)
            by_group[g].append(len(people))
            people.append(_Person(g, officer_id, cap))
        person = people[kept_person[key]]
        person.duties.append(k)
        person.worked += shifts[k].working_min
        person.last_end = max(person.last_end, shifts[k].end_min)
        ids[k] = officer_id

    def order(k: int) -> tuple[OfficerTypeId, Minutes, Minutes, Minutes, int, int]:
        s = shifts[k]
        return (
            s.officer_type,
            s.start_min,
            s.end_min - s.start_min,
            s.break_start_min,
            groups_of_shifts[k],
            k,
        )

    free = sorted((k for k in range(len(shifts)) if k not in kept), key=order)
    # A group in which no duty ends the rest before another starts chains nothing: skip the
    # search (single-day rosters of thousands of duties stay linear).
    earliest_end: dict[int, Minutes] = {}
    latest_start: dict[int, Minutes] = {}
    for k, s in enumerate(shifts):
        g = groups_of_shifts[k]
        earliest_end[g] = min(earliest_end.get(g, s.end_min), s.end_min)
        latest_start[g] = max(latest_start.get(g, s.start_min), s.start_min)
    chains = {g for g in earliest_end if earliest_end[g] + min_rest <= latest_start[g]}
    # Officers each duty goes to; ids come after, in the order officers start.
    started: list[int] = []
    for k in free:
        g = groups_of_shifts[k]
        best: tuple[tuple[int, int, int], int] | None = None
        if min_rest > 0 and g in chains:
            for p in by_group[g]:
                person = people[p]
                if not _fits(person, shifts[k], shifts, min_rest):
                    continue
                left = (
                    0 if person.cap is None else person.cap - person.worked - shifts[k].working_min
                )
                fit = (left, -person.last_end, p)
                if best is None or fit < best[0]:
                    best = (fit, p)
        if best is None:
            p = len(people)
            people.append(_Person(g, None, caps[g]))
            by_group[g].append(p)
            started.append(p)
        else:
            p = best[1]
        person = people[p]
        person.duties.append(k)
        person.worked += shifts[k].working_min
        person.last_end = max(person.last_end, shifts[k].end_min)

    kept_ids = set(kept.values())
    taken = {oid for group in groups for oid in group.officer_ids} | kept_ids
    named_left = [[oid for oid in group.officer_ids if oid not in kept_ids] for group in groups]
    handed: dict[int, int] = defaultdict(int)
    next_number: dict[OfficerTypeId, int] = defaultdict(int)
    for p in started:
        person = people[p]
        g = person.group
        if handed[g] < len(named_left[g]):
            person.officer_id = named_left[g][handed[g]]
            handed[g] += 1
        else:
            person.officer_id = next_anonymous_id(groups[g].officer_type, next_number, taken)
    # Every officer's duties, kept officers' new ones included, carry the officer's id.
    for person in people:
        for k in person.duties:
            ids[k] = person.officer_id
    return tuple(
        s if ids[k] == s.officer_id else replace(s, officer_id=str(ids[k]))
        for k, s in enumerate(shifts)
    )


def max_overlap(intervals: Sequence[tuple[Minutes, Minutes]], min_rest: Minutes) -> int:
    """The fewest officers who can work duties ``[start, end)`` with ``min_rest`` between an
    officer's duties: the most intervals ``[start, end + min_rest)`` covering one instant."""
    events = sorted(
        [(start, 1) for start, _ in intervals] + [(end + min_rest, -1) for _, end in intervals]
    )
    most = current = 0
    for _, change in events:
        current += change
        most = max(most, current)
    return most
