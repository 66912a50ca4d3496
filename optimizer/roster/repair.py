"""Exact repair of the post assignment where the slot-by-slot flow leaves posts short under the
post rules.

The flow (``optimizer.roster.assign``) sees one slot at a time: at one rotating post it keeps the
officers who are there until all reach the limit together, and a minimum stint holds an officer
where the demand is about to drop. Here the posts of the officer types involved are solved again
with CP-SAT, over the whole event when the model is small enough, else in windows around a few
short slots: coverage first, then the fewest run starts. The rules are clauses that mirror the
independent checker (``optimizer.roster.check``). One worker and deterministic time limits, so
the same inputs give the same posts.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from optimizer.domain.types import Minutes, OfficerTypeId, Requirement
from optimizer.roster.extent import Extent
from optimizer.roster.rules import PostRules
from optimizer.roster.solver import solve_stoppable

if TYPE_CHECKING:
    from optimizer.roster.assign import Duty


# The exact repair (``repair_posts``): most officer x slot x post variables of one model, and
# CP-SAT's deterministic seconds for the coverage and then for the tie-breaks (single worker:
# the same inputs give the same posts). The music festival's traffic posts make 11,376
# variables, solved in 0.3 s plus 1.2 s (under load).
REPAIR_MAX_VARIABLES = 60_000
REPAIR_DETERMINISTIC_S = 2.0
REPAIR_POLISH_S = 0.2
# A larger group gets a window around each short slot when there are at most this many, each
# model with at most this many variables and this share of the time limits. The stadium with a
# 30-minute minimum stint: 5 short officer-slots to none in 2.5 s for one model's duties, 36 to
# 36 in 3.4 s for another's (11 covered in 11 s at the full time limits).
REPAIR_LOCAL_WINDOWS = 8
REPAIR_LOCAL_VARIABLES = 20_000
REPAIR_LOCAL_SHARE = 0.25
# Objective weights below coverage, per officer-slot: standing at a post that needs someone,
# standing at the post of a published roster, and (a cost) starting a run at a post.
_PRESENT, _PREFERRED, _START = 1, 3, 2


@dataclass(frozen=True)
class RepairJob:
    """What the exact repair needs besides the flow's posts: the duties, rules and lookups."""

    duties: Sequence[Duty]
    requirements: Sequence[Requirement]
    covers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]]
    weights: Sequence[int]
    rules: PostRules
    extents: Sequence[Mapping[int, Extent]]
    preferred: Sequence[Mapping[int, int]]
    slot_min: Minutes
    on_duty: Sequence[Sequence[int]]
    # Set when the roster solve is asked to stop: no further window starts, a running one ends.
    stop_event: threading.Event | None = None


def moves(
    held: Mapping[int, int], extents: Mapping[int, Extent], rules: PostRules
) -> tuple[int, int]:
    """Rotations and minutes walked of one officer's posts per slot (for shifts the repair
    changed): a rotation is leaving a post at its limit for another post (or a walk to one), as
    the flow counts it; a walk is any change to a post in a zone with travel between them (the
    flow leaves out those made over the break or a stand-down)."""
    slots = sorted(extents)
    rotations = walked = 0
    run_start: Minutes = 0
    last = -1
    for k, s in enumerate(slots):
        p = held.get(s, -1)
        if p >= 0 and (
            k == 0
            or held.get(slots[k - 1], -1) != p
            or (extents[slots[k - 1]].segment != extents[s].segment)
        ):
            run_start = extents[s].lo
        if p >= 0 and last >= 0 and p != last:
            walked += rules.travel_min[last][p]
        if p >= 0:
            last = p
        nxt = slots[k + 1] if k + 1 < len(slots) else None
        if p < 0 or nxt is None or extents[nxt].segment != extents[s].segment:
            continue
        limit = rules.max_continuous_min[p]
        if not limit or extents[nxt].hi - run_start <= limit:
            continue
        after = next((held[t] for t in slots[k + 1 :] if t in held), -1)
        if held.get(nxt, -1) >= 0 or (after >= 0 and rules.travel_min[p][after] > 0):
            rotations += 1
    return rotations, walked


def _components(
    requirements: Sequence[Requirement],
    covers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]],
    officer_types: Sequence[OfficerTypeId],
) -> dict[OfficerTypeId, OfficerTypeId]:
    """Post type -> a representative: post types joined by an officer type that fills both."""
    root = {r.officer_type: r.officer_type for r in requirements}

    def find(t: OfficerTypeId) -> OfficerTypeId:
        while root[t] != t:
            root[t] = root[root[t]]
            t = root[t]
        return t

    for t in sorted(set(officer_types)):
        fills = sorted(b for b in covers[t] if b in root)
        for b in fills[1:]:
            x, y = find(fills[0]), find(b)
            if x != y:
                root[max(x, y)] = min(x, y)
    return {b: find(b) for b in root}


def repair_posts(
    job: RepairJob,
    posts_of: list[dict[int, int]],
    staffed: list[list[int]],
    n_slots: int,
) -> set[int]:
    """Re-place officers where the slot-by-slot flow left posts short under the post rules.

    The flow decides each slot knowing only the next few, so under the rotation limit it can
    keep every officer at a post until all must leave together, and under a minimum stint it
    can place an officer where it will not need them for long. Per group of post types that
    share officers and have a post left short, when the group fits in one model
    (``REPAIR_MAX_VARIABLES``), the whole event is solved exactly with CP-SAT
    (``_solve_window``): each officer on duty gets a post or nothing per slot, the rules hold,
    the weighted officer-slots covered are most, and the answer is taken only when it covers
    more. So on such groups the assignment covers all that any rule-abiding placement of these
    duties can. A larger group with at most ``REPAIR_LOCAL_WINDOWS`` short slots gets a window
    around each (``_repair_locally``), a best effort. Updates ``posts_of`` and ``staffed`` in
    place and returns the duties whose posts changed.
    """
    requirements = job.requirements
    comp = _components(requirements, job.covers, [d.officer_type for d in job.duties])
    changed: set[int] = set()
    for root in sorted(set(comp.values())):
        if job.stop_event is not None and job.stop_event.is_set():
            break
        posts = [p for p, r in enumerate(requirements) if comp[r.officer_type] == root]
        officers = [
            i
            for i, d in enumerate(job.duties)
            if any(comp.get(b) == root for b in job.covers[d.officer_type])
        ]
        if not officers:
            continue
        if not any(
            need > n
            for p in posts
            for need, n in zip(requirements[p].officers, staffed[p], strict=True)
        ):
            continue
        fills = {
            t: len(_candidates(job, t, posts, 0, n_slots))
            for t in {job.duties[i].officer_type for i in officers}
        }
        size = sum(len(job.extents[i]) * fills[job.duties[i].officer_type] for i in officers)
        if size <= REPAIR_MAX_VARIABLES:
            changed |= _solve_window(job, posts, 0, n_slots, posts_of, staffed)
            continue
        gaps = [
            s
            for s in range(n_slots)
            if any(requirements[p].officers[s] > staffed[p][s] for p in posts)
        ]
        if len(gaps) > REPAIR_LOCAL_WINDOWS:
            # Windows around many short slots of a group this large were tried on the marathon
            # with a 30-minute minimum stint: 15 of 914 short officer-slots covered for 6.7 s.
            # The shift model's re-solve does better there.
            continue
        changed |= _repair_locally(job, posts, gaps, posts_of, staffed, n_slots)
    return changed


def _repair_locally(
    job: RepairJob,
    posts: Sequence[int],
    gaps: Sequence[int],
    posts_of: list[dict[int, int]],
    staffed: list[list[int]],
    n_slots: int,
) -> set[int]:
    """Windows around a few short slots of a group too large for one model.

    Each slot still short gets the slots within the longest rule (rotation limit, minimum
    stint, walk) either side, over the posts short there and, while the model stays within
    ``REPAIR_LOCAL_VARIABLES``, those with officers to spare (most first); officers at other
    posts keep them.
    """
    requirements, rules = job.requirements, job.rules
    longest = max(
        max((rules.max_continuous_min[p] for p in posts), default=0),
        rules.min_stint_min,
        max((rules.travel_min[p][q] for p in posts for q in posts), default=0),
    )
    reach = -(-longest // job.slot_min) + 1
    changed: set[int] = set()
    for g in gaps:
        if job.stop_event is not None and job.stop_event.is_set():
            break
        lo, hi = max(0, g - reach), min(n_slots, g + reach + 1)
        window = range(lo, hi)
        if not any(requirements[p].officers[g] > staffed[p][g] for p in posts):
            continue
        chosen = [
            p for p in posts if any(requirements[p].officers[s] > staffed[p][s] for s in window)
        ]
        spare = sorted(
            (-sum(max(0, staffed[p][s] - requirements[p].officers[s]) for s in window), p)
            for p in posts
            if p not in chosen
        )
        idle = sum(sum(1 for i in job.on_duty[s] if s not in posts_of[i]) for s in window)

        def size(subset: Sequence[int], window: range = window, idle: int = idle) -> int:
            return (sum(staffed[p][s] for p in subset for s in window) + idle) * len(subset)

        for surplus, p in spare:
            if surplus == 0 or size([*chosen, p]) > REPAIR_LOCAL_VARIABLES:
                break
            chosen.append(p)
        if size(chosen) <= REPAIR_LOCAL_VARIABLES:
            changed |= _solve_window(
                job, sorted(chosen), lo, hi, posts_of, staffed, REPAIR_LOCAL_SHARE
            )
    return changed


def _candidates(
    job: RepairJob, officer_type: OfficerTypeId, posts: Sequence[int], lo: int, hi: int
) -> list[int]:
    """Posts an officer of ``officer_type`` may take in slots [lo, hi): of a type they fill,
    needed in them."""
    allowed = job.covers[officer_type]
    return [
        p
        for p in posts
        if job.requirements[p].officer_type in allowed and any(job.requirements[p].officers[lo:hi])
    ]


def _solve_window(
    job: RepairJob,
    posts: Sequence[int],
    lo: int,
    hi: int,
    posts_of: list[dict[int, int]],
    staffed: list[list[int]],
    share: float = 1.0,
) -> set[int]:
    """The exact model of slots [lo, hi) over ``posts`` (see ``repair_posts``); applied when it
    covers more. Returns the duties moved. ``share`` scales CP-SAT's time limits.

    Free are the slots of the window in which an officer on duty holds one of ``posts`` or
    none; every other slot keeps its post and enters the rules as a constant.
    """
    requirements = job.requirements
    inside = set(posts)
    model = cp_model.CpModel()
    y: dict[tuple[int, int, int], cp_model.IntVar] = {}
    by_post_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    gain: list[tuple[cp_model.IntVar, int]] = []
    hint: list[tuple[cp_model.IntVar, int]] = []
    members: dict[int, set[int]] = {}
    types = {requirements[p].officer_type for p in posts}
    fills = {t: _candidates(job, t, posts, lo, hi) for t in job.covers}
    for i in sorted({i for s in range(lo, hi) for i in job.on_duty[s]}):
        if not types.intersection(job.covers[job.duties[i].officer_type]):
            continue
        held = posts_of[i]
        free = {s for s in job.extents[i] if lo <= s < hi and held.get(s, posts[0]) in inside}
        # The posts held in free slots stay open to them: a run there may have to go on.
        cands = sorted({*fills[job.duties[i].officer_type], *(held[s] for s in free if s in held)})
        if not free or not cands:
            continue
        members[i] = free
        pref = job.preferred[i]
        for s in sorted(free):
            row = []
            for p in cands:
                v = model.new_bool_var(f"y[{i},{s},{p}]")
                y[i, s, p] = v
                row.append(v)
                by_post_slot[p, s].append(v)
                hint.append((v, int(held.get(s) == p)))
                if requirements[p].officers[s] > 0:
                    gain.append((v, _PRESENT))
                if pref.get(s) == p:
                    gain.append((v, _PREFERRED))
            if len(row) > 1:
                model.add_at_most_one(row)
        context = {p for s, p in held.items() if s not in free}
        _add_rules(model, job, i, sorted(set(cands) | context), free, y, held, gain)
    if not y:
        return set()
    cover: list[tuple[cp_model.IntVar, int]] = []
    before = 0
    for p in posts:
        need_row = requirements[p].officers
        for s in range(lo, hi):
            need = need_row[s]
            terms = by_post_slot.get((p, s), [])
            if need <= 0 or not terms:
                continue
            before += job.weights[p] * min(need, staffed[p][s])
            c = model.new_int_var(0, min(need, len(terms)), f"c[{p},{s}]")
            model.add(c <= sum(terms))
            cover.append((c, job.weights[p]))
    covered = cp_model.LinearExpr.weighted_sum([c for c, _ in cover], [w for _, w in cover])
    # Coverage first, on its own: with the tie-breaks in the same objective, proving it optimal
    # took CP-SAT 10 s on five identical officers (their symmetry); alone it takes milliseconds.
    model.maximize(covered)
    for v, value in hint:
        model.add_hint(v, value)
    solver = _window_solver(REPAIR_DETERMINISTIC_S * share)
    if solve_stoppable(solver, model, job.stop_event) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return set()
    after = round(solver.objective_value)
    if after <= before:
        return set()
    # Then the tie-breaks, holding that coverage, from the first answer, for a short while.
    model.add(covered >= after)
    model.maximize(cp_model.LinearExpr.weighted_sum([v for v, _ in gain], [w for _, w in gain]))
    model.clear_hints()  # type: ignore[no-untyped-call]
    for v in y.values():
        model.add_hint(v, solver.value(v))
    polish = _window_solver(REPAIR_POLISH_S * share)
    if solve_stoppable(polish, model, job.stop_event) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solver = polish
    placed: dict[int, dict[int, int]] = {i: {} for i in members}
    for (i, s, p), v in y.items():
        if solver.value(v):
            placed[i][s] = p
    changed = set()
    for i, free in members.items():
        new = placed[i]
        old = {s: p for s, p in posts_of[i].items() if s in free}
        if new == old:
            continue
        changed.add(i)
        for s, p in old.items():
            staffed[p][s] -= 1
            del posts_of[i][s]
        for s, p in new.items():
            staffed[p][s] += 1
            posts_of[i][s] = p
    return changed


def _window_solver(deterministic_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = deterministic_s
    # CP-SAT's own SIGINT handler aborts the process when the solve runs off the main thread.
    solver.parameters.catch_sigint_signal = False
    return solver


_Literal = cp_model.IntVar | bool


def _add_rules(
    model: cp_model.CpModel,
    job: RepairJob,
    i: int,
    posts: Sequence[int],
    free: Container[int],
    y: Mapping[tuple[int, int, int], cp_model.IntVar],
    held: Mapping[int, int],
    gain: list[tuple[cp_model.IntVar, int]],
) -> None:
    """The post rules of officer ``i`` over their whole shift, as clauses of the window model.

    Slots not in ``free`` are constants (the posts held there). Within a segment (between shift
    start, break and shift end) consecutive working slots meet end to start, so a run is a block
    of them at one post: no block may span more than the post's limit; a block that starts must
    go on until it spans the minimum stint or reaches the segment end; between two posts whose
    travel is longer than the time between them, some post is held. These are the checker's
    rules (``optimizer.roster.check``), slot by slot. Adds the cost of starting runs to ``gain``.
    """
    ext = job.extents[i]
    rules = job.rules
    slots = sorted(ext)
    n = len(slots)
    where = [k for k in range(n) if slots[k] in free]
    lo, hi = slots[where[0]], slots[where[-1]] + 1

    def lit(k: int, p: int) -> _Literal:
        s = slots[k]
        if s in free:
            v = y.get((i, s, p))
            return False if v is None else v
        return held.get(s) == p

    def clause(some: Sequence[_Literal], not_all: Sequence[_Literal]) -> None:
        """At least one of ``some`` holds or one of ``not_all`` does not."""
        out: list[cp_model.LiteralT] = []
        for v in some:
            if v is True:
                return
            if v is not False:
                out.append(v)
        for v in not_all:
            if v is False:
                return
            if v is not True:
                out.append(v.Not())
        # Empty: the slots outside the window break the rule already, so no window is taken.
        model.add_bool_or(out)

    def touches(first: int, last: int) -> bool:
        return slots[last] >= lo and slots[first] < hi

    segment = [ext[s].segment for s in slots]
    same = [k > 0 and segment[k] == segment[k - 1] for k in range(n)]
    seg_last = list(range(n))
    for k in range(n - 2, -1, -1):
        if segment[k + 1] == segment[k]:
            seg_last[k] = seg_last[k + 1]
    for p in posts:
        limit = rules.max_continuous_min[p]
        if limit > 0:
            b = 0
            for a in range(n):
                b = max(b, a)
                while b <= seg_last[a] and ext[slots[b]].hi - ext[slots[a]].lo <= limit:
                    b += 1
                if b <= seg_last[a] and touches(a, b):
                    clause((), [lit(k, p) for k in range(a, b + 1)])
        if rules.min_stint_min > 0:
            for a in range(n):
                end = a
                while end < seg_last[a] and ext[slots[end]].hi - ext[slots[a]].lo < (
                    rules.min_stint_min
                ):
                    end += 1
                if end == a or not touches(a - 1 if same[a] else a, end):
                    continue
                before: _Literal = lit(a - 1, p) if same[a] else False
                for j in range(a + 1, end + 1):
                    clause([before, lit(j, p)], [lit(a, p)])
    if rules.any_travel:
        farthest = max(rules.travel_min[p][q] for p in posts for q in posts)
        for a in range(n):
            for b in range(a + 1, n):
                gap = ext[slots[b]].lo - ext[slots[a]].hi
                if gap >= farthest:
                    break
                if not touches(a, b):
                    continue
                between = [lit(k, r) for k in range(a + 1, b) for r in posts]
                for p in posts:
                    for q in posts:
                        if p != q and rules.travel_min[p][q] > gap:
                            clause(between, [lit(a, p), lit(b, q)])
    for k in where:
        for p in posts:
            v = lit(k, p)
            if v is False or v is True:
                continue
            previous: _Literal = lit(k - 1, p) if same[k] else False
            if previous is True:
                continue
            if previous is False:
                gain.append((v, -_START))
                continue
            start = model.new_bool_var(f"start[{i},{slots[k]},{p}]")
            model.add(start >= v - previous)
            gain.append((start, -_START))
