"""A two-day requirements-only plan through the pipeline: officers work one duty a day, and the
summary, the CSV and the service's message say so."""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

from optimizer import pipeline
from optimizer.domain.types import RunOptions, SolveStatus
from optimizer.report import plan_summary, roster_csv
from optimizer.roster import check_roster
from optimizer.rpc.convert import plan_from_pb, plan_result_to_pb
from optimizer.rpc.planfile import plan_from_dict

from .factories import ROUTE

DAY = 24 * 60


def _two_days() -> dict[str, Any]:
    """The route plan's posts, closed 08:00-15:00 on two days (minute 0 is midnight)."""
    document = copy.deepcopy(ROUTE)
    document["time_grid"] = {"slot_min": 15, "horizon_min": 2 * DAY}
    # Hourly starts, as the festival example has: 15-minute starts over 48 h make 14,000
    # columns, too many to solve in a test's time with or without several duties per officer.
    document["labour"] = {"max_continuous_post_min": 24 * 60, "start_step_min": 60}
    # No substitutes, so no substitution stage.
    document["pool"]["types"] = [t for t in document["pool"]["types"] if not t.get("can_cover")]
    document["pool"]["supply"] = [
        s for s in document["pool"]["supply"] if s["officer_type"] != "special_police"
    ]
    # Headcount only: officer-hours are not proven in a test's time and add nothing here.
    document["objective"] = {"order": ["OBJECTIVE_TERM_HEADCOUNT"]}
    for post in document["posts"]:
        post.pop("active_start_min", None)
        post.pop("active_end_min", None)
    runs = [
        {"start_min": day * DAY + 480, "end_min": day * DAY + 900, "officers": 2}
        for day in range(2)
    ]
    for req in document["requirements"]:
        req["runs"] = copy.deepcopy(runs)
    return document


def test_two_day_plan_reports_officers_and_duties() -> None:
    plan = plan_from_pb(plan_from_dict(_two_days()))
    # The limit is a cap, not the expected time (about 5 s of CPU): the headcount is proven
    # first, and a loaded machine must not turn that into a missing roster.
    outcome = pipeline.plan(plan, RunOptions(seed=0, replications=1, time_limit_s=60))
    roster = outcome.roster
    assert check_roster(plan, outcome.requirements, roster) == []
    # Two officers per post and day, each working both days: 6 officers on 12 duties.
    assert (roster.headcount, roster.duties) == (6, 12)
    assert roster.status is SolveStatus.OPTIMAL and roster.lower_bound == 6
    assert sorted(t.duties for t in roster.by_type) == [4, 8]
    assert "officers 6 working 12 duties" in plan_summary(outcome)

    rows = list(csv.DictReader(io.StringIO(roster_csv(outcome))))
    days_of: dict[str, set[int]] = {}
    for row in rows:
        days_of.setdefault(row["officer_id"], set()).add(int(row["shift_start_min"]) // DAY)
    assert len(days_of) == 6 and all(days == {0, 1} for days in days_of.values())
    # An officer's rows come together, first day first.
    order = [row["officer_id"] for row in rows]
    assert order == sorted(order, key=order.index)
    assert len({(o, n) for o, n in zip(order, order[1:], strict=False) if o != n}) == 5

    summary = plan_result_to_pb(outcome).summary
    assert (summary.headcount, summary.duties) == (6, 12)
    assert sorted(t.duties for t in summary.by_type) == [4, 8]
