"""From a plan and its requirements to the covering problem the solver works on.

Officer types get fixed indices (the pool's order, then any other type by name), the requirement
is summed per post type and slot, the pool becomes groups with their allowed templates, and the
cheap bounds are computed on the way because they need the same pieces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from optimizer.domain.types import EventPlan, OfficerTypeId, Requirement
from optimizer.errors import InvalidInput, Violation
from optimizer.roster.bounds import CheapBounds, cheap_bounds
from optimizer.roster.model import Column, CoverInput
from optimizer.roster.priority import post_weights
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
        )
        for g, group in enumerate(templates.groups)
        for j in templates.allowed[g]
    )
    cover = CoverInput(
        n_slots=plan.grid.n_slots,
        demand=tuple(tuple(row) for row in demand),
        covers=tuple(tuple(index[b] for b in covers[t]) for t in type_ids),
        columns=columns,
        group_caps=tuple(g.count for g in templates.groups),
        tiers=tiers,
    )
    longest = dict.fromkeys(type_ids, 0)
    for column in columns:
        officer_type = type_ids[column.officer_type]
        longest[officer_type] = max(longest[officer_type], len(column.slots))
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
