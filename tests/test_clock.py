"""Grid minutes as the times a planner reads, in every report."""

from __future__ import annotations

from optimizer.domain.clock import Clock
from optimizer.domain.types import TimeGrid


def test_single_day_plan_reads_hours_and_minutes() -> None:
    clock = Clock(TimeGrid(15, 600, start_time="2026-05-16T14:00:00+08:00"))
    assert clock(0) == "14:00"
    assert clock(83.7) == "15:23"  # a simulated moment, rounded down
    assert clock.span(60, 90) == "15:00-15:30"


def test_date_shown_on_multi_day_plans_and_past_midnight() -> None:
    festival = Clock(TimeGrid(15, 4320, start_time="2026-08-07T12:00:00+08:00"))
    assert festival(0) == "08-07 12:00"
    assert festival(13 * 60) == "08-08 01:00"
    evening = Clock(TimeGrid(15, 720, start_time="2026-05-16T18:00:00+08:00"))
    assert evening(60) == "19:00"
    assert evening(7 * 60) == "05-17 01:00"


def test_without_start_time_offsets_from_the_horizon_start() -> None:
    clock = Clock(TimeGrid(15, 600))
    assert clock(135) == "+2:15"
    assert clock(-30) == "-0:30"  # a runner's margin before the horizon
    assert clock(-90.5) == "-1:31"
