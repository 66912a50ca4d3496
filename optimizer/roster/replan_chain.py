"""Re-planning when officers work several duties: naming the new duties, chaining them.

Part of ``optimizer.roster.replan``: which published officer takes each new duty, and, where
officers may work several duties (multi-day events), how the new duties chain around the kept
ones (``optimizer.roster.chain``). A new duty takes a published officer's id only where the rest
and the work cap between that officer's duties allow; a new officer takes the id of a published
officer all of whose duties changed; and when kept chains cost people the model did not count,
the group is chained again with only pinned and frozen duties fixed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from optimizer.domain.types import EventPlan, Officer, OfficerTypeId, Roster, Shift
from optimizer.roster.assign import Duty, next_anonymous_id
from optimizer.roster.chain import chain_duties, max_overlap
from optimizer.roster.problem import RosterProblem
from optimizer.roster.templates import Template


@dataclass(frozen=True)
class PublishedDuty:
    """One published duty (shift) as the new plan sees it; an officer may have several."""

    index: int
    shift: Shift
    group: int  # -1: no group of the new pool can take this officer
    keepable: bool
    why_not: str  # why the shift cannot be kept as published ("" when it can)
    locked_by: tuple[str, ...]  # "pin" and/or "freeze"
    # Column of the shift's hours when only its posts stand in the way of keeping it (-1: none):
    # a pinned or frozen officer then keeps the hours, at other posts.
    column: int = -1

    @property
    def held(self) -> bool:
        """Pinned or frozen, not keepable as published, but keeping the hours."""
        return bool(self.locked_by) and not self.keepable and self.column >= 0


@dataclass(frozen=True)
class NamedDuties:
    """A solution's duties named: kept shifts (with their groups), free duties (with the posts
    each held before, and whether its id is a published officer's that must stay)."""

    kept: list[Shift]
    kept_groups: list[int]
    duties: list[Duty]
    preferred: list[dict[int, int]]
    fixed: list[bool]
    # Per kept shift and per duty: pinned or frozen (the officer's id stays on it), for a duty
    # an officer holding their published hours at other posts.
    kept_locked: list[bool] = field(default_factory=list)
    duty_locked: list[bool] = field(default_factory=list)


def shape(shift: Shift | Template) -> tuple[int, int, int, int]:
    """Start, end and break of a shift or template: what makes two the same hours."""
    return (shift.start_min, shift.end_min, shift.break_start_min, shift.break_end_min)


def shared_duties(mine: Sequence[Shift], theirs: Sequence[Shift]) -> int:
    """How much two officers' duties agree: 2 per duty of ``mine`` identical to one of
    ``theirs`` (posts included), 1 per duty on the same hours as one of theirs."""
    hours = {shape(t) for t in theirs}
    return sum(2 if s in theirs else 1 if shape(s) in hours else 0 for s in mine)


class DutyChaining:
    """What ``_Replanner`` does to name and chain duties; it provides these attributes."""

    plan: EventPlan
    problem: RosterProblem
    published: Roster
    named: dict[str, Officer]
    officers: list[PublishedDuty]
    # Groups whose officers may work several duties.
    chained: frozenset[int]

    def _fits_officer(
        self, busy: Sequence[tuple[int, int, int]], template: Template, owner: PublishedDuty
    ) -> bool:
        """Whether the officer working ``busy`` (start, end, working minutes) may also work
        ``template``: the rest between any two of their duties, and a named officer's cap."""
        rest = max(0, self.plan.labour.min_rest_min)
        for start, end, _ in busy:
            if not (end + rest <= template.start_min or template.end_min + rest <= start):
                return False
        officer = self.named.get(owner.shift.officer_id)
        cap = (
            self.plan.labour.work_left(officer)
            if officer is not None
            else (self.plan.labour.max_work_min or None)
        )
        if cap is not None and busy:
            return sum(w for *_, w in busy) + template.working_min <= cap
        return True

    def chain(self, named: NamedDuties, shifts: Sequence[Shift]) -> tuple[Shift, ...]:
        """``shifts`` (kept, then the duties' in order) with the free duties chained into
        officers: kept and matched duties keep their ids and the others join them where the rest
        and the cap allow (``optimizer.roster.chain``), else form new officers. A new officer of
        anonymous supply takes the id of a published officer all of whose duties changed (the
        nearest start first), so the diff shows their duties moved, not one officer released
        and another added; otherwise an id unused in the published roster."""
        inp = self.problem.cover
        groups = self.problem.templates.groups
        if not shifts or not self.chained:
            return tuple(shifts)
        n_kept = len(named.kept)
        groups_of = [*named.kept_groups, *(d.group for d in named.duties)]
        keep_ids = {i: s.officer_id for i, s in enumerate(named.kept)}
        for n, is_fixed in enumerate(named.fixed):
            if is_fixed:
                keep_ids[n_kept + n] = shifts[n_kept + n].officer_id
        chained = chain_duties(
            shifts, groups_of, groups, inp.min_rest, self.plan.labour.max_work_min, keep_ids
        )
        staying = set(keep_ids.values())
        starts: dict[str, int] = {}
        group_of_new: dict[str, int] = {}
        for k, s in enumerate(chained):
            if k not in keep_ids and s.officer_id not in staying:
                starts[s.officer_id] = min(starts.get(s.officer_id, s.start_min), s.start_min)
                group_of_new[s.officer_id] = groups_of[k]
        first_start: dict[str, int] = {}
        for o in self.officers:
            officer_id = o.shift.officer_id
            if officer_id not in staying and o.group >= 0 and officer_id not in self.named:
                first_start[officer_id] = min(
                    first_start.get(officer_id, o.shift.start_min), o.shift.start_min
                )
        group_of_published = {o.shift.officer_id: o.group for o in self.officers}
        published_ids = {s.officer_id for s in self.published.shifts}
        in_use = staying | {oid for g in groups for oid in g.officer_ids}
        rename: dict[str, str] = {}
        next_number: dict[OfficerTypeId, int] = defaultdict(int)
        for officer_id in sorted(starts, key=lambda o: (starts[o], o)):
            g = group_of_new[officer_id]
            if officer_id in groups[g].officer_ids:
                continue
            free = [
                o
                for o in first_start
                if group_of_published[o] == g and o not in in_use and o not in rename.values()
            ]
            if free:
                rename[officer_id] = min(
                    free, key=lambda o: (abs(first_start[o] - starts[officer_id]), o)
                )
            elif officer_id in published_ids or officer_id in rename.values():
                rename[officer_id] = next_anonymous_id(
                    groups[g].officer_type,
                    next_number,
                    published_ids | in_use | set(starts) | set(rename.values()),
                )
        result = tuple(
            replace(s, officer_id=rename[s.officer_id]) if s.officer_id in rename else s
            for s in chained
        )
        locked = [*named.kept_locked, *named.duty_locked]
        return self._rechain(result, groups_of, locked)

    def _rechain(
        self, shifts: Sequence[Shift], groups_of: Sequence[int], locked: Sequence[bool]
    ) -> tuple[Shift, ...]:
        """``shifts`` with each group whose kept officers cost people chained afresh.

        Kept duties keep their officers, and their chains need not be the ones the fewest
        people would work (the model counts people as if every duty could be chained anew):
        a published officer on days 1 and 3 may block the day-3 duty another officer needed
        after day 2. Where a group then has more officers than its duties need
        (``chain.max_overlap``), its duties are chained again with only the pinned and frozen
        ones keeping their officers, and each officer made takes the id of the published
        officer with whom they share most duties (identical, then same hours), then of the
        published officer of the group whose first duty starts nearest theirs; the diff then
        counts the duties that changed hands. Kept when it does not need fewer officers.
        """
        inp = self.problem.cover
        groups = self.problem.templates.groups
        rest = inp.min_rest
        out = list(shifts)
        for g in sorted(self.chained):
            members = [k for k in range(len(out)) if groups_of[k] == g]
            if not members:
                continue
            people = len({out[k].officer_id for k in members})
            fixed = {out[k].officer_id for k in members if locked[k]}
            need = len(fixed) + max_overlap(
                [(out[k].start_min, out[k].end_min) for k in members if not locked[k]], rest
            )
            if people <= need:
                continue
            sub = [out[k] for k in members]
            keep = {i: sub[i].officer_id for i, k in enumerate(members) if locked[k]}
            same = [g] * len(sub)
            again = chain_duties(sub, same, groups, rest, self.plan.labour.max_work_min, keep)
            if len({s.officer_id for s in again}) >= people:
                continue
            outside = {out[k].officer_id for k in range(len(out)) if groups_of[k] != g}
            renamed = self._published_ids_for(again, set(keep.values()), outside, g)
            for i, k in enumerate(members):
                out[k] = renamed[i]
        return tuple(out)

    def _published_ids_for(
        self, shifts: Sequence[Shift], locked_ids: set[str], outside: set[str], g: int
    ) -> list[Shift]:
        """``shifts`` (one group chained afresh) with the officers not holding a locked id
        renamed to the group's published officers (see ``_rechain``)."""
        published: dict[str, list[Shift]] = defaultdict(list)
        for o in self.officers:
            officer_id = o.shift.officer_id
            if o.group == g and officer_id not in locked_ids and officer_id not in outside:
                published[officer_id].append(o.shift)
        persons: dict[str, list[Shift]] = defaultdict(list)
        for s in shifts:
            if s.officer_id not in locked_ids:
                persons[s.officer_id].append(s)
        pairs = sorted(
            (-shared_duties(mine, theirs), min(s.start_min for s in mine), person, officer_id)
            for person, mine in persons.items()
            for officer_id, theirs in published.items()
        )
        rename: dict[str, str] = {}
        for negative, _, person, officer_id in pairs:
            if negative < 0 and person not in rename and officer_id not in rename.values():
                rename[person] = officer_id
        left = [o for o in sorted(published) if o not in rename.values() and o not in self.named]
        for person in sorted(persons, key=lambda p: (min(s.start_min for s in persons[p]), p)):
            # Named officers are people and keep their ids.
            if person in rename or person in self.problem.templates.groups[g].officer_ids:
                continue
            if left:
                first = min(s.start_min for s in persons[person])
                pick = min(
                    left, key=lambda o: (abs(min(s.start_min for s in published[o]) - first), o)
                )
                left.remove(pick)
                rename[person] = pick
        used = locked_ids | outside | set(rename.values())
        taken = used | {s.officer_id for s in self.published.shifts} | set(persons)
        next_number: dict[OfficerTypeId, int] = defaultdict(int)
        for person in sorted(persons):
            if person not in rename and person in used:
                officer_type = self.problem.templates.groups[g].officer_type
                rename[person] = next_anonymous_id(officer_type, next_number, taken)
                taken.add(rename[person])
        return [
            replace(s, officer_id=rename[s.officer_id]) if s.officer_id in rename else s
            for s in shifts
        ]


def match_owners(
    slots: Sequence[Template],
    officers: Sequence[PublishedDuty],
    take: Callable[[PublishedDuty, Template], bool] = lambda o, t: True,
) -> list[PublishedDuty | None]:
    """For each free duty, the published duty of its group whose officer takes it (None: a new
    officer).

    Duties whose published shape the free duty has first (then only their posts may change),
    then the nearest start and end, greedily; ties by officer id and duty order. ``take`` says
    whether the officer may take the free duty besides the duties they already hold, and
    records it when they may (an officer working several duties keeps the rest between them).
    """
    owners: list[PublishedDuty | None] = [None] * len(slots)
    left = list(officers)
    by_shape: dict[tuple[int, int, int, int], list[int]] = defaultdict(list)
    for d, template in enumerate(slots):
        by_shape[shape(template)].append(d)
    for o in list(left):
        queue = by_shape.get(shape(o.shift))
        if queue and take(o, slots[queue[0]]):
            owners[queue.pop(0)] = o
            left.remove(o)
    open_duties = [d for d in range(len(slots)) if owners[d] is None]
    if not left or not open_duties:
        return owners
    if len(left) * len(open_duties) <= 200_000:
        pairs = sorted(
            (
                abs(slots[d].start_min - o.shift.start_min)
                + abs(slots[d].end_min - o.shift.end_min),
                o.shift.officer_id,
                d,
                k,
            )
            for k, o in enumerate(left)
            for d in open_duties
        )
        used: set[int] = set()
        for _, _, d, k in pairs:
            if owners[d] is None and k not in used and take(left[k], slots[d]):
                owners[d] = left[k]
                used.add(k)
        return owners
    # Large groups: pair both sides in order of start (optimal on a line for equal counts).
    ranked = sorted(left, key=lambda o: (o.shift.start_min, o.shift.end_min, o.shift.officer_id))
    ordered = sorted(open_duties, key=lambda d: (slots[d].start_min, slots[d].end_min, d))
    for d, o in zip(ordered, ranked, strict=False):
        if take(o, slots[d]):
            owners[d] = o
    return owners
