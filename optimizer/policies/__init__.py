"""Roster policies to benchmark: each turns a plan and its simulation into a roster.

Built in: ``static-peak`` (today's practice: every post at its peak all day), ``fixed-shifts``
(fixed 8-hour watches on stationary per-slot SIPP requirements), ``sipp-flex`` (SIPP
requirements, optimal flexible shifts) and ``optimised`` (the pipeline: simulation-driven
requirements, optimal flexible shifts with post moves). See ``registry`` to add one.
"""

from __future__ import annotations

# Imported for their registration side effect; sweeps list policies in their own order.
from optimizer.policies import (
    fixed_shifts as fixed_shifts,
)
from optimizer.policies import (
    optimised as optimised,
)
from optimizer.policies import (
    sipp_flex as sipp_flex,
)
from optimizer.policies import (
    static_peak as static_peak,
)
from optimizer.policies.registry import (
    Policy,
    PolicyContext,
    PolicyResult,
    get_policy,
    policy_names,
    register,
)

__all__ = ["Policy", "PolicyContext", "PolicyResult", "get_policy", "policy_names", "register"]
