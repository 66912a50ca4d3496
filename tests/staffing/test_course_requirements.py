"""Course posts are required only while their segment is closed; verification checks the order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from sim_factories import TARGETS, cover, plan, post

from optimizer.domain.types import (
    Corral,
    Course,
    CourseSegment,
    EventPlan,
    PostId,
    PostKind,
    Requirement,
    Shift,
)
from optimizer.errors import InvalidInput
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message, plan_from_dict
from optimizer.simulation.course import closed_in_order, plan_closures, segment_active_slots
from optimizer.staffing.course import course_requirements
from optimizer.staffing.posts import minimum_requirement
from optimizer.verify import course_check

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def small_course_plan() -> EventPlan:
    """Three 5 km segments, 2,000 runners from minute 60, a 3 h cut-off for 15 km."""
    posts = (
        post("gate_screen", PostKind.SCREENING, gate_id="north", end_min=120),
        post("a_barrier", PostKind.FIXED, min_officers=6, end_min=480),
        post("a_patrol", PostKind.PATROL, min_officers=1, end_min=480),
        post("b_barrier", PostKind.FIXED, min_officers=4, end_min=480),
        post("c_barrier", PostKind.FIXED, min_officers=5, end_min=480),
        post("command", PostKind.COMMAND, min_officers=2, end_min=480),
    )
    course = Course(
        corrals=(Corral("A", 60, 800, 4.5, 0.5), Corral("B", 70, 1200, 6.0, 0.8)),
        segments=(
            CourseSegment("a", 0, 5, (PostId("a_barrier"), PostId("a_patrol")), 1200),
            CourseSegment("b", 5, 10, (PostId("b_barrier"),)),
            CourseSegment("c", 10, 15, (PostId("c_barrier"),)),
        ),
        cutoff_pace_min_km=12.0,
        margin_before_min=20,
        margin_after_min=10,
    )
    base = plan(posts=posts, horizon_min=480, attendance=500)
    return replace(base, course=course, grid=replace(base.grid, start_time="2026-06-11T06:00"))


def base_requirements(event: EventPlan) -> list[Requirement]:
    return [minimum_requirement(event, p, TARGETS) for p in event.posts]


def test_posts_are_required_only_from_first_runner_to_sweep() -> None:
    event = small_course_plan()
    timed, found = course_requirements(event, TARGETS, base_requirements(event), 3, seed=5)
    assert [c.segment for c in found] == ["a", "b", "c"] and closed_in_order(found)
    by_post = {r.post_id: r for r in timed}
    grid = event.grid
    assert event.course is not None
    for segment, closure in zip(event.course.segments, found, strict=True):
        closed = set(segment_active_slots(closure, grid))
        for post_id in segment.post_ids:
            req = by_post[post_id]
            assert {k for k, n in enumerate(req.officers) if n > 0} == closed
            assert all(
                "closed" in req.reasons[k] and "first runner" in req.reasons[k] for k in closed
            )
            before = min(closed) - 1
            assert "open: closes" in req.reasons[before]
            assert "reopened" in req.reasons[max(closed) + 1]
    # The sweep leaves with corral B (minute 70) at 12 min/km: segment c ends at 70 + 180.
    assert found[-1].sweep_min == pytest.approx(250) and found[-1].reopen_min == 260
    assert found[0].close_min == pytest.approx(found[0].first_runner_min - 20)
    # The patrol watches the segment's 1,200 spectators at 1:100 + 20%: 15 officers.
    patrol = by_post[PostId("a_patrol")]
    first_closed = min(segment_active_slots(found[0], grid))
    assert max(patrol.officers) == 15 and "1,200 spectators" in patrol.reasons[first_closed]
    # Posts off the course keep their own requirement.
    assert by_post[PostId("command")].officers == base_requirements(event)[-1].officers
    again, _ = course_requirements(event, TARGETS, base_requirements(event), 3, seed=5)
    assert again == timed


def test_verification_checks_the_closures_and_the_staffing() -> None:
    event = small_course_plan()
    timed, _ = course_requirements(event, TARGETS, base_requirements(event), 3, seed=5)
    shifts = cover(timed, event.grid)
    check = course_check(event, timed, _on_post(shifts, event), 4, seed=5)
    assert check.met and check.replications_met == 1.0 and "in order" in check.detail
    # Without the last segment's officers the check names it.
    thinned = tuple(s for s in shifts if s.stints[0].post_id != "c_barrier")
    check = course_check(event, timed, _on_post(thinned, event), 4, seed=5)
    assert not check.met and check.value == 1.0 and "c_barrier short" in check.detail


def _on_post(shifts: tuple[Shift, ...], event: EventPlan) -> dict[PostId, list[int]]:
    from optimizer.domain.coverage import officers_by_post

    return {PostId(k): list(v) for k, v in officers_by_post(shifts, event.grid).items()}


def _course_dict() -> dict[str, Any]:
    text = (EXAMPLES / "marathon_course.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c["segments"][2].update(start_km=2.5), "course.segments[2].start_km"),
        (
            lambda c: c["segments"][0]["post_ids"].append("nowhere"),
            "course.segments[0].post_ids[5]",
        ),
        (
            lambda c: c["segments"][1]["post_ids"].append("screen_1"),
            "course.segments[1].post_ids[4]",
        ),
        (
            lambda c: c["segments"][3]["post_ids"].append("km00_patrol"),
            "course.segments[3].post_ids[4]",
        ),
        (lambda c: c["corrals"][0].update(runners=0), "course.corrals[0].runners"),
        (lambda c: c.update(cutoff_pace_min_km=2.0), "course.fastest_pace_min_km"),
        (lambda c: c.update(margin_before_min=-5), "course.margin_before_min"),
    ],
)
def test_bad_course_names_the_field(change: Any, field: str) -> None:
    raw = _course_dict()
    change(raw["course"])
    with pytest.raises(InvalidInput) as caught:
        plan_from_pb(plan_from_dict(raw))
    assert field in {v.field for v in caught.value.violations}


def test_marathon_example_closes_segments_in_order_along_the_course() -> None:
    event = plan_from_pb(load_plan_message(EXAMPLES / "marathon_course.yaml"))
    assert event.course is not None
    course = event.course
    assert sum(c.runners for c in course.corrals) == 40_000
    assert course.segments[-1].end_km == pytest.approx(42.195)
    found = plan_closures(course, 2, seed=0)
    assert closed_in_order(found)
    # The sweep reaches the finish 6 h after the 07:30 gun (minute 150).
    assert found[-1].sweep_min == pytest.approx(150 + 360, abs=0.01)
    assert sum(len(s.post_ids) for s in course.segments) >= 150


def test_margins_left_out_take_the_defaults_and_zero_means_none() -> None:
    raw = _course_dict()
    del raw["course"]["margin_before_min"]
    raw["course"]["margin_after_min"] = 0
    course = plan_from_pb(plan_from_dict(raw)).course
    assert course is not None
    assert course.margin_before_min == 30.0 and course.margin_after_min == 0.0
