"""``sipp-flex``: stationary per-slot (SIPP) requirements, optimal flexible shifts."""

from __future__ import annotations

from optimizer.policies.registry import PolicyContext, PolicyResult, register
from optimizer.policies.sipp import sipp_requirements
from optimizer.roster import solve_roster


@register("sipp-flex", "SIPP (stationary Erlang C) requirements, optimal flexible shifts")
def sipp_flex(context: PolicyContext) -> PolicyResult:
    """The roster solver of the pipeline on the SIPP requirements (``policies.sipp``)."""
    requirements = sipp_requirements(context)
    roster = solve_roster(context.plan, requirements, context.options)
    return PolicyResult(roster, requirements)
