"""``fixed-shifts``: watches of at most 8 hours on fixed starts, SIPP requirements.

The traditional shift system: the horizon is cut into equal consecutive watches of at most
``WATCH_MIN`` (and at most the plan's longest shift), starting at fixed times 0, L, 2L, ...; every
officer works one whole watch. The last watch is shortened when the horizon is not a whole number
of watches. Officers still take their breaks and move between posts of their type, as the roster
solver allows, and the fewest officers are chosen optimally: only the shift design is fixed.
"""

from __future__ import annotations

import math
from dataclasses import replace

from optimizer.domain.types import EventPlan, LabourRules
from optimizer.policies.registry import PolicyContext, PolicyResult, register
from optimizer.policies.sipp import sipp_requirements
from optimizer.roster import solve_roster

WATCH_MIN = 480


def watch_labour(plan: EventPlan) -> LabourRules:
    """Labour rules whose only shifts are the fixed watches (see the module docstring).

    Shift lengths are L and the remainder R = horizon - (n - 1) L, starts every L: the roster
    solver's templates then hold the watches plus, when R < L, R-long shifts at the earlier
    starts too; the labour rules cannot say "R only at the last start". That small freedom can
    only lower this policy's officer-hours, never its targets, so it flatters the baseline.
    """
    grid = plan.grid
    cap = max(grid.slot_min, min(WATCH_MIN, plan.labour.max_shift_min, grid.horizon_min))
    watches = math.ceil(grid.horizon_min / cap)
    length = math.ceil(grid.horizon_min / watches / grid.slot_min) * grid.slot_min
    last = grid.horizon_min - (watches - 1) * length
    if last <= 0:  # rounding to slots made fewer watches fill the horizon
        last = length
    return replace(
        plan.labour,
        min_shift_min=min(last, length),
        max_shift_min=length,
        # A step of 0 makes the solver step by a slot; with last == length there is one length.
        shift_step_min=max(0, length - last),
        start_step_min=length,
    )


@register("fixed-shifts", "fixed watches of at most 8 h on fixed starts, SIPP requirements")
def fixed_shifts(context: PolicyContext) -> PolicyResult:
    """Fewest officers on fixed watches covering the SIPP requirements."""
    requirements = sipp_requirements(context)
    plan = replace(context.plan, labour=watch_labour(context.plan))
    roster = solve_roster(plan, requirements, context.options)
    return PolicyResult(roster, requirements)
