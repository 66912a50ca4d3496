"""From officers per template to named shifts with a post for every working slot.

Slot by slot, the officers on duty are sent to posts by a min-cost flow (a transportation problem,
so it never fails when the per-type cover of the model holds, and it covers as much as possible
when it does not). Arc costs, in decreasing weight:

1. every required officer-slot filled (a large reward times the post's shortfall weight, so
   coverage always wins and, when officers are too few, the heavier posts are filled first);
2. officers walk to another zone (covering nothing on the way) toward a post whose requirement
   is about to grow;
3. an officer stands at the post a previously published roster gave them in the slot (the
   re-planning hook: cheaper than any other placement that covers as much);
4. an officer stays at the post held in their previous working slot (moves cost, and moving to a
   substitute type's post costs more than to a post of one's own type);
5. officers not needed stay where they are while that post is still open, otherwise they join
   the open post of their type with the highest requirement in the slot; covering nothing at
   all comes last.

The post rules (``optimizer.roster.rules``) are not costs but which arcs exist: an officer at the
rotation limit has no arc back to the post, one short of the minimum stint only that arc, one who
walks has none until arrival and then only the arc to where they were going.

The flow is solved on groups of identical officers (same type, previous post, preferred post and
rule state) and then split onto officers in a fixed order, so the same inputs always give the
same shifts.

Seeing one slot at a time, the flow can fail the rules' look-ahead: at one rotating post it keeps
the officers who are there until all reach the limit together, and a minimum stint holds an
officer where the demand is about to drop. Where it leaves a post short, the posts of that group
of types are solved again with CP-SAT (``optimizer.roster.repair``). On one post needing 2
officers for 5 slots with a 2-slot limit, the flow covers 9 of 10 officer-slots with the 3
officers the shift model chose (it needed 5); the repair staggers their stand-downs and covers
all 10.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ortools.graph.python import min_cost_flow

from optimizer.domain.runs import equal_runs
from optimizer.domain.types import (
    Minutes,
    OfficerTypeId,
    PostId,
    PostShortfall,
    Requirement,
    Shift,
    Shortfall,
    Stint,
    TimeGrid,
)
from optimizer.errors import SolverError
from optimizer.roster.extent import Extent, extents_of
from optimizer.roster.model import Column
from optimizer.roster.repair import RepairJob, moves, repair_posts
from optimizer.roster.rules import PostRules
from optimizer.roster.templates import Template, TemplateSet


@dataclass(frozen=True)
class Duty:
    """One officer working one template, before posts are known."""

    officer_id: str
    officer_type: OfficerTypeId
    template: Template
    group: int


@dataclass(frozen=True)
class Assignment:
    """Shifts with stints, and the officers each post actually gets per slot."""

    shifts: tuple[Shift, ...]
    staffed: Mapping[PostId, tuple[int, ...]]
    # Moves the rotation limit forced, and minutes walked between zones, over all officers.
    rotations: int = 0
    travel_min: int = 0


def name_duties(
    templates: TemplateSet, columns: Sequence[Column], counts: Sequence[int]
) -> list[Duty]:
    """Expand column counts into duties with officer ids.

    Duties are ordered by type, start, length, break start and group. A group hands out its named
    officers' ids first (sorted); anonymous officers are numbered ``<type>-0001`` upwards per type
    in that order, skipping any number that a named officer already uses.
    """
    chosen = []
    for column, count in zip(columns, counts, strict=True):
        if count <= 0:
            continue
        t = templates.templates[column.template]
        group = templates.groups[column.group]
        key = (group.officer_type, t.start_min, t.length_min, t.break_start_min, column.group)
        chosen.append((key, column, count))
    chosen.sort(key=lambda item: item[0])
    taken = {oid for g in templates.groups for oid in g.officer_ids}
    used_in_group: dict[int, int] = defaultdict(int)
    next_number: dict[OfficerTypeId, int] = defaultdict(int)
    duties = []
    for _, column, count in chosen:
        group = templates.groups[column.group]
        for _ in range(count):
            k = used_in_group[column.group]
            used_in_group[column.group] += 1
            if k < len(group.officer_ids):
                officer_id = group.officer_ids[k]
            else:
                officer_id = next_anonymous_id(group.officer_type, next_number, taken)
            duties.append(
                Duty(
                    officer_id,
                    group.officer_type,
                    templates.templates[column.template],
                    column.group,
                )
            )
    return duties


def next_anonymous_id(
    officer_type: OfficerTypeId, next_number: dict[OfficerTypeId, int], taken: Container[str]
) -> str:
    """The next ``<type>-0001``-style id of ``officer_type`` not in ``taken`` (advances
    ``next_number``)."""
    while True:
        next_number[officer_type] += 1
        officer_id = f"{officer_type}-{next_number[officer_type]:04d}"
        if officer_id not in taken:
            return officer_id


class _Costs:
    """Integer arc costs with the priorities of the module docstring kept strictly apart."""

    def __init__(self, n_posts: int, n_officers: int, max_weight: int) -> None:
        unit = n_posts + 1  # ranks run 0..n_posts-1, below one unit
        self.move = 2 * unit
        self.move_substitute = 3 * unit
        self.closed = 6 * unit
        # A bonus above the most any other placement can cost one officer (under 10 units), so
        # the post held in a published roster wins over every placement that covers as much.
        self.prefer = 11 * unit
        # Covering nothing at all: only when the rules leave an officer no post.
        self.idle = 12 * unit
        # One officer's costs span [-prefer, idle]; a walk toward a post that will need the
        # officer outweighs any of them for all officers together, and covering now outweighs
        # any such walk.
        self.future = 23 * unit * (n_officers + 1) + 1
        self.reward = (max_weight + 1) * self.future


_FREE, _STAY, _LEAVE, _FORCED = range(4)
# How far ahead an officer with nothing to do looks for the post to wait at.
LOOKAHEAD_SLOTS = 4


class _Key(NamedTuple):
    """What makes officers interchangeable in one slot's flow.

    ``mode``: free to stay or move, must stay (short of the minimum stint), must leave (at the
    rotation limit) or forced to ``target`` (arriving from a walk); ``near`` the zone classes
    reachable at once, ``far`` those reachable by walking.
    """

    officer_type: OfficerTypeId
    previous: int
    preferred: int
    mode: int
    target: int
    near: tuple[int, ...]
    far: tuple[int, ...]
    # Off posts since the last slot worked (stood down or back from the break).
    resuming: bool = False


@dataclass
class _State:
    """Where one officer stands before a slot."""

    previous: int = -1  # post of the last slot worked (kept over the break), -1: none yet
    left_min: Minutes = 0  # when the officer left ``previous`` (end of that slot)
    segment: int = -1
    run_post: int = -1  # post of the current run in this segment, -1: none
    run_start: Minutes = 0
    run_end: Minutes = 0
    transit: tuple[int, int] | None = None  # (post, arrival slot) while walking to another zone


def _split_order(state: _State) -> tuple[int, Minutes]:
    """Officers at a post first, the freshest first; then those standing down (they stay down
    while not needed, so two officers do not take turns slot by slot)."""
    return (0, -state.run_start) if state.run_post >= 0 else (1, 0)


@dataclass(frozen=True)
class _Slot:
    """What the flow of one slot sees: the requirement, the rules and per-post lookups."""

    slot: int
    requirements: Sequence[Requirement]
    posts_by_type: Mapping[OfficerTypeId, Sequence[int]]
    covers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]]
    weights: Sequence[int]
    zone_class: Sequence[int]
    future_cap: Sequence[int]
    limits: Sequence[Minutes]


def _assign_slot(
    ctx: _Slot,
    members: Mapping[_Key, Sequence[int]],
    n_officers: int,
) -> tuple[dict[int, int], dict[int, int]]:
    """Post per officer placed in the slot, and post per officer who starts walking to it.

    ``members`` maps group keys to the officers (duty indices) in them.
    """
    slot, requirements = ctx.slot, ctx.requirements
    post_types = list(ctx.posts_by_type)
    n_posts = len(requirements)
    n_classes = max(ctx.zone_class, default=-1) + 1
    costs = _Costs(n_posts, n_officers, max(ctx.weights, default=1))
    keys = list(members)
    n_hubs = len(post_types) * n_classes
    hub0 = len(keys)
    far_hub0 = hub0 + n_hubs
    post0 = far_hub0 + n_hubs
    future0 = post0 + n_posts
    sink = future0 + n_posts
    mcf = min_cost_flow.SimpleMinCostFlow()

    def hub(h: int, c: int) -> int:
        return h * n_classes + c

    # Posts of a type, ranked by this slot's requirement, then by the most they need over the
    # next few slots (so an officer with nothing to do waits where work is coming), then by
    # requirement order.
    rank: dict[int, int] = {}
    for b in post_types:
        ordered = sorted(
            ctx.posts_by_type[b],
            key=lambda p: (
                -requirements[p].officers[slot],
                -max(requirements[p].officers[slot + 1 : slot + 1 + LOOKAHEAD_SLOTS], default=0),
                p,
            ),
        )
        rank.update({p: r for r, p in enumerate(ordered)})

    direct: list[tuple[int, int, int]] = []  # (group, post, arc)
    to_hub: list[tuple[int, int, int]] = []  # (group, hub, arc)
    to_far: list[tuple[int, int, int]] = []  # (group, far hub, arc)
    for g, key in enumerate(keys):
        officer_type, previous, preferred, mode, target, near, far, resuming = key
        size = len(members[key])
        mcf.set_node_supply(g, size)
        allowed = ctx.covers[officer_type]

        def add_direct(p: int, cost: int, g: int = g, size: int = size) -> None:
            arc = mcf.add_arc_with_capacity_and_unit_cost(g, post0 + p, size, cost)
            direct.append((g, p, arc))

        if mode in (_STAY, _FORCED):
            add_direct(target, -costs.prefer if preferred == target else 0)
            continue
        if mode == _FREE and previous >= 0:
            # Going back costs a little more than staying on, so an officer standing down is
            # not swapped in for one already there.
            back = int(resuming) - (costs.prefer if preferred == previous else 0)
            add_direct(previous, back)
        if preferred >= 0 and preferred != previous and ctx.zone_class[preferred] in near:
            add_direct(preferred, -costs.prefer)
        for h, b in enumerate(post_types):
            if b not in allowed:
                continue
            cost = costs.move if b == officer_type else costs.move_substitute
            for c in near:
                if mode == _LEAVE and previous >= 0 and c == ctx.zone_class[previous]:
                    # The hub of this zone leads back to the post the officer must leave.
                    for p in ctx.posts_by_type[b]:
                        if p != previous and ctx.zone_class[p] == c:
                            add_direct(p, cost + rank[p])
                    continue
                arc = mcf.add_arc_with_capacity_and_unit_cost(g, hub0 + hub(h, c), size, cost)
                to_hub.append((g, hub(h, c), arc))
            for c in far:
                arc = mcf.add_arc_with_capacity_and_unit_cost(g, far_hub0 + hub(h, c), size, cost)
                to_far.append((g, hub(h, c), arc))
        # At a post with a rotation limit, an officer not needed there stands down (a relief
        # that restarts the continuous time) rather than stand by; elsewhere only when nothing
        # else is allowed.
        rested = previous >= 0 and ctx.limits[previous] > 0
        mcf.add_arc_with_capacity_and_unit_cost(g, sink, size, -1 if rested else costs.idle)
    total = sum(len(m) for m in members.values())
    hub_post: list[tuple[int, int, int]] = []  # (hub, post, arc)
    far_post: list[tuple[int, int, int]] = []
    for h, b in enumerate(post_types):
        for p in ctx.posts_by_type[b]:
            c = ctx.zone_class[p]
            arc = mcf.add_arc_with_capacity_and_unit_cost(
                hub0 + hub(h, c), post0 + p, total, rank[p]
            )
            hub_post.append((hub(h, c), p, arc))
            if ctx.future_cap[p] > 0:
                arc = mcf.add_arc_with_capacity_and_unit_cost(
                    far_hub0 + hub(h, c), future0 + p, total, rank[p]
                )
                far_post.append((hub(h, c), p, arc))
    for p, req in enumerate(requirements):
        need = req.officers[slot]
        if need > 0:
            mcf.add_arc_with_capacity_and_unit_cost(
                post0 + p, sink, need, -costs.reward * ctx.weights[p]
            )
        mcf.add_arc_with_capacity_and_unit_cost(
            post0 + p, sink, total, 0 if need > 0 else costs.closed
        )
        if ctx.future_cap[p] > 0:
            mcf.add_arc_with_capacity_and_unit_cost(
                future0 + p, sink, ctx.future_cap[p], -costs.future * ctx.weights[p]
            )
    mcf.set_node_supply(sink, -total)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise SolverError(f"post assignment failed in slot {slot}: min-cost flow status {status}")

    placed: dict[int, int] = {}
    walking: dict[int, int] = {}
    pending: dict[int, list[int]] = {g: list(members[key]) for g, key in enumerate(keys)}
    for g, p, arc in direct:
        for _ in range(mcf.flow(arc)):
            placed[pending[g].pop(0)] = p
    for arcs, hub_arcs, out in ((to_hub, hub_post, placed), (to_far, far_post, walking)):
        at_hub: dict[int, list[int]] = defaultdict(list)
        for g, node, arc in arcs:
            for _ in range(mcf.flow(arc)):
                at_hub[node].append(pending[g].pop(0))
        for node, p, arc in hub_arcs:
            for _ in range(mcf.flow(arc)):
                out[at_hub[node].pop(0)] = p
    return placed, walking


def _stints(
    posts: Mapping[int, int],
    extents: Mapping[int, Extent],
    requirements: Sequence[Requirement],
) -> tuple[Stint, ...]:
    """Merge consecutive slots at one post into stints.

    A slot stands for its extent (``Extent``), so a stint that begins at the start of a shift
    or break end, or ends at the break or shift end, reaches it. Slots walked between zones, or
    left without a post, are gaps between stints.
    """
    runs: list[list[int]] = []  # [post, start_min, end_min]
    for slot in sorted(posts):
        p = posts[slot]
        extent = extents[slot]
        if runs and runs[-1][0] == p and runs[-1][2] == extent.lo:
            runs[-1][2] = extent.hi
        else:
            runs.append([p, extent.lo, extent.hi])
    return tuple(Stint(requirements[p].post_id, lo, hi) for p, lo, hi in runs)


def _zone_classes(rules: PostRules) -> list[int]:
    """Posts with the same travel to every post share a class (one zone, no travel: one class)."""
    classes: dict[tuple[Minutes, ...], int] = {}
    return [classes.setdefault(row, len(classes)) for row in rules.travel_min]


def assign_posts(
    duties: Sequence[Duty],
    requirements: Sequence[Requirement],
    covers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]],
    grid: TimeGrid,
    weights: Sequence[int] | None = None,
    preferred: Sequence[Mapping[int, int]] | None = None,
    rules: PostRules | None = None,
    repair: bool = True,
    stop_event: threading.Event | None = None,
) -> Assignment:
    """Give every duty a post in each working slot and build its shift.

    Parameters
    ----------
    duties
        Officers and their templates (see ``name_duties``).
    requirements
        One per post, with ``officers`` per slot of ``grid``.
    covers
        For each officer type, the post types it may fill (its own included).
    grid
        The time grid.
    weights
        Shortfall weight per requirement (``optimizer.roster.priority``; None: all 1). With too
        few officers on duty in a slot, the slot's weighted missing officer-slots are least.
    preferred
        Per duty, slot -> index into ``requirements`` of the post it held in a previously
        published roster (None: no preference). In such a slot, that post costs less than any
        other placement that covers as much; coverage and the rules still come first. Posts
        the duty's type may not fill are ignored.
    rules
        Rotation, minimum stint and travel (``optimizer.roster.rules.post_rules``; None: none).
        An officer whose continuous time at a post would exceed its limit must move; one who
        has stayed less than the minimum stint must stay (the break, which starts a new run,
        and the shift end cut stints short). A slot off every post (a relief: an officer not
        needed at a post with a rotation limit stands down) also starts a new run. Moving to a
        post whose travel time from the previous post is longer than the time since leaving it
        means walking: whole slots in which the officer covers nothing, until the first slot
        that starts at least that long after leaving. A walk only starts toward a post that
        will need more officers than it has within the longest walk, and arrives before the
        shift ends.
    repair
        Where the rules leave posts short after the slot-by-slot flow, solve windows of slots
        around the gaps exactly (``optimizer.roster.repair``) and keep what covers more. False:
        the flow alone.
    stop_event
        When set, the repair starts no further model and stops the one running (the roster
        solve was asked to stop; the flow's posts stand).

    Returns
    -------
    Assignment
        Shifts in the order of ``duties``, and the officers each post gets in each slot.
    """
    n_posts = len(requirements)
    post_rules = rules if rules is not None else PostRules.none(n_posts)
    posts_by_type: dict[OfficerTypeId, list[int]] = defaultdict(list)
    for p, req in enumerate(requirements):
        posts_by_type[req.officer_type].append(p)
    on_duty: list[list[int]] = [[] for _ in range(grid.n_slots)]
    extent_cache: dict[Template, dict[int, Extent]] = {}
    extents: list[dict[int, Extent]] = []
    for i, duty in enumerate(duties):
        for slot in duty.template.slots:
            on_duty[slot].append(i)
        if duty.template not in extent_cache:
            extent_cache[duty.template] = extents_of(duty.template, grid)
        extents.append(extent_cache[duty.template])
    post_weights = tuple(weights) if weights is not None else (1,) * n_posts
    zone_class = _zone_classes(post_rules)
    n_classes = max(zone_class, default=-1) + 1
    class_travel = [[0] * n_classes for _ in range(n_classes)]
    for p in range(n_posts):
        for q in range(n_posts):
            class_travel[zone_class[p]][zone_class[q]] = post_rules.travel_min[p][q]
    longest_walk = max((max(row) for row in post_rules.travel_min), default=0)
    walk_slots = -(-longest_walk // grid.slot_min)
    limit = post_rules.max_continuous_min
    fillable = {
        t: any(b in posts_by_type for b in covers[t]) for t in {d.officer_type for d in duties}
    }
    states = [_State() for _ in duties]
    last_slot = [max(d.template.slots, default=-1) for d in duties]
    posts_of: list[dict[int, int]] = [{} for _ in duties]
    staffed = [[0] * grid.n_slots for _ in requirements]
    walking_to = [0] * n_posts
    rotations = 0
    travel_total = 0
    rotations_of = [0] * len(duties)
    travel_of = [0] * len(duties)
    preferred_of: list[dict[int, int]] = [{} for _ in duties]
    for slot in range(grid.n_slots):
        if not on_duty[slot]:
            continue
        members: dict[_Key, list[int]] = {}
        forced_out: set[int] = set()
        for i in on_duty[slot]:
            duty, state, extent = duties[i], states[i], extents[i][slot]
            if not fillable[duty.officer_type]:
                continue
            if extent.segment != state.segment:
                state.segment = extent.segment
                state.run_post = -1
            preferred_post = -1
            if preferred is not None and i < len(preferred):
                p = preferred[i].get(slot, -1)
                if 0 <= p < n_posts and requirements[p].officer_type in covers[duty.officer_type]:
                    preferred_post = p
                    preferred_of[i][slot] = p
            if state.transit is not None:
                target, arrival = state.transit
                if slot < arrival:
                    continue
                state.transit = None
                walking_to[target] -= 1
                key = _Key(duty.officer_type, target, preferred_post, _FORCED, target, (), ())
                members.setdefault(key, []).append(i)
                continue
            q = state.previous
            stay_ok = q >= 0 and (
                state.run_post < 0 or not limit[q] or extent.hi - state.run_start <= limit[q]
            )
            leave_ok = (
                state.run_post < 0 or state.run_end - state.run_start >= post_rules.min_stint_min
            )
            if stay_ok and not leave_ok:
                key = _Key(duty.officer_type, q, preferred_post, _STAY, q, (), ())
                members.setdefault(key, []).append(i)
                continue
            mode = _FREE if stay_ok else _LEAVE
            if mode == _LEAVE and q >= 0:
                forced_out.add(i)
            if q < 0 or not walk_slots:
                near: tuple[int, ...] = tuple(range(n_classes))
                far: tuple[int, ...] = ()
            else:
                slack = extent.lo - state.left_min
                reach = extents[i][last_slot[i]].lo - state.left_min
                here = class_travel[zone_class[q]]
                near = tuple(c for c in range(n_classes) if here[c] <= slack)
                far = tuple(c for c in range(n_classes) if slack < here[c] <= reach)
            resuming = q >= 0 and state.run_post < 0
            key = _Key(duty.officer_type, q, preferred_post, mode, -1, near, far, resuming)
            members.setdefault(key, []).append(i)
        if not members:
            continue
        for officers in members.values():
            # Split in this order (``_split_order``): who comes first stays, who comes last
            # moves or stands down.
            officers.sort(key=lambda i: (*_split_order(states[i]), i))
        future_cap = [0] * n_posts
        if walk_slots:
            # Officers a post will need within the longest walk, less those it had in the last
            # slot and those already walking to it.
            for p, req in enumerate(requirements):
                ahead = max(req.officers[slot + 1 : slot + 1 + walk_slots], default=0)
                there = staffed[p][slot - 1] if slot > 0 else 0
                future_cap[p] = max(0, ahead - there - walking_to[p])
        ctx = _Slot(
            slot,
            requirements,
            posts_by_type,
            covers,
            post_weights,
            zone_class,
            future_cap,
            limit,
        )
        placed, walking = _assign_slot(ctx, members, sum(len(m) for m in members.values()))
        for i, p in placed.items():
            state, extent = states[i], extents[i][slot]
            if state.run_post != p:
                state.run_post = p
                state.run_start = extent.lo
            state.run_end = extent.hi
            state.previous = p
            state.left_min = extent.hi
            posts_of[i][slot] = p
            staffed[p][slot] += 1
            if i in forced_out:
                rotations += 1
                rotations_of[i] += 1
        for key, officers in members.items():
            if key.mode in (_FREE, _LEAVE):
                for i in officers:
                    if i not in placed and i not in walking:
                        # Stood down for the slot: a relief, which ends the continuous time.
                        states[i].run_post = -1
        for i, p in walking.items():
            state = states[i]
            need = post_rules.travel_min[state.previous][p]
            arrival = next(
                s
                for s in sorted(extents[i])
                if s > slot and extents[i][s].lo - state.left_min >= need
            )
            state.transit = (p, arrival)
            state.run_post = -1
            walking_to[p] += 1
            travel_total += need
            travel_of[i] += need
            if i in forced_out:
                rotations += 1
                rotations_of[i] += 1
    if repair and (any(limit) or post_rules.min_stint_min > 0 or post_rules.any_travel):
        job = RepairJob(
            duties,
            requirements,
            covers,
            post_weights,
            post_rules,
            extents,
            preferred_of,
            grid.slot_min,
            on_duty,
            stop_event,
        )
        for i in sorted(repair_posts(job, posts_of, staffed, grid.n_slots)):
            moved, walked = moves(posts_of[i], extents[i], post_rules)
            rotations += moved - rotations_of[i]
            travel_total += walked - travel_of[i]
    shifts = tuple(
        Shift(
            d.officer_id,
            d.officer_type,
            d.template.start_min,
            d.template.end_min,
            d.template.break_start_min,
            d.template.break_end_min,
            _stints(posts_of[i], extents[i], requirements),
        )
        for i, d in enumerate(duties)
    )
    staffed_by_post = {req.post_id: tuple(staffed[p]) for p, req in enumerate(requirements)}
    return Assignment(shifts, staffed_by_post, rotations, travel_total)


def shortfalls(
    requirements: Sequence[Requirement], staffed: Mapping[PostId, Sequence[int]], grid: TimeGrid
) -> tuple[Shortfall, ...]:
    """Officers missing per post type, as runs of consecutive slots with the same number missing."""
    missing: dict[OfficerTypeId, list[int]] = {}
    for req in requirements:
        row = missing.setdefault(req.officer_type, [0] * grid.n_slots)
        for s, need in enumerate(req.officers):
            row[s] += max(0, need - staffed[req.post_id][s])
    result = [
        Shortfall(officer_type, grid.slot_start(first), grid.slot_start(end), n)
        for officer_type, row in missing.items()
        for first, end, n in equal_runs(row)
        if n
    ]
    return tuple(sorted(result, key=lambda f: (f.officer_type, f.start_min)))


def post_shortfalls(
    requirements: Sequence[Requirement],
    staffed: Mapping[PostId, Sequence[int]],
    grid: TimeGrid,
    weights: Sequence[int],
) -> tuple[PostShortfall, ...]:
    """Officers missing per post, as runs of slots with the same number missing, heaviest first.

    Ordered by weight (descending), then post id and start.
    """
    result = [
        PostShortfall(
            req.post_id,
            req.officer_type,
            grid.slot_start(first),
            grid.slot_start(end),
            n,
            weight,
        )
        for req, weight in zip(requirements, weights, strict=True)
        for first, end, n in equal_runs(
            [max(0, need - staffed[req.post_id][s]) for s, need in enumerate(req.officers)]
        )
        if n
    ]
    return tuple(sorted(result, key=lambda f: (-f.weight, f.post_id, f.start_min)))
