"""Requirements-only plans: curves given in the plan replace the simulation."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from optimizer import pipeline
from optimizer.domain.types import RunOptions, SolveStatus
from optimizer.errors import InvalidInput
from optimizer.roster import check_roster
from optimizer.rpc.convert import plan_from_pb, plan_result_to_pb
from optimizer.rpc.planfile import load_plan_message, plan_from_dict
from optimizer.staffing.given import GIVEN_REASON, given_requirements

from .factories import ROUTE


def _violations(change: dict[str, Any]) -> dict[str, str]:
    document = copy.deepcopy(ROUTE)
    for i, fields in change.items():
        document["requirements"][int(i)].update(fields)
    with pytest.raises(InvalidInput) as raised:
        plan_from_pb(plan_from_dict(document))
    return {v.field: v.reason for v in raised.value.violations}


def test_runs_become_slot_counts_that_add_up_where_they_overlap() -> None:
    plan = plan_from_pb(plan_from_dict(ROUTE))
    km5, junction, km10 = given_requirements(plan)
    assert km5.officers[:4] == (4, 4, 4, 4)
    assert km5.officers[4:8] == (6, 6, 6, 6)
    assert km5.officers[19:21] == (4, 0)
    assert junction.officer_type == "traffic"
    # A run ending mid-slot still needs its officers for that whole slot.
    assert junction.officers[21] == 3 and junction.officers[22] == 0
    assert sum(n > 0 for n in km10.officers) == (420 - 90) // 15
    assert set(km5.reasons) == {GIVEN_REASON}


def test_requirements_only_plan_is_rostered_without_simulating() -> None:
    # No rotation limit: the one traffic post could not rotate, and the bound below is the
    # shift model's (``test_labour_rules.py`` rosters this plan with the rotation limit).
    document = copy.deepcopy(ROUTE)
    document["labour"] = {"max_continuous_post_min": 24 * 60}
    plan = plan_from_pb(plan_from_dict(document))
    outcome = pipeline.plan(plan, RunOptions(seed=0, replications=3, time_limit_s=10))
    assert outcome.simulation.replications == 0
    assert outcome.requirements == given_requirements(plan)
    roster = outcome.roster
    assert roster.status is SolveStatus.OPTIMAL
    assert check_roster(plan, outcome.requirements, roster) == []
    # Peak 6 + 3 + 5 at once; nobody works more than 12 h, and 10 h covers every run.
    assert roster.headcount == roster.lower_bound == 14
    assert [c.name for c in outcome.verification] == ["minimum posts"]
    assert outcome.verification[0].met
    result = plan_result_to_pb(outcome)
    assert {run.reason for req in result.requirements for run in req.runs} == {GIVEN_REASON}


def test_bad_requirements_are_reported_with_their_field_paths() -> None:
    violations = _violations(
        {
            "0": {"post_id": "nowhere"},
            "1": {"officer_type": "cavalry", "runs": [{"start_min": 30, "end_min": 700}]},
            "2": {"runs": [{"start_min": 30, "end_min": 120, "officers": -1}]},
        }
    )
    assert violations["requirements[0].post_id"] == "unknown post 'nowhere'"
    assert "cavalry" in violations["requirements[1].officer_type"]
    assert "700" in violations["requirements[1].runs[0].end_min"]
    assert "-1" in violations["requirements[2].runs[0].officers"]
    # km10_barrier opens at minute 60.
    assert "opens at 60" in violations["requirements[2].runs[0].start_min"]


def test_a_post_may_be_given_only_once() -> None:
    document = copy.deepcopy(ROUTE)
    document["requirements"].append(copy.deepcopy(document["requirements"][0]))
    with pytest.raises(InvalidInput) as raised:
        plan_from_pb(plan_from_dict(document))
    paths = [v.field for v in raised.value.violations]
    assert paths == ["requirements[3].post_id"]


def test_given_curve_replaces_the_simulated_one_of_its_post(
    quickstart_dict: dict[str, Any],
) -> None:
    document = copy.deepcopy(quickstart_dict)
    document["requirements"] = [
        {"post_id": "junction", "runs": [{"start_min": 30, "end_min": 120, "officers": 7}]}
    ]
    plan = plan_from_pb(plan_from_dict(document))
    outcome = pipeline.simulate(plan, RunOptions(seed=0, replications=2))
    assert outcome.simulation.replications == 2
    junction = next(r for r in outcome.requirements if r.post_id == "junction")
    assert max(junction.officers) == 7 and junction.officers[-1] == 0
    screen = next(r for r in outcome.requirements if r.post_id == "screen_a")
    assert GIVEN_REASON not in screen.reasons


def test_marathon_example_is_a_valid_requirements_only_plan_at_scale() -> None:
    """The bundled marathon meets the scale of the benchmark it backs (solved in benchmarks/)."""
    path = Path(__file__).resolve().parents[2] / "examples" / "marathon.yaml"
    plan = plan_from_pb(load_plan_message(path))
    requirements = given_requirements(plan)
    assert {r.post_id for r in requirements} == {p.id for p in plan.posts}
    assert len(plan.posts) >= 150
    assert plan.grid.slot_min == 15 and plan.grid.horizon_min >= 16 * 60
    peak = max(sum(r.officers[s] for r in requirements) for s in range(plan.grid.n_slots))
    assert peak >= 5000
    assert {"traffic", "special_police", "public_order"} <= {t.id for t in plan.pool.types}
