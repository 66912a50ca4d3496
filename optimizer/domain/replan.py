"""Re-planning against a published roster: the rules, the diff between two rosters and its reasons.

A published roster has been sent to officers; a re-plan keeps as much of it as the new plan
allows. ``ReplanRules`` say what must not move (a frozen window, pinned officers) and how much
may (a cap on changes). ``diff_rosters`` compares two rosters duty by duty: on multi-day events
one officer id may work several duties (shifts), so a change is keyed by the officer and the
duty, matched within each officer's duties (identical first, then same hours, then nearest
hours). A duty is added, released, moved to other hours (start, end or break), or kept on the
same hours at other posts; an officer who keeps day 1 and loses day 3 has one released duty.
``explain`` says which change of the requirement forced each change, from the old and new
demand per post and slot; the words are meant to be sent on.

Plain frozen dataclasses with no protobuf or solver imports, like ``optimizer.domain.types``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from optimizer.domain.clock import Clock
from optimizer.domain.coverage import working_slots
from optimizer.domain.runs import equal_runs
from optimizer.domain.types import (
    Minutes,
    OfficerPool,
    OfficerTypeId,
    PostId,
    Requirement,
    Shift,
    TimeGrid,
)
from optimizer.errors import Violation

# Most demand changes quoted in one reason; the rest are in the requirements.
REASON_ITEMS = 2


@dataclass(frozen=True)
class ReplanRules:
    """What a re-plan must keep of the published roster.

    Attributes
    ----------
    freeze_until_min
        Grid minute; duties starting before it stay exactly as published (posts included), and
        no duty that starts before it may be added or released. 0: nothing frozen. The window
        applies per duty: an officer's later duties may change.
    pinned_officer_ids
        Officers whose published duties (all of them) must stay exactly as published.
    max_changes
        Most duties that may change (added, released, moved or at other posts); None: no cap.
        With one duty per officer, officers.
    """

    freeze_until_min: Minutes = 0
    pinned_officer_ids: tuple[str, ...] = ()
    max_changes: int | None = None


class ChangeKind(enum.Enum):
    """How one duty changes, in the order a diff lists them."""

    ADDED = "added"
    RELEASED = "released"
    SHIFT_CHANGED = "shift_changed"
    POSTS_CHANGED = "posts_changed"


@dataclass(frozen=True)
class ShiftChange:
    """One duty's change: ``before`` is None when added, ``after`` None when released.

    ``duties_before`` and ``duties_after`` count the officer's duties in each roster (-1:
    unknown, as in a diff written before officers could work several duties).
    """

    officer_id: str
    officer_type: OfficerTypeId
    kind: ChangeKind
    before: Shift | None
    after: Shift | None
    reason: str = ""
    duties_before: int = -1
    duties_after: int = -1


@dataclass(frozen=True)
class RosterDiff:
    """Every duty that differs between two rosters, and how many are the same.

    ``unchanged`` counts duties kept exactly; ``published_officers`` the officers of the first
    roster and ``unchanged_officers`` those none of whose duties changed (None: one duty per
    officer, so the duty counts are the officer counts).
    """

    changes: tuple[ShiftChange, ...]
    unchanged: int
    published_officers: int | None = None
    unchanged_officers: int | None = None

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind is kind)

    @property
    def added(self) -> int:
        return self.count(ChangeKind.ADDED)

    @property
    def released(self) -> int:
        return self.count(ChangeKind.RELEASED)

    @property
    def shift_changed(self) -> int:
        return self.count(ChangeKind.SHIFT_CHANGED)

    @property
    def posts_changed(self) -> int:
        return self.count(ChangeKind.POSTS_CHANGED)

    @property
    def total(self) -> int:
        """Duties that change: what ``ReplanRules.max_changes`` caps."""
        return len(self.changes)

    @property
    def officers_changed(self) -> int:
        """Officers with at least one duty changed (added officers included)."""
        return len({c.officer_id for c in self.changes})

    @property
    def published_duties(self) -> int:
        return self.unchanged + self.total - self.added

    @property
    def published_headcount(self) -> int:
        """Officers in the published roster."""
        if self.published_officers is None:
            return self.published_duties
        return self.published_officers

    @property
    def multi_duty(self) -> bool:
        """Whether officer and duty counts differ, so a report gives both."""
        return self.officers_changed != self.total or self.published_headcount != (
            self.published_duties
        )


@dataclass(frozen=True)
class PinConflict:
    """A pin (or, with ``officer_id`` "", the frozen window or the cap) the new plan cannot keep."""

    officer_id: str
    reason: str


def validate_rules(rules: ReplanRules, grid: TimeGrid, path: str = "replan") -> list[Violation]:
    """Violations of ``rules`` that need no roster: a negative or late freeze, a negative cap,
    empty or repeated pinned ids. Whether the pinned officers are in the published roster is
    checked by the re-plan itself."""
    violations = []
    if not 0 <= rules.freeze_until_min <= grid.horizon_min:
        violations.append(
            Violation(
                f"{path}.freeze_until_min",
                f"{rules.freeze_until_min} is outside [0, {grid.horizon_min}]",
            )
        )
    if rules.max_changes is not None and rules.max_changes < 0:
        violations.append(Violation(f"{path}.max_changes", f"{rules.max_changes} is negative"))
    violations.extend(pin_violations(rules.pinned_officer_ids, path))
    return violations


def pin_violations(officer_ids: Iterable[str], path: str) -> list[Violation]:
    """Empty or repeated pinned ids, named ``<path>.pinned_officer_ids[i]``."""
    violations = []
    seen: set[str] = set()
    for i, officer_id in enumerate(officer_ids):
        if not officer_id:
            violations.append(Violation(f"{path}.pinned_officer_ids[{i}]", "must not be empty"))
        elif officer_id in seen:
            violations.append(
                Violation(f"{path}.pinned_officer_ids[{i}]", f"{officer_id!r} is listed twice")
            )
        seen.add(officer_id)
    return violations


# ---- the diff -------------------------------------------------------------------------------


def _same_hours(a: Shift, b: Shift) -> bool:
    return (a.officer_type, a.start_min, a.end_min, a.break_start_min, a.break_end_min) == (
        b.officer_type,
        b.start_min,
        b.end_min,
        b.break_start_min,
        b.break_end_min,
    )


def _order(change: ShiftChange) -> tuple[int, Minutes, str]:
    shift = change.after or change.before
    start = shift.start_min if shift is not None else 0
    return (list(ChangeKind).index(change.kind), start, change.officer_id)


def duty_key(shift: Shift) -> str:
    """One duty's key in re-plan notes: the officer and the duty's start minute."""
    return f"{shift.officer_id}@{shift.start_min}"


def _by_officer(shifts: Iterable[Shift]) -> dict[str, list[Shift]]:
    duties: dict[str, list[Shift]] = {}
    for s in shifts:
        duties.setdefault(s.officer_id, []).append(s)
    for listed in duties.values():
        listed.sort(key=lambda s: (s.start_min, s.end_min, s.break_start_min))
    return duties


def match_duties(
    before: Sequence[Shift], after: Sequence[Shift]
) -> tuple[list[tuple[Shift, Shift]], list[Shift], list[Shift]]:
    """One officer's duties paired across two rosters: (pairs, released, added).

    Identical duties pair first, then duties on the same hours (only posts differ), then the
    rest by nearest hours (distance of starts plus distance of ends, earliest first), as many
    pairs as the shorter side has; what is left is released (``before``) or added (``after``).
    One duty on each side always pairs, as when each officer worked one shift.
    """
    old = list(before)
    new = list(after)
    pairs: list[tuple[Shift, Shift]] = []
    for same in (lambda a, b: a == b, _same_hours):
        for b in list(new):
            a = next((a for a in old if same(a, b)), None)
            if a is not None:
                pairs.append((a, b))
                old.remove(a)
                new.remove(b)
    ranked = sorted(
        (
            abs(a.start_min - b.start_min) + abs(a.end_min - b.end_min),
            a.start_min,
            b.start_min,
            i,
            k,
        )
        for i, a in enumerate(old)
        for k, b in enumerate(new)
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, _, _, i, k in ranked:
        if i not in used_old and k not in used_new:
            pairs.append((old[i], new[k]))
            used_old.add(i)
            used_new.add(k)
    released = [a for i, a in enumerate(old) if i not in used_old]
    added = [b for k, b in enumerate(new) if k not in used_new]
    return pairs, released, added


def diff_rosters(
    before: Iterable[Shift],
    after: Iterable[Shift],
    context: DiffContext | None = None,
) -> RosterDiff:
    """The duties that differ between ``before`` and ``after``, matched per officer id.

    Within one officer's duties (``match_duties``): added (only in ``after``), released (only in
    ``before``), shift changed (start, end, break or type differ) or posts changed (same hours,
    other stints); identical duties count as unchanged. Changes are listed by kind, then start,
    then officer id. With ``context`` each change gets the reason ``explain`` gives; without
    it, no reason.
    """
    old = _by_officer(before)
    new = _by_officer(after)
    changes = []
    unchanged = 0
    unchanged_officers = 0
    for officer_id in sorted(old.keys() | new.keys()):
        a_list = old.get(officer_id, [])
        b_list = new.get(officer_id, [])
        pairs, released, added = match_duties(a_list, b_list)
        steps: list[tuple[Shift | None, Shift | None]] = [
            *((a, None) for a in released),
            *((None, b) for b in added),
        ]
        for old_duty, new_duty in pairs:
            if old_duty == new_duty:
                unchanged += 1
            else:
                steps.append((old_duty, new_duty))
        if not steps:
            unchanged_officers += 1
        for a, b in steps:
            if a is not None and b is not None:
                kind = (
                    ChangeKind.SHIFT_CHANGED if not _same_hours(a, b) else ChangeKind.POSTS_CHANGED
                )
            else:
                kind = ChangeKind.ADDED if a is None else ChangeKind.RELEASED
            shift = b if b is not None else a
            assert shift is not None
            change = ShiftChange(
                officer_id, shift.officer_type, kind, a, b, "", len(a_list), len(b_list)
            )
            if context is not None:
                change = replace(change, reason=explain(change, context))
            changes.append(change)
    return RosterDiff(tuple(sorted(changes, key=_order)), unchanged, len(old), unchanged_officers)


def apply_diff(before: Iterable[Shift], diff: RosterDiff) -> tuple[Shift, ...]:
    """``before`` with every change of ``diff`` made, ordered by officer id, then start.

    Applying the diff of two rosters to the first gives the second (up to order): the property
    the tests check. Raises ValueError when a change does not fit ``before``: the duty it
    changes is not there, or a duty it adds overlaps another duty of the same officer.
    """
    duties = _by_officer(before)
    for change in diff.changes:
        if change.before is None:
            continue
        current = duties.get(change.officer_id, [])
        if change.before not in current:
            raise ValueError(
                f"change of {change.officer_id} does not start from one of their duties"
            )
        current.remove(change.before)
    for change in diff.changes:
        if change.after is not None:
            duties.setdefault(change.officer_id, []).append(change.after)
    result = []
    for officer_id in sorted(duties):
        listed = sorted(duties[officer_id], key=lambda s: (s.start_min, s.end_min))
        for a, b in zip(listed, listed[1:], strict=False):
            if b.start_min < a.end_min:
                raise ValueError(f"{officer_id} would work two duties at once")
        result.extend(listed)
    return tuple(result)


# ---- reasons --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffContext:
    """What the reasons of a diff are drawn from: the demand per post and slot before and after.

    ``old_demand`` is the published plan's requirement when known; otherwise the officers the
    published roster put on each post (``old_is_staffing``), which is what the reasons then quote.
    ``pool`` is the new plan's pool (for named officers no longer available).
    """

    grid: TimeGrid
    old_demand: Mapping[PostId, tuple[int, ...]]
    new_demand: Mapping[PostId, tuple[int, ...]]
    post_types: Mapping[PostId, OfficerTypeId]
    covers: Mapping[OfficerTypeId, tuple[OfficerTypeId, ...]] = field(default_factory=dict)
    pool: OfficerPool | None = None
    old_is_staffing: bool = False
    # Reasons the re-plan already knows (a pin it could not keep), by duty (``duty_key``) or,
    # for every duty of the officer, by officer id.
    notes: Mapping[str, str] = field(default_factory=dict)


def demand_by_post(requirements: Iterable[Requirement]) -> dict[PostId, tuple[int, ...]]:
    return {r.post_id: tuple(r.officers) for r in requirements}


def diff_context(
    grid: TimeGrid,
    old_requirements: Sequence[Requirement] | None,
    new_requirements: Sequence[Requirement],
    published: Iterable[Shift],
    pool: OfficerPool | None = None,
    notes: Mapping[str, str] | None = None,
) -> DiffContext:
    """The context for ``explain``; without the old requirements, the published staffing."""
    from optimizer.domain.coverage import officers_by_post

    post_types = {r.post_id: r.officer_type for r in new_requirements}
    if old_requirements is not None:
        old = demand_by_post(old_requirements)
        post_types = {**{r.post_id: r.officer_type for r in old_requirements}, **post_types}
    else:
        old = {p: tuple(row) for p, row in officers_by_post(published, grid).items()}
    covers: dict[OfficerTypeId, tuple[OfficerTypeId, ...]] = {}
    if pool is not None:
        for t in {*post_types.values(), *(o.officer_type for o in pool.officers)}:
            covers[t] = pool.covers(t)
    return DiffContext(
        grid,
        old,
        demand_by_post(new_requirements),
        post_types,
        covers,
        pool,
        old_is_staffing=old_requirements is None,
        notes=dict(notes or {}),
    )


@dataclass(frozen=True)
class _Move:
    """A run of slots at one post where the demand changed: old and new officers per slot."""

    post_id: PostId
    first: int
    end: int
    old: int
    new: int

    @property
    def size(self) -> int:
        return abs(self.new - self.old) * (self.end - self.first)


def _post_slots(shift: Shift, grid: TimeGrid) -> dict[PostId, list[int]]:
    """Working slots of ``shift`` per post it stands at (the coverage rule)."""
    slots: dict[PostId, list[int]] = {}
    for stint in shift.stints:
        lo = max(stint.start_min, shift.start_min)
        hi = min(stint.end_min, shift.end_min)
        slots.setdefault(stint.post_id, []).extend(working_slots(shift, lo, hi, grid))
    return slots


def _changes_at(
    post_id: PostId, slots: Iterable[int], ctx: DiffContext, rising: bool
) -> list[_Move]:
    """Runs of ``slots`` where the demand at ``post_id`` rose (``rising``) or fell."""
    n = ctx.grid.n_slots
    old = ctx.old_demand.get(post_id, (0,) * n)
    new = ctx.new_demand.get(post_id, (0,) * n)
    wanted = sorted(set(slots))
    pairs: list[tuple[int, int] | None] = [None] * n
    for s in wanted:
        if (new[s] > old[s]) if rising else (new[s] < old[s]):
            pairs[s] = (old[s], new[s])
    return [
        _Move(post_id, first, end, pair[0], pair[1])
        for first, end, pair in equal_runs(pairs)
        if pair is not None
    ]


def _describe(moves: Sequence[_Move], ctx: DiffContext, items: int = REASON_ITEMS) -> str:
    """The ``items`` largest demand changes in words, largest first."""
    clk = Clock(ctx.grid)
    parts = []
    for m in sorted(moves, key=lambda m: (-m.size, m.first, m.post_id))[:items]:
        span = clk.span(ctx.grid.slot_start(m.first), ctx.grid.slot_start(m.end))
        if m.post_id not in ctx.new_demand:
            parts.append(f"post {m.post_id} is no longer in the plan")
        elif ctx.old_is_staffing:
            parts.append(
                f"at {m.post_id} {span} the new plan needs {m.new} where {m.old} were rostered"
            )
        else:
            verb = "rose" if m.new > m.old else "fell"
            parts.append(f"demand at {m.post_id} {span} {verb} from {m.old} to {m.new}")
    return "; ".join(parts)


def _fillable(officer_type: OfficerTypeId, ctx: DiffContext) -> set[PostId]:
    types = set(ctx.covers.get(officer_type, (officer_type,)))
    return {p for p, t in ctx.post_types.items() if t in types}


def _shift_slots(shift: Shift, grid: TimeGrid) -> list[int]:
    return working_slots(shift, shift.start_min, shift.end_min, grid)


def _demand_moves(
    shift: Shift, ctx: DiffContext, rising: bool, outside: Shift | None
) -> list[_Move]:
    """Demand changes under ``shift``: at its own posts first, else at any post its type fills.

    Slots ``outside`` also works are left out (for a moved shift, what the move changed).
    """
    grid = ctx.grid
    skip = set(_shift_slots(outside, grid)) if outside is not None else set()
    own = [
        m
        for post_id, slots in sorted(_post_slots(shift, grid).items())
        for m in _changes_at(post_id, [s for s in slots if s not in skip], ctx, rising)
    ]
    if own:
        return own
    slots = [s for s in _shift_slots(shift, grid) if s not in skip]
    return [
        m
        for post_id in sorted(_fillable(shift.officer_type, ctx))
        for m in _changes_at(post_id, slots, ctx, rising)
    ]


def _availability(shift: Shift, ctx: DiffContext) -> str:
    """Why a named officer cannot work ``shift`` in the new plan's pool, or ""."""
    if ctx.pool is None:
        return ""
    officer = next((o for o in ctx.pool.officers if o.id == shift.officer_id), None)
    if officer is None:
        # Anonymous, or no longer in the pool: the re-plan says which in ``notes``.
        return ""
    end = officer.available_end_min if officer.available_end_min > 0 else ctx.grid.horizon_min
    if officer.available_start_min <= shift.start_min and shift.end_min <= end:
        return ""
    clk = Clock(ctx.grid)
    return (
        f"{shift.officer_id} is now available {clk.span(officer.available_start_min, end)}, "
        f"which no longer holds the shift {clk.span(shift.start_min, shift.end_min)}"
    )


def explain(change: ShiftChange, ctx: DiffContext) -> str:
    """Which change of the requirement forced ``change``, in words a planner can send on.

    Released: where the demand fell under the old shift (its own posts first). Added: where it
    rose under the new shift. Moved: what rose in the new hours and fell in the hours given up.
    Other posts: what rose or fell at the posts swapped. When the demand under the shift did not
    change, the shift was freed or needed by moves made elsewhere, and the reason says so.
    """
    grid = ctx.grid
    before, after = change.before, change.after
    duty = before if before is not None else after
    note = ctx.notes.get(duty_key(duty), "") if duty is not None else ""
    note = note or ctx.notes.get(change.officer_id, "")
    if change.kind is ChangeKind.RELEASED and before is not None:
        unavailable = _availability(before, ctx)
        if unavailable:
            return _join(note, unavailable)
        gone = sorted(p for p in _post_slots(before, grid) if p not in ctx.new_demand)
        if gone:
            return _join(note, f"post {gone[0]} is no longer in the plan")
        why = _describe(_demand_moves(before, ctx, False, None), ctx)
        return _join(note, why or "not needed once the other shifts were fitted to the new plan")
    if change.kind is ChangeKind.ADDED and after is not None:
        why = _describe(_demand_moves(after, ctx, True, None), ctx)
        return _join(note, why or "replaces officers released or moved elsewhere")
    if before is None or after is None:
        return note
    if change.kind is ChangeKind.SHIFT_CHANGED:
        clk = Clock(grid)
        head = f"moved from {clk.span(before.start_min, before.end_min)}"
        head += f" to {clk.span(after.start_min, after.end_min)}"
        unavailable = _availability(before, ctx)
        rose = _demand_moves(after, ctx, True, before)
        fell = _demand_moves(before, ctx, False, after)
        # What the new hours are needed for first, then what the hours given up lost.
        why = unavailable or _join(_describe(rose, ctx, 1), _describe(fell, ctx, 1))
        if not why:
            why = "to free or fill hours left by moves made elsewhere"
        return _join(note, f"{head}: {why}")
    # Same hours, other posts: what changed at the posts left and joined.
    old_posts = _post_slots(before, grid)
    new_posts = _post_slots(after, grid)
    moves = []
    for post_id, slots in sorted(new_posts.items()):
        moved = [s for s in slots if s not in old_posts.get(post_id, [])]
        moves.extend(_changes_at(post_id, moved, ctx, True))
    for post_id, slots in sorted(old_posts.items()):
        moved = [s for s in slots if s not in new_posts.get(post_id, [])]
        moves.extend(_changes_at(post_id, moved, ctx, False))
    gone = sorted(p for p in old_posts if p not in ctx.new_demand)
    if gone:
        return _join(note, f"post {gone[0]} is no longer in the plan")
    why = _describe(moves, ctx)
    return _join(note, why or "posts swapped to fit moves made elsewhere")


def _join(*parts: str) -> str:
    # A note the re-plan made and the reason found here may say the same thing: say it once.
    return "; ".join(dict.fromkeys(p for p in parts if p))
