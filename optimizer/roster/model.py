"""The covering model in CP-SAT: how many officers of each group work each template.

Variables, hard rules, then the objective expressions (the solver picks which to minimise):

* ``x[j]`` (integer >= 0): officers working column ``j`` (a template allowed for one group);
* ``w[a, s]``: officers of type ``a`` on duty in slot ``s``, a running total of the ``x``;
* ``f[a->b, s]`` (integer >= 0): officers of type ``a`` filling posts of type ``b`` in slot ``s``,
  created only where type ``a`` may fill more than one post type with demand in that slot
  (otherwise ``w[a, s]`` counts for its one post type directly);
* ``u[b, k, s]`` (only with ``allow_shortfall``): officers missing at posts of type ``b`` and
  weight tier ``k`` in slot ``s``. Posts of one type are interchangeable within a slot, so the
  tiers only say which part of the demand goes unmet; the post assignment then leaves the
  lightest posts short (``optimizer.roster.assign``).

Objectives: ``headcount`` (officers: the sum of ``x``, but for a group whose officers may work
several shifts, with ``CoverInput.min_rest`` between them, its ``people[g]``: see
``_add_people``), ``officer_hours`` (paid minutes, break included), ``over_cover`` (officer-slots
on duty beyond the demand), ``substitution`` (officer-slots in which an officer stands in at a
post of another type, or is on duty where only such posts need anyone), and with shortfall
allowed ``uncovered`` (missing officer-slots, each times its tier's weight).

Rules: per officer type and slot, the flows out of the type do not exceed the officers of that type
working the slot; per post type and slot, the flows in (plus the shortfall) reach the demand; per
group, the officers used (its shifts, or its ``people[g]``) do not exceed its size. Posts of one
type are interchangeable for a single slot, so per-type totals are exact:
``optimizer.roster.assign`` splits them onto posts.

Rotation reserve (``CoverInput.rotation``): where a post type's whole demand over L + 1
consecutive slots is at one post with a rotation limit of L slots, no officer may stand at that
post in all L + 1 of them, so an officer on duty throughout the window (no break in it) covers it
in at most L. Per window and covering type ``a``, the demand that type covers there is at most
its officer-slots on duty in the window less those officers:
``c[a] <= sum(w[a, s]) - sum(x[j] for columns of a covering the whole window)``, with
``c[a] <= `` the type's flow to the post type over the window and ``sum(c) >=`` the demand met
there. It holds for every roster the post rules allow (officer by officer), so it only removes
rosters the post assignment would leave short, and the headcount bound stays a bound for them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Column:
    """Officers of one group working one template, covering ``slots``.

    ``cost`` is what the OFFICER_HOURS objective charges per officer (paid minutes).
    ``start_min``, ``end_min`` and ``working_min`` (breaks excluded) place the shift in time, for
    officers working several shifts (``CoverInput.min_rest``); left at 0 the column chains with
    nothing.
    """

    officer_type: int
    group: int
    slots: tuple[int, ...]
    cost: int
    template: int = -1
    start_min: int = 0
    end_min: int = 0
    working_min: int = 0


@dataclass(frozen=True)
class RotationWindow:
    """Slots ``first .. first + limit`` in which the demand of ``post_type`` is all at one post
    that no officer may hold for more than ``limit`` consecutive slots."""

    post_type: int
    first: int
    limit: int

    @property
    def end(self) -> int:
        return self.first + self.limit + 1


@dataclass(frozen=True)
class CoverInput:
    """A covering problem over types, slots and columns, with no domain objects in it.

    ``demand[b][s]`` is the officers needed at posts of type ``b`` in slot ``s``; ``covers[a]`` the
    post types an officer of type ``a`` may fill; ``group_caps[g]`` the officers in group ``g``.
    """

    n_slots: int
    demand: tuple[tuple[int, ...], ...]
    covers: tuple[tuple[int, ...], ...]
    columns: tuple[Column, ...]
    group_caps: tuple[int, ...]
    # Per post type, (weight, demand per slot) tiers summing to ``demand[b]``: with shortfall
    # allowed, an officer missing from tier k costs its weight. Empty: every officer weighs 1.
    tiers: tuple[tuple[tuple[int, tuple[int, ...]], ...], ...] = ()
    # Windows that need a rotation reserve (see the module docstring). Empty: none.
    rotation: tuple[RotationWindow, ...] = ()
    # Minutes of rest between two shifts of one officer; 0: each officer works one shift.
    min_rest: int = 0
    # Per group, the working minutes one officer may do over all their shifts (None or missing:
    # no cap). Only groups whose officers may work several shifts use it.
    work_caps: tuple[int | None, ...] = ()

    def chained_groups(self) -> frozenset[int]:
        """Groups with two columns one officer could both work: one starts ``min_rest`` or more
        after the other ends (and, under a work cap, the shortest two fit in it)."""
        if self.min_rest <= 0:
            return frozenset()
        earliest_end: dict[int, int] = {}
        latest_start: dict[int, int] = {}
        least_work: dict[int, int] = {}
        for c in self.columns:
            if c.end_min <= c.start_min:
                continue
            g = c.group
            earliest_end[g] = min(earliest_end.get(g, c.end_min), c.end_min)
            latest_start[g] = max(latest_start.get(g, c.start_min), c.start_min)
            least_work[g] = min(least_work.get(g, c.working_min), c.working_min)
        chained = set()
        for g, end in earliest_end.items():
            cap = self.work_caps[g] if g < len(self.work_caps) else None
            if end + self.min_rest <= latest_start[g] and (cap is None or 2 * least_work[g] <= cap):
                chained.add(g)
        return frozenset(chained)


@dataclass
class CoverModel:
    """A built CP-SAT model, its objective expressions and its variables (for full hints)."""

    model: cp_model.CpModel
    x: list[cp_model.IntVar]
    headcount: cp_model.LinearExpr
    paid_minutes: cp_model.LinearExpr
    uncovered: cp_model.LinearExpr | None
    over_cover: cp_model.LinearExpr
    substitution: cp_model.LinearExpr
    shortfall: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    variables: list[cp_model.IntVar] = field(default_factory=list)
    # False when no officer can stand in at a demanded post of another type: substitution is 0.
    substitutable: bool = False
    # Objectives a caller adds on top of the model (the Shift Design benchmark's), by name.
    extra: dict[str, cp_model.LinearExpr] = field(default_factory=dict)
    # People per group whose officers may work several shifts (``CoverInput.chained_groups``).
    people: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # The x of each group's columns, for ``group_people``.
    group_columns: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)

    def group_people(self, group: int) -> cp_model.LinearExprT:
        """Officers of ``group`` the roster uses: its people variable, or its shifts summed."""
        if group in self.people:
            return self.people[group]
        return cp_model.LinearExpr.sum(self.group_columns.get(group, []))

    def objective(self, name: str) -> cp_model.LinearExpr:
        """The expression of objective ``name``.

        One of headcount, officer_hours, over_cover, substitution, (with shortfall allowed)
        uncovered, or a name in ``extra``.
        """
        if name == "headcount":
            return self.headcount
        if name == "officer_hours":
            return self.paid_minutes
        if name == "over_cover":
            return self.over_cover
        if name == "substitution":
            return self.substitution
        if name == "uncovered" and self.uncovered is not None:
            return self.uncovered
        if name in self.extra:
            return self.extra[name]
        raise ValueError(f"no objective {name!r} in this model")


def _column_upper_bound(
    column: Column, coverable: Sequence[Sequence[int]], cap: int, limit: int = 0
) -> int:
    # More officers on one column than the peak demand its type can fill over its slots are never
    # needed: the extra ones could be dropped and the cover would still hold. A column spanning a
    # rotation window (shortest limit ``limit``) may need relief too: with peak * (L + 1) / L
    # officers, L slots each cover what the peak could in the window's L + 1, so dropping any
    # beyond that keeps every reserve constraint as well.
    peak = max((coverable[column.officer_type][s] for s in column.slots), default=0)
    if limit > 0:
        peak = -(-peak * (limit + 1) // limit)
    return min(cap, peak)


def _spans(column: Column, window: RotationWindow) -> bool:
    """Whether ``column`` works every slot of ``window`` (so with no break inside it)."""
    return any(first <= window.first and window.end <= end for first, end in _runs(column.slots))


def _spanning_limits(inp: CoverInput) -> list[int]:
    """Per column, the shortest limit of a rotation window it spans and its type may fill (0:
    none)."""
    limits = [0] * len(inp.columns)
    if not inp.rotation:
        return limits
    for j, c in enumerate(inp.columns):
        for window in inp.rotation:
            if window.post_type not in inp.covers[c.officer_type] or not _spans(c, window):
                continue
            if limits[j] == 0 or window.limit < limits[j]:
                limits[j] = window.limit
    return limits


def _runs(slots: Sequence[int]) -> list[tuple[int, int]]:
    """Maximal runs [first, end) of consecutive slots in sorted ``slots``."""
    runs: list[tuple[int, int]] = []
    for s in slots:
        if runs and runs[-1][1] == s:
            runs[-1] = (runs[-1][0], s + 1)
        else:
            runs.append((s, s + 1))
    return runs


def working_officers(
    model: cp_model.CpModel, inp: CoverInput, x: Sequence[cp_model.IntVar], x_upper: Sequence[int]
) -> list[list[cp_model.IntVar | None]]:
    """``w[a][s]``: officers of type ``a`` working slot ``s`` (None where no column covers it).

    Counted as a running total, w[s] = w[s-1] + (runs starting at s) - (runs ending at s), so
    each column appears in two constraints per run of slots (a shift with a break has two) rather
    than in one per slot it covers. On the 16 h, 5,000-officer benchmark this cut the nonzeros
    from 277,000 to 43,000 and the time to the proven minimum headcount from 11.4 s to 2.8 s.
    """
    n_types = len(inp.covers)
    # delta[a][s]: (variables, coefficients) of the change in officers on duty at slot s.
    delta: list[list[tuple[list[cp_model.IntVar], list[int]]]] = [
        [([], []) for _ in range(inp.n_slots + 1)] for _ in range(n_types)
    ]
    upper = [0] * n_types
    for j, c in enumerate(inp.columns):
        upper[c.officer_type] += x_upper[j]
        for first, end in _runs(c.slots):
            for slot, sign in ((first, 1), (end, -1)):
                delta[c.officer_type][slot][0].append(x[j])
                delta[c.officer_type][slot][1].append(sign)
    working: list[list[cp_model.IntVar | None]] = []
    for a in range(n_types):
        row: list[cp_model.IntVar | None] = []
        previous: cp_model.IntVar | None = None
        for s in range(inp.n_slots):
            if previous is None and not delta[a][s][0]:
                row.append(None)
                continue
            w = model.new_int_var(0, upper[a], f"w[{a}|{s}]")
            change = cp_model.LinearExpr.weighted_sum(*delta[a][s])
            model.add(w == change if previous is None else w == previous + change)
            row.append(w)
            previous = w
        working.append(row)
    return working


def _add_rotation_reserve(
    model: cp_model.CpModel,
    inp: CoverInput,
    x: Sequence[cp_model.IntVar],
    working: Sequence[Sequence[cp_model.IntVar | None]],
    flow_of: dict[tuple[int, int, int], cp_model.LinearExprT],
    shortfall: dict[tuple[int, int, int], cp_model.IntVar],
) -> list[cp_model.IntVar]:
    """Add the rotation reserve constraints (module docstring); return the variables made."""
    made: list[cp_model.IntVar] = []
    if not inp.rotation:
        return made
    missing: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (b, _, s), u in shortfall.items():
        missing.setdefault((b, s), []).append(u)
    runs_of = [(j, c.officer_type, _runs(c.slots)) for j, c in enumerate(inp.columns)]
    for k, window in enumerate(inp.rotation):
        b = window.post_type
        slots = range(window.first, window.end)
        if b >= len(inp.demand) or window.limit <= 0 or window.end > inp.n_slots:
            continue
        need = sum(inp.demand[b][s] for s in slots)
        if need <= 0:
            continue
        met = need - cp_model.LinearExpr.sum([u for s in slots for u in missing.get((b, s), [])])
        # Types with no officer on duty all through the window fill it by their flow alone.
        free: list[cp_model.LinearExprT] = []
        capped: list[tuple[cp_model.LinearExpr, cp_model.LinearExpr]] = []
        for a, targets in enumerate(inp.covers):
            if b not in targets:
                continue
            flows = [flow_of[a, b, s] for s in slots if (a, b, s) in flow_of]
            if not flows:
                continue
            full = [
                x[j]
                for j, t, runs in runs_of
                if t == a and any(f <= window.first and window.end <= e for f, e in runs)
            ]
            if not full:
                free.extend(flows)
                continue
            on_duty = [w for s in slots if (w := working[a][s]) is not None]
            capped.append(
                (
                    cp_model.LinearExpr.sum(flows),
                    cp_model.LinearExpr.sum(on_duty) - cp_model.LinearExpr.sum(full),
                )
            )
        if not capped:
            continue
        if len(capped) == 1:
            # The flow cap is implied: the per-slot cover already makes the flows reach ``met``.
            model.add(met <= capped[0][1] + cp_model.LinearExpr.sum(free))
            continue
        parts = []
        for i, (flow, reserve) in enumerate(capped):
            part = model.new_int_var(0, need, f"c[{k}|{i}]")
            model.add(part <= flow)
            model.add(part <= reserve)
            parts.append(part)
        made.extend(parts)
        model.add(met <= cp_model.LinearExpr.sum(parts) + cp_model.LinearExpr.sum(free))
    return made


def _add_people(
    model: cp_model.CpModel, inp: CoverInput, x: Sequence[cp_model.IntVar], upper: Sequence[int]
) -> tuple[dict[int, cp_model.IntVar], list[cp_model.IntVar]]:
    """``people[g]`` for each group whose officers may work several shifts, capped by its size.

    A shift occupies its officer over [start, end + rest). Those intervals form an interval
    graph, and interval graphs are perfect: the fewest officers who can work the chosen shifts
    with the rest between them is the most intervals covering one instant, which greedy chaining
    by start time reaches (``optimizer.roster.chain``). The most is reached at some start, so
    ``people[g]`` is at least the shifts covering each distinct start. Under a work cap each
    officer works at most the cap, so ``people[g] * cap`` covers the group's working minutes
    too; that is necessary only, and the chaining then says whether the cap let it reach the
    count. Returns the people variables and every variable made (for full hints).
    """
    made: list[cp_model.IntVar] = []
    people: dict[int, cp_model.IntVar] = {}
    chained = inp.chained_groups()
    if not chained:
        return people, made
    members: dict[int, list[int]] = {g: [] for g in chained}
    for j, c in enumerate(inp.columns):
        if c.group in members:
            members[c.group].append(j)
    for g in sorted(chained):
        cols = members[g]
        cap = inp.group_caps[g]
        most = min(cap, sum(upper[j] for j in cols))
        p = model.new_int_var(0, most, f"people[{g}]")
        # The shifts live at each start, as a running total (as ``working_officers`` does):
        # each column then sits in two rows, not in one per start its interval spans. Sums per
        # start made the two-day route test find no roster in 10 s.
        starts = sorted({inp.columns[j].start_min for j in cols})
        arriving: dict[int, list[cp_model.IntVar]] = {t: [] for t in starts}
        leaving: dict[int, list[cp_model.IntVar]] = {t: [] for t in starts}
        for j in cols:
            c = inp.columns[j]
            arriving[c.start_min].append(x[j])
            # Free again at end + rest: counted out at the first start from then on.
            k = bisect.bisect_left(starts, c.end_min + inp.min_rest)
            if k < len(starts):
                leaving[starts[k]].append(x[j])
        previous: cp_model.IntVar | None = None
        for t in starts:
            live = model.new_int_var(0, most, f"live[{g}|{t}]")
            change = cp_model.LinearExpr.sum(arriving[t]) - cp_model.LinearExpr.sum(leaving[t])
            model.add(live == change if previous is None else live == previous + change)
            model.add(p >= live)
            made.append(live)
            previous = live
        work = inp.work_caps[g] if g < len(inp.work_caps) else None
        if work is not None:
            model.add(
                p * work
                >= cp_model.LinearExpr.weighted_sum(
                    [x[j] for j in cols], [inp.columns[j].working_min for j in cols]
                )
            )
        people[g] = p
        made.append(p)
    return people, made


def build_cover_model(inp: CoverInput, allow_shortfall: bool = False) -> CoverModel:
    """Build the covering model for ``inp``.

    Parameters
    ----------
    inp
        The covering problem.
    allow_shortfall
        Add shortfall variables so the model is always feasible; their sum is the ``uncovered``
        objective. Without them the model is infeasible when the pool cannot cover the demand.

    Returns
    -------
    CoverModel
        The model with the ``headcount``, ``paid_minutes`` (and ``uncovered``) expressions.
    """
    model = cp_model.CpModel()
    n_types = len(inp.covers)
    n_post_types = len(inp.demand)
    demanded = [any(row) for row in inp.demand]
    # coverable[a][s]: demand officers of type a could fill in slot s, bounding its columns.
    coverable = [
        [
            sum(inp.demand[b][s] for b in inp.covers[a] if b < n_post_types)
            for s in range(inp.n_slots)
        ]
        for a in range(n_types)
    ]
    spanning = _spanning_limits(inp)
    upper = [
        _column_upper_bound(c, coverable, inp.group_caps[c.group], limit)
        for c, limit in zip(inp.columns, spanning, strict=True)
    ]
    x = [
        model.new_int_var(0, ub, f"x[{j}|g{c.group}]")
        for j, (c, ub) in enumerate(zip(inp.columns, upper, strict=True))
    ]
    working = working_officers(model, inp, x, upper)
    # Officers of each type reaching each post type, per slot.
    inflow: list[list[list[cp_model.LinearExprT]]] = [
        [[] for _ in range(inp.n_slots)] for _ in range(n_post_types)
    ]
    variables = list(x) + [w for row in working for w in row if w is not None]
    substitutes: list[cp_model.LinearExprT] = []
    # flow_of[a, b, s]: what type a contributes to the cover of post type b in slot s.
    flow_of: dict[tuple[int, int, int], cp_model.LinearExprT] = {}
    for a in range(n_types):
        targets = [b for b in inp.covers[a] if b < n_post_types and demanded[b]]
        for s in range(inp.n_slots):
            on_duty = working[a][s]
            if on_duty is None:
                continue
            live = [b for b in targets if inp.demand[b][s] > 0]
            if len(live) == 1:
                inflow[live[0]][s].append(on_duty)
                flow_of[a, live[0], s] = on_duty
                if live[0] != a:
                    substitutes.append(on_duty)
            elif len(live) > 1:
                flows = [model.new_int_var(0, inp.demand[b][s], f"f[{a}->{b}|{s}]") for b in live]
                variables.extend(flows)
                model.add(sum(flows) <= on_duty)
                for b, flow in zip(live, flows, strict=True):
                    inflow[b][s].append(flow)
                    flow_of[a, b, s] = flow
                    if b != a:
                        substitutes.append(flow)

    shortfall: dict[tuple[int, int, int], cp_model.IntVar] = {}
    weights: list[int] = []
    for b in range(n_post_types):
        tiers = inp.tiers[b] if b < len(inp.tiers) and inp.tiers[b] else ((1, inp.demand[b]),)
        for s in range(inp.n_slots):
            need = inp.demand[b][s]
            if need <= 0:
                continue
            terms = list(inflow[b][s])
            if allow_shortfall:
                for k, (weight, row) in enumerate(tiers):
                    if row[s] <= 0:
                        continue
                    u = model.new_int_var(0, row[s], f"u[{b}|{k}|{s}]")
                    shortfall[b, k, s] = u
                    weights.append(weight)
                    variables.append(u)
                    terms.append(u)
            model.add(sum(terms) >= need)
    variables.extend(_add_rotation_reserve(model, inp, x, working, flow_of, shortfall))

    by_group: list[list[cp_model.IntVar]] = [[] for _ in inp.group_caps]
    for j, c in enumerate(inp.columns):
        by_group[c.group].append(x[j])
    people, made = _add_people(model, inp, x, upper)
    variables.extend(made)
    for g, cap in enumerate(inp.group_caps):
        if g not in people and len(by_group[g]) > 1:
            model.add(sum(by_group[g]) <= cap)

    # Objectives stay expressions: defining them as variables adds a dense row to the LP.
    if people:
        headcount = cp_model.LinearExpr.sum(
            [*people.values(), *(x[j] for j, c in enumerate(inp.columns) if c.group not in people)]
        )
    else:
        headcount = cp_model.LinearExpr.sum(x)
    paid_minutes = cp_model.LinearExpr.weighted_sum(x, [c.cost for c in inp.columns])
    uncovered = (
        cp_model.LinearExpr.weighted_sum(list(shortfall.values()), weights)
        if allow_shortfall
        else None
    )
    # On-duty officer-slots less the demand: the columns' working slots, offset by a constant.
    demanded_slots = sum(sum(row) for row in inp.demand)
    over_cover = (
        cp_model.LinearExpr.weighted_sum(x, [len(c.slots) for c in inp.columns]) - demanded_slots
    )
    substitution = cp_model.LinearExpr.sum(substitutes)
    return CoverModel(
        model,
        x,
        headcount,
        paid_minutes,
        uncovered,
        over_cover,
        substitution,
        shortfall,
        variables,
        substitutable=bool(substitutes),
        people=people,
        group_columns={g: xs for g, xs in enumerate(by_group) if xs},
    )
