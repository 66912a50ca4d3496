"""Marathon course: segments close from the first runner and reopen behind the sweep, in order."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.domain.types import TimeGrid
from optimizer.simulation.course import (
    Corral,
    Course,
    Segment,
    closures,
    draw_runners,
    runners_on_segments,
    segment_active_slots,
    segments_in_order,
)

MARATHON_KM = 42.195
# Minute 0 is 07:00; the gun at 07:30; 6 h cut-off, so the sweep runs at 360 / 42.195 min/km.
CUTOFF = 360 / MARATHON_KM
GRID = TimeGrid(15, 480)


def lanzhou_like() -> Course:
    """40,000 runners in four corrals released 07:30-07:40, segments of 5 km to the finish."""
    marks = [*np.arange(0.0, 40.0, 5.0), 40.0, MARATHON_KM]
    segments = tuple(
        Segment(f"km {a:g}-{b:g}", float(a), float(b))
        for a, b in zip(marks, marks[1:], strict=False)
    )
    return Course(
        corrals=(
            Corral("elite", 30, 500, 3.4, 0.3),
            Corral("A", 30, 10_000, 5.0, 0.6),
            Corral("B", 35, 15_000, 6.0, 0.8),
            Corral("C", 40, 14_500, 7.2, 1.0),
        ),
        segments=segments,
        cutoff_pace_min_km=CUTOFF,
    )


@pytest.fixture(scope="module")
def course() -> Course:
    return lanzhou_like()


def test_segments_close_and_reopen_in_order_along_the_course(course: Course) -> None:
    assert segments_in_order(course.segments)
    found = closures(course, draw_runners(course, np.random.default_rng(1)))
    closes = [c.close_min for c in found]
    reopens = [c.reopen_min for c in found]
    assert closes == sorted(closes) and reopens == sorted(reopens)
    assert found[0].first_runner_min == 30.0 and found[0].close_min == 0.0
    # The sweep leaves with the last corral (07:40) and reaches the finish 6 h later.
    assert found[-1].sweep_min == pytest.approx(40 + 360)
    assert found[-1].reopen_min == pytest.approx(415)
    # The leader runs at no less than the fastest pace: 40 km in at least 116 minutes.
    assert found[-1].first_runner_min >= 30 + 2.9 * 40


def test_runners_are_on_a_segment_only_while_it_is_closed(course: Course) -> None:
    runners = draw_runners(course, np.random.default_rng(2))
    on = runners_on_segments(course, runners, GRID)
    for s, closure in enumerate(closures(course, runners)):
        active = set(segment_active_slots(closure, GRID))
        assert all(on[s, k] == 0 for k in range(GRID.n_slots) if k not in active)
        assert on[s].max() > 1000
    assert on.max() <= 40_000 and on[0, 2] == 500 + 10_000 + 15_000  # at 07:37:30


def test_runners_slower_than_the_cutoff_are_swept(course: Course) -> None:
    runners = draw_runners(course, np.random.default_rng(3))
    assert runners.start_min.size == 40_000
    # Corral C: pace 7.2 +- 1.0 min/km, so about P(Z > 1.33) = 9% of its 14,500 are swept.
    swept_c = runners.swept[-14_500:].mean()
    assert swept_c == pytest.approx(0.092, abs=0.01)
    assert not runners.swept[:500].any()


def test_same_seed_same_field(course: Course) -> None:
    a = draw_runners(course, np.random.default_rng(9))
    b = draw_runners(course, np.random.default_rng(9))
    assert np.array_equal(a.pace_min_km, b.pace_min_km)
    assert closures(course, a) == closures(course, b)
