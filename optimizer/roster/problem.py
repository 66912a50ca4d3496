"""From a plan and its requirements to the covering problem the solver works on.

Officer types get fixed indices (the pool's order, then any other type by name), the requirement
is summed per post type and slot, the pool becomes groups with their allowed templates, and the
cheap bounds are computed on the way because they need the same pieces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from optimizer.domain.types import EventPlan, OfficerTypeId, Requirement
from optimizer.errors import InvalidInput, Violation
from optimizer.roster.bounds import CheapBounds, cheap_bounds, most_slots_per_officer
from optimizer.roster.chain import group_cap
from optimizer.roster.model import Column, CoverInput, RotationWindow
from optimizer.roster.priority import post_weights
from optimizer.roster.rules import post_rules
from optimizer.roster.templates import TemplateSet, template_set


@dataclass(frozen=True)
class RosterProblem:
    """Everything the roster solve derives from the plan before CP-SAT runs."""

    type_ids: tuple[OfficerTypeId, ...]
    covers: Mapping[OfficerTypeId, tuple[OfficerTypeId, ...]]
    templates: TemplateSet
    cover: CoverInput
    bounds: CheapBounds
    # Shortfall weight of each requirement's post, in the requirements' order.
    weights: tuple[int, ...] = ()

    @property
    def has_demand(self) -> bool:
        return any(any(row) for row in self.cover.demand)


def check_requirements(plan: EventPlan, requirements: Sequence[Requirement]) -> None:
    """Raise ``InvalidInput`` unless each requirement fits the grid, is >= 0, names a new post."""
    n_slots = plan.grid.n_slots
    violations = []
    seen: set[str] = set()
    for i, req in enumerate(requirements):
        if len(req.officers) != n_slots:
            violations.append(
                Violation(
                    f"requirements[{i}].officers",
                    f"has {len(req.officers)} slots, the grid has {n_slots}",
                )
            )
        if any(n < 0 for n in req.officers):
            violations.append(Violation(f"requirements[{i}].officers", "must not be negative"))
        if req.post_id in seen:
            violations.append(
                Violation(f"requirements[{i}].post_id", f"post {req.post_id!r} appears twice")
            )
        seen.add(req.post_id)
    if violations:
        raise InvalidInput(violations)


def _type_ids(plan: EventPlan, requirements: Sequence[Requirement]) -> tuple[OfficerTypeId, ...]:
    ids = [t.id for t in plan.pool.types]
    extra = {s.officer_type for s in plan.pool.supply}
    extra |= {o.officer_type for o in plan.pool.officers}
    extra |= {r.officer_type for r in requirements}
    return (*dict.fromkeys(ids), *sorted(extra - set(ids)))


def rotation_windows(
    plan: EventPlan, requirements: Sequence[Requirement], type_ids: Sequence[OfficerTypeId]
) -> tuple[RotationWindow, ...]:
    """Every run of L + 1 slots in which a post type's demand is all at one post of limit L slots.

    L is the post's rotation limit in whole slots (at least 1: the first slot of a stint is always
    allowed). Where a type has demand at two posts, officers may rotate between them, and where
    its post has no limit, nobody need stand down: no window there.
    """
    slot_min = plan.grid.slot_min
    limits = post_rules(plan, requirements).max_continuous_min
    index = {t: b for b, t in enumerate(type_ids)}
    # busy[b][s]: posts of type b with demand in slot s; sole[b][s]: one of them (-1: none).
    sole = [[-1] * plan.grid.n_slots for _ in type_ids]
    busy = [[0] * plan.grid.n_slots for _ in type_ids]
    for p, req in enumerate(requirements):
        b = index[req.officer_type]
        for s, n in enumerate(req.officers):
            if n > 0:
                busy[b][s] += 1
                sole[b][s] = p
    windows = []
    for b, row in enumerate(sole):
        for first in range(plan.grid.n_slots):
            p = row[first]
            if p < 0 or busy[b][first] != 1 or limits[p] <= 0:
                continue
            limit = max(1, limits[p] // slot_min)
            end = first + limit + 1
            if end <= plan.grid.n_slots and all(
                row[s] == p and busy[b][s] == 1 for s in range(first, end)
            ):
                windows.append(RotationWindow(b, first, limit))
    return tuple(windows)


def build_problem(plan: EventPlan, requirements: Sequence[Requirement]) -> RosterProblem:
    """Index types, sum the demand per post type, build groups, templates, columns and bounds.

    Raises
    ------
    InvalidInput
        See ``check_requirements``.
    """
    check_requirements(plan, requirements)
    type_ids = _type_ids(plan, requirements)
    index = {t: i for i, t in enumerate(type_ids)}
    covers = {t: plan.pool.covers(t) for t in type_ids}
    demand = [[0] * plan.grid.n_slots for _ in type_ids]
    for req in requirements:
        row = demand[index[req.officer_type]]
        for s, n in enumerate(req.officers):
            row[s] += n
    weights = post_weights(plan, requirements)
    # Per post type, the demand split by weight, heaviest first (see ``CoverInput.tiers``).
    split: list[dict[int, list[int]]] = [{} for _ in type_ids]
    for req, weight in zip(requirements, weights, strict=True):
        tier = split[index[req.officer_type]].setdefault(weight, [0] * plan.grid.n_slots)
        for s, n in enumerate(req.officers):
            tier[s] += n
    tiers = tuple(
        tuple((w, tuple(row)) for w, row in sorted(by_weight.items(), reverse=True))
        for by_weight in split
    )
    demanded = {type_ids[b] for b, row in enumerate(demand) if any(row)}
    useful = [t for t in type_ids if demanded & set(covers[t])]
    templates = template_set(plan.labour, plan.grid, plan.pool, useful)
    columns = tuple(
        Column(
            index[group.officer_type],
            g,
            templates.templates[j].slots,
            templates.templates[j].length_min,
            j,
            templates.templates[j].start_min,
            templates.templates[j].end_min,
            templates.templates[j].working_min,
        )
        for g, group in enumerate(templates.groups)
        for j in templates.allowed[g]
    )
    work_caps = tuple(group_cap(g, plan.labour.max_work_min) for g in templates.groups)
    cover = CoverInput(
        n_slots=plan.grid.n_slots,
        demand=tuple(tuple(row) for row in demand),
        covers=tuple(tuple(index[b] for b in covers[t]) for t in type_ids),
        columns=columns,
        group_caps=tuple(g.count for g in templates.groups),
        tiers=tiers,
        rotation=rotation_windows(plan, requirements, type_ids),
        min_rest=max(0, plan.labour.min_rest_min),
        work_caps=work_caps,
    )
    chained = cover.chained_groups()
    if chained:
        # An officer who may work several shifts is held to the cap over all of them, so no
        # single shift may pass it either (named groups' templates already fit their cap).
        columns = tuple(
            c
            for c in columns
            if c.group not in chained
            or work_caps[c.group] is None
            or c.working_min <= (work_caps[c.group] or 0)
        )
        cover = replace(cover, columns=columns)
        chained = cover.chained_groups()
    longest = dict.fromkeys(type_ids, 0)
    by_group: dict[int, list[Column]] = {}
    for column in columns:
        by_group.setdefault(column.group, []).append(column)
    for g, members in by_group.items():
        officer_type = type_ids[members[0].officer_type]
        most = (
            most_slots_per_officer(
                [(c.start_min, c.end_min, len(c.slots)) for c in members],
                cover.min_rest,
                work_caps[g],
                plan.grid.slot_min,
            )
            if g in chained
            else max(len(c.slots) for c in members)
        )
        longest[officer_type] = max(longest[officer_type], most)
    # Types with no officers fill nothing, so they do not weaken another type's bound.
    staffed = {g.officer_type for g in templates.groups}
    coverers = {b: tuple(a for a in type_ids if b in covers[a] and a in staffed) for b in type_ids}
    available = dict.fromkeys(type_ids, 0)
    for group in templates.groups:
        available[group.officer_type] += group.count
    bounds = cheap_bounds(
        dict(zip(type_ids, demand, strict=True)),
        coverers,
        longest,
        plan.grid.slot_min,
        available,
    )
    return RosterProblem(type_ids, covers, templates, cover, bounds, weights)
