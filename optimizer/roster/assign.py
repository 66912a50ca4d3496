"""From officers per template to named shifts with a post for every working slot.

Slot by slot, the officers on duty are sent to posts by a min-cost flow (a transportation problem,
so it never fails when the per-type cover of the model holds, and it covers as much as possible
when it does not). Arc costs, in decreasing weight:

1. every required officer-slot filled (a large reward times the post's shortfall weight, so
   coverage always wins and, when officers are too few, the heavier posts are filled first);
2. an officer stays at the post held in their previous working slot (moves cost, and moving to a
   substitute type's post costs more than to a post of one's own type);
3. officers not needed stay where they are while that post is still open, otherwise they join
   the open post of their type with the highest requirement in the slot.

The flow is solved on groups of identical officers (same type, same previous post) and then split
onto officers in a fixed order, so the same inputs always give the same shifts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
from optimizer.roster.model import Column
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
                while True:
                    next_number[group.officer_type] += 1
                    officer_id = f"{group.officer_type}-{next_number[group.officer_type]:04d}"
                    if officer_id not in taken:
                        break
            duties.append(
                Duty(
                    officer_id,
                    group.officer_type,
                    templates.templates[column.template],
                    column.group,
                )
            )
    return duties


class _Costs:
    """Integer arc costs with the priorities of the module docstring kept strictly apart."""

    def __init__(self, n_posts: int, n_officers: int) -> None:
        unit = n_posts + 1  # ranks run 0..n_posts-1, below one unit
        self.move = 2 * unit
        self.move_substitute = 3 * unit
        self.closed = 6 * unit
        # Larger than anything the other costs of all officers together can add up to.
        self.reward = 10 * unit * (n_officers + 1) + 1


def _assign_slot(
    slot: int,
    on_duty: Sequence[int],
    duties: Sequence[Duty],
    previous: Sequence[int],
    requirements: Sequence[Requirement],
    posts_by_type: Mapping[OfficerTypeId, Sequence[int]],
    covers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]],
    weights: Sequence[int],
) -> dict[int, int]:
    """Post index for each duty on duty in ``slot`` (officers with no post they may fill: none)."""
    groups: dict[tuple[OfficerTypeId, int], list[int]] = {}
    for i in on_duty:
        if any(b in posts_by_type for b in covers[duties[i].officer_type]):
            groups.setdefault((duties[i].officer_type, previous[i]), []).append(i)
    if not groups:
        return {}
    post_types = list(posts_by_type)
    n_posts = len(requirements)
    total = sum(len(members) for members in groups.values())
    costs = _Costs(n_posts, total)
    hub0 = len(groups)
    post0 = hub0 + len(post_types)
    sink = post0 + n_posts
    mcf = min_cost_flow.SimpleMinCostFlow()

    # Open posts of a type, ranked by this slot's requirement (ties: requirement order).
    rank: dict[int, int] = {}
    for b in post_types:
        ordered = sorted(posts_by_type[b], key=lambda p: (-requirements[p].officers[slot], p))
        rank.update({p: r for r, p in enumerate(ordered)})

    stay_arcs: list[tuple[int, int]] = []  # (group node, arc)
    hub_arcs: list[tuple[int, int, int]] = []  # (group node, hub, arc)
    keys = list(groups)
    for g, (officer_type, prev) in enumerate(keys):
        size = len(groups[officer_type, prev])
        mcf.set_node_supply(g, size)
        if prev >= 0:
            stay_arcs.append((g, mcf.add_arc_with_capacity_and_unit_cost(g, post0 + prev, size, 0)))
        for h, b in enumerate(post_types):
            if b in covers[officer_type]:
                cost = costs.move if b == officer_type else costs.move_substitute
                arc = mcf.add_arc_with_capacity_and_unit_cost(g, hub0 + h, size, cost)
                hub_arcs.append((g, h, arc))
    post_arcs: list[tuple[int, int, int]] = []  # (hub, post, arc)
    for h, b in enumerate(post_types):
        for p in posts_by_type[b]:
            arc = mcf.add_arc_with_capacity_and_unit_cost(hub0 + h, post0 + p, total, rank[p])
            post_arcs.append((h, p, arc))
    for p, req in enumerate(requirements):
        need = req.officers[slot]
        if need > 0:
            mcf.add_arc_with_capacity_and_unit_cost(
                post0 + p, sink, need, -costs.reward * weights[p]
            )
        mcf.add_arc_with_capacity_and_unit_cost(
            post0 + p, sink, total, 0 if need > 0 else costs.closed
        )
    mcf.set_node_supply(sink, -total)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise SolverError(f"post assignment failed in slot {slot}: min-cost flow status {status}")

    result: dict[int, int] = {}
    pending: dict[int, list[int]] = {g: list(groups[key]) for g, key in enumerate(keys)}
    for g, arc in stay_arcs:
        for _ in range(mcf.flow(arc)):
            result[pending[g].pop(0)] = keys[g][1]
    at_hub: dict[int, list[int]] = defaultdict(list)
    for g, h, arc in hub_arcs:
        for _ in range(mcf.flow(arc)):
            at_hub[h].append(pending[g].pop(0))
    for h, p, arc in post_arcs:
        for _ in range(mcf.flow(arc)):
            result[at_hub[h].pop(0)] = p
    return result


def _stints(
    duty: Duty, posts: Mapping[int, int], requirements: Sequence[Requirement], grid: TimeGrid
) -> tuple[Stint, ...]:
    """Merge consecutive slots at one post; stints stop at the break and cover the whole shift.

    The first and last stint of each side of the break stretch to that side's ends, so the minutes
    between a break ending mid-slot and the next slot are spent at the next post.
    """
    t = duty.template
    if t.break_end_min > t.break_start_min:
        segments = [(t.start_min, t.break_start_min), (t.break_end_min, t.end_min)]
    else:
        segments = [(t.start_min, t.end_min)]
    stints: list[Stint] = []
    last: int | None = next(iter(posts.values()), None)
    for seg_start, seg_end in segments:
        runs: list[list[int]] = []  # [post, start_min, end_min]
        for slot in t.slots:
            lo: Minutes = grid.slot_start(slot)
            hi = lo + grid.slot_min
            p = posts.get(slot)
            if p is None or lo < seg_start or hi > seg_end:
                continue
            if runs and runs[-1][0] == p and runs[-1][2] == lo:
                runs[-1][2] = hi
            else:
                runs.append([p, lo, hi])
        if not runs:
            if last is None or seg_end <= seg_start:
                continue
            runs = [[last, seg_start, seg_end]]
        runs[0][1] = seg_start
        runs[-1][2] = seg_end
        stints.extend(Stint(requirements[p].post_id, lo, hi) for p, lo, hi in runs)
        last = runs[-1][0]
    return tuple(stints)


def assign_posts(
    duties: Sequence[Duty],
    requirements: Sequence[Requirement],
    covers: Mapping[OfficerTypeId, Sequence[OfficerTypeId]],
    grid: TimeGrid,
    weights: Sequence[int] | None = None,
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

    Returns
    -------
    Assignment
        Shifts in the order of ``duties``, and the officers each post gets in each slot.
    """
    posts_by_type: dict[OfficerTypeId, list[int]] = defaultdict(list)
    for p, req in enumerate(requirements):
        posts_by_type[req.officer_type].append(p)
    on_duty: list[list[int]] = [[] for _ in range(grid.n_slots)]
    for i, duty in enumerate(duties):
        for slot in duty.template.slots:
            on_duty[slot].append(i)
    post_weights = tuple(weights) if weights is not None else (1,) * len(requirements)
    previous = [-1] * len(duties)
    posts_of: list[dict[int, int]] = [{} for _ in duties]
    staffed = [[0] * grid.n_slots for _ in requirements]
    for slot in range(grid.n_slots):
        if not on_duty[slot]:
            continue
        placed = _assign_slot(
            slot, on_duty[slot], duties, previous, requirements, posts_by_type, covers, post_weights
        )
        for i, p in placed.items():
            posts_of[i][slot] = p
            previous[i] = p
            staffed[p][slot] += 1
    shifts = tuple(
        Shift(
            d.officer_id,
            d.officer_type,
            d.template.start_min,
            d.template.end_min,
            d.template.break_start_min,
            d.template.break_end_min,
            _stints(d, posts_of[i], requirements, grid),
        )
        for i, d in enumerate(duties)
    )
    staffed_by_post = {req.post_id: tuple(staffed[p]) for p, req in enumerate(requirements)}
    return Assignment(shifts, staffed_by_post)


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
