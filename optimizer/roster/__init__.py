"""Minimum-officer rosters with CP-SAT: shift templates, covering model, posts, bounds, checks.

``solve_roster`` is the stage the pipeline calls; ``RosterSolver`` is the same with a ``stop()``
for services that cancel; ``check_roster`` re-checks any roster without the solver; ``min_cover``
is the covering core on its own (Dantzig's shift-scheduling set cover); ``replan_roster``
re-plans against a published roster, changing as few officers as the new plan allows.
"""

from __future__ import annotations

from optimizer.roster.check import check_roster, roster_totals
from optimizer.roster.cover import CoverResult, min_cover
from optimizer.roster.replan import ReplanRoster, replan_roster
from optimizer.roster.solve import RosterSolver, solve_roster
from optimizer.roster.solver import ProgressEvent

__all__ = [
    "CoverResult",
    "ProgressEvent",
    "ReplanRoster",
    "RosterSolver",
    "check_roster",
    "min_cover",
    "replan_roster",
    "roster_totals",
    "solve_roster",
]
