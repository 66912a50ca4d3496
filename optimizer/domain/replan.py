"""Re-planning against a published roster: the rules, the diff between two rosters and its reasons.

A published roster has been sent to officers; a re-plan keeps as much of it as the new plan
allows. ``ReplanRules`` say what must not move (a frozen window, pinned officers) and how much
may (a cap on changes). ``diff_rosters`` compares two rosters officer by officer, by id, and
nothing else: an officer is added, released, moved to another shift (start, end or break), or
kept on the same shift at other posts. ``explain`` says which change of the requirement forced
each change, from the old and new demand per post and slot; the words are meant to be sent on.

Plain frozen dataclasses with no protobuf or solver imports, like ``optimizer.domain.types``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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
        Grid minute; shifts starting before it stay exactly as published (posts included), and
        no shift that starts before it may be added or released. 0: nothing frozen.
    pinned_officer_ids
        Officers whose published shifts must stay exactly as published.
    max_changes
        Most officers that may change (added, released, moved or at other posts); None: no cap.
    """

    freeze_until_min: Minutes = 0
    pinned_officer_ids: tuple[str, ...] = ()
    max_changes: int | None = None


class ChangeKind(enum.Enum):
    """How one officer's duty changes, in the order a diff lists them."""

    ADDED = "added"
    RELEASED = "released"
    SHIFT_CHANGED = "shift_changed"
    POSTS_CHANGED = "posts_changed"


@dataclass(frozen=True)
class ShiftChange:
    """One officer's change: ``before`` is None when added, ``after`` None when released."""

    officer_id: str
    officer_type: OfficerTypeId
    kind: ChangeKind
    before: Shift | None
    after: Shift | None
    reason: str = ""


@dataclass(frozen=True)
class RosterDiff:
    """Every officer whose duty differs between two rosters, and how many are the same."""

    changes: tuple[ShiftChange, ...]
    unchanged: int

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
        """Officers who change: what ``ReplanRules.max_changes`` caps."""
        return len(self.changes)

    @property
    def published_headcount(self) -> int:
        return self.unchanged + self.total - self.added


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


def diff_rosters(
    before: Iterable[Shift],
    after: Iterable[Shift],
    context: DiffContext | None = None,
) -> RosterDiff:
    """The officers whose duty differs between ``before`` and ``after``, matched by officer id.

    Added (only in ``after``), released (only in ``before``), shift changed (start, end, break or
    type differ) or posts changed (same hours, other stints); the rest count as unchanged.
    Changes are listed by kind, then start, then officer id. With ``context`` each change gets
    the reason ``explain`` gives; without it, no reason.
    """
    old = {s.officer_id: s for s in before}
    new = {s.officer_id: s for s in after}
    changes = []
    unchanged = 0
    for officer_id in sorted(old.keys() | new.keys()):
        a = old.get(officer_id)
        b = new.get(officer_id)
        if a is not None and b is not None:
            if a == b:
                unchanged += 1
                continue
            kind = ChangeKind.SHIFT_CHANGED if not _same_hours(a, b) else ChangeKind.POSTS_CHANGED
        else:
            kind = ChangeKind.ADDED if a is None else ChangeKind.RELEASED
        shift = b if b is not None else a
        assert shift is not None
        change = ShiftChange(officer_id, shift.officer_type, kind, a, b)
        if context is not None:
            change = ShiftChange(
                officer_id, shift.officer_type, kind, a, b, explain(change, context)
            )
        changes.append(change)
    return RosterDiff(tuple(sorted(changes, key=_order)), unchanged)


def apply_diff(before: Iterable[Shift], diff: RosterDiff) -> tuple[Shift, ...]:
    """``before`` with every change of ``diff`` made, ordered by officer id.

    Applying the diff of two rosters to the first gives the second (up to order): the property
    the tests check. Raises ValueError when a change does not fit ``before``.
    """
    shifts = {s.officer_id: s for s in before}
    for change in diff.changes:
        current = shifts.get(change.officer_id)
        if current != change.before:
            raise ValueError(f"change of {change.officer_id} does not start from its shift")
        if change.after is None:
            del shifts[change.officer_id]
        else:
            shifts[change.officer_id] = change.after
    return tuple(shifts[k] for k in sorted(shifts))


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
    # Reasons the re-plan already knows (a pin it could not keep), by officer id.
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
    note = ctx.notes.get(change.officer_id, "")
    before, after = change.before, change.after
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
