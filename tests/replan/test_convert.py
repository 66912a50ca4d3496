"""Re-plan messages: rules placed on the plan's clock, a stored roster read back, the result."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from optimizer import pipeline
from optimizer.domain.replan import ReplanRules
from optimizer.domain.types import RunOptions, TimeGrid
from optimizer.errors import InvalidInput
from optimizer.rpc.convert import plan_from_pb, plan_result_to_pb
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.replan_convert import (
    conflicts_from_pb,
    diff_from_pb,
    replan_result_to_proto,
    requirements_from_result,
    roster_from_result,
    rules_from_proto,
    rules_to_proto,
)
from optimizer.rpc.v1 import replan_pb2

GRID = TimeGrid(15, 600, "2026-05-16T08:00:00+08:00")
NOW = dt.datetime(2026, 5, 16, 0, 30, tzinfo=dt.UTC)  # 08:30 at +08:00

# Two posts whose requirement the plan gives: no simulation, a roster in well under a second.
ROUTE: dict[str, Any] = {
    "name": "route section",
    "time_grid": {"slot_min": 15, "horizon_min": 600, "start_time": "2026-05-16T08:00:00+08:00"},
    "zones": [{"id": "km5", "ring": "RING_OUTER"}],
    "posts": [
        {"id": "barrier", "kind": "POST_KIND_FIXED", "zone_id": "km5", "officer_type": "po"},
        {"id": "junction", "kind": "POST_KIND_PATROL", "zone_id": "km5", "officer_type": "po"},
    ],
    "requirements": [
        {"post_id": "barrier", "runs": [{"start_min": 0, "end_min": 300, "officers": 4}]},
        {"post_id": "junction", "runs": [{"start_min": 60, "end_min": 480, "officers": 2}]},
    ],
    "risk": {"level": "RISK_LEVEL_LOW"},
    "pool": {"types": [{"id": "po"}], "supply": [{"officer_type": "po", "count": 20}]},
    "labour": {"max_continuous_post_min": 1440},
}
OPTIONS = RunOptions(seed=0, replications=1, time_limit_s=10)


def _rules(**fields: Any) -> ReplanRules:
    return rules_from_proto(replan_pb2.ReplanRules(**fields), GRID, NOW)


def _fields(**fields: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as raised:
        _rules(**fields)
    return {v.field: v.reason for v in raised.value.violations}


def test_frozen_window_on_the_plans_clock() -> None:
    assert _rules() == ReplanRules()
    assert _rules(freeze_hours=2).freeze_until_min == 150  # 08:30 + 2 h = 10:30
    assert _rules(freeze_until="2026-05-16T10:00:00+08:00").freeze_until_min == 120
    # No offset: the start time's; another offset is converted.
    assert _rules(freeze_until="2026-05-16T10:00:00").freeze_until_min == 120
    assert _rules(freeze_until="2026-05-16T03:00:00+01:00").freeze_until_min == 120
    # Before the horizon: nothing frozen; after it: everything.
    assert _rules(freeze_until="2026-05-15T10:00:00+08:00").freeze_until_min == 0
    assert _rules(freeze_hours=100).freeze_until_min == GRID.horizon_min
    rules = _rules(pinned_officer_ids=["a", "b"], max_changes=0, freeze_hours=0.01)
    assert rules == ReplanRules(31, ("a", "b"), 0)  # 08:30:36 rounds up to 08:31
    assert rules_from_proto(rules_to_proto(rules, GRID), GRID, NOW) == rules


def test_bad_rules_are_named_with_their_value() -> None:
    assert _fields(freeze_hours=-1) == {"replan.freeze_hours": "-1.0 is outside [0, 8784]"}
    assert (
        "not both"
        in _fields(freeze_hours=1, freeze_until="2026-05-16T10:00:00")["replan.freeze_until"]
    )
    assert (
        "'tomorrow' is not an ISO 8601 time"
        in _fields(freeze_until="tomorrow")["replan.freeze_until"]
    )
    assert _fields(max_changes=-3) == {"replan.max_changes": "-3 is negative"}
    assert _fields(pinned_officer_ids=["a", "", "a"]) == {
        "replan.pinned_officer_ids[1]": "must not be empty",
        "replan.pinned_officer_ids[2]": "'a' is listed twice",
    }
    with pytest.raises(InvalidInput) as raised:
        rules_from_proto(replan_pb2.ReplanRules(freeze_hours=1), TimeGrid(15, 600), NOW)
    assert raised.value.violations[0].field == "replan.freeze_hours"
    assert "needs time_grid.start_time" in raised.value.violations[0].reason


def test_a_plan_file_with_bad_standing_rules_is_refused() -> None:
    document = copy.deepcopy(ROUTE)
    document["replan"] = {"max_changes": -1, "freeze_hours": 24}
    with pytest.raises(InvalidInput) as raised:
        plan_from_pb(plan_from_dict(document))
    assert [v.field for v in raised.value.violations] == ["replan.max_changes"]
    document["replan"] = {"max_changes": 5, "pinned_officer_ids": ["po-0001"]}
    msg = plan_from_dict(document)
    plan_from_pb(msg)
    assert rules_from_proto(msg.replan, GRID, NOW) == ReplanRules(0, ("po-0001",), 5)


def test_result_round_trip() -> None:
    plan = plan_from_pb(plan_from_dict(ROUTE))
    published = pipeline.plan(plan, OPTIONS)
    stored = plan_result_to_pb(published)
    roster = roster_from_result(stored)
    assert roster.shifts == published.roster.shifts
    assert roster.status is published.roster.status
    assert (roster.headcount, roster.lower_bound, roster.officer_minutes) == (
        published.roster.headcount,
        published.roster.lower_bound,
        published.roster.officer_minutes,
    )
    assert roster.by_type == published.roster.by_type
    old_requirements = requirements_from_result(stored, plan.grid)
    assert [r.officers for r in old_requirements] == [r.officers for r in published.requirements]

    # The junction's demand falls: the re-plan releases officers and says why.
    document = copy.deepcopy(ROUTE)
    document["requirements"][1]["runs"][0]["officers"] = 1
    new_plan = plan_from_pb(plan_from_dict(document))
    rules = ReplanRules(max_changes=10)
    outcome = pipeline.replan(
        new_plan, roster, OPTIONS, rules, published_requirements=old_requirements
    )
    assert outcome.diff.released >= 1 and outcome.conflicts == ()
    assert any(
        "demand at junction" in c.reason and "fell from 2 to 1" in c.reason
        for c in outcome.diff.changes
    )
    msg = replan_pb2.ReplanResult.FromString(
        replan_result_to_proto(outcome, rules).SerializeToString()
    )
    assert diff_from_pb(msg.diff) == outcome.diff
    assert conflicts_from_pb(msg.conflicts) == outcome.conflicts
    assert msg.published_headcount == published.roster.headcount
    assert (msg.diff.released, msg.diff.unchanged) == (
        outcome.diff.released,
        outcome.diff.unchanged,
    )
    assert msg.max_changes == 10 and msg.HasField("max_changes")
    assert roster_from_result(msg.result).shifts == outcome.outcome.roster.shifts


def test_unchanged_plan_through_the_pipeline() -> None:
    plan = plan_from_pb(plan_from_dict(ROUTE))
    published = pipeline.plan(plan, OPTIONS)
    outcome = pipeline.replan(plan, published.roster, OPTIONS, ReplanRules())
    assert outcome.diff.total == 0
    assert outcome.outcome.roster.shifts == published.roster.shifts
    assert all(check.met for check in outcome.outcome.verification)
