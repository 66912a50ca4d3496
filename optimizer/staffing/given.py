"""Requirement curves written in the plan, turned into officers per post and slot.

A planner with their own forecast (a marathon's route sections, a parade) gives runs of officers
per post; they replace the simulated requirement of that post. A slot that a run touches needs the
run's officers, so a run that ends mid-slot never leaves the last minutes bare.
"""

from __future__ import annotations

from optimizer.domain.types import EventPlan, OfficerTypeId, Requirement

GIVEN_REASON = "given by the plan"


def given_requirements(plan: EventPlan) -> tuple[Requirement, ...]:
    """One ``Requirement`` per ``plan.requirements`` entry, in plan order.

    The officer type is the entry's, or the post's when the entry leaves it out (a post missing
    from ``plan.posts`` keeps an empty type; validation reports it). Overlapping runs add up.
    """
    grid = plan.grid
    post_types = {p.id: p.officer_type for p in plan.posts}
    result = []
    for given in plan.requirements:
        officers = [0] * grid.n_slots
        for run in given.runs:
            for slot in grid.slots_in(run.start_min, run.end_min):
                officers[slot] += run.officers
        officer_type = given.officer_type or post_types.get(given.post_id, OfficerTypeId(""))
        result.append(
            Requirement(
                given.post_id,
                officer_type,
                tuple(officers),
                (GIVEN_REASON,) * grid.n_slots,
            )
        )
    return tuple(result)
