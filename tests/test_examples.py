"""The bundled examples, end to end: rosters that pass the independent check."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer import pipeline
from optimizer.domain.types import RunOptions, SolveStatus
from optimizer.roster import check_roster
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("name", ["quickstart.yaml", "stadium_match.yaml"])
def test_example_roster_passes_independent_check(name: str) -> None:
    plan = plan_from_pb(load_plan_message(EXAMPLES / name))
    outcome = pipeline.plan(plan, RunOptions(seed=1, replications=4, time_limit_s=60))
    roster = outcome.roster
    assert roster.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert check_roster(plan, outcome.requirements, roster.shifts) == []
    assert roster.headcount >= roster.lower_bound
    # Every requirement is covered, so every post's minimum holds after re-simulation.
    minimum = next(c for c in outcome.verification if c.name == "minimum posts")
    assert minimum.met
    for requirement in outcome.requirements:
        assert len(requirement.officers) == plan.grid.n_slots
        assert all(reason for reason in requirement.reasons)
