"""``optimised``: the pipeline itself, simulation-driven requirements and optimal shifts."""

from __future__ import annotations

from optimizer.policies.registry import PolicyContext, PolicyResult, register
from optimizer.roster import solve_roster


@register(
    "optimised",
    "simulation-driven requirements, optimal flexible shifts with post moves (the pipeline)",
)
def optimised(context: PolicyContext) -> PolicyResult:
    """``solve_roster`` on the requirements ``pipeline.simulate`` derived, as ``plan()`` does."""
    requirements = context.base.requirements
    roster = solve_roster(context.plan, requirements, context.options)
    return PolicyResult(roster, requirements)
