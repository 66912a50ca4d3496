"""Marathon courses: runners from their corrals along the course, and when each segment is closed.

Runners leave their corral at its start time (a wave start) at a pace drawn per runner: a normal
distribution of minutes per km, cut to [fastest, cut-off]. The sweep (收容车, the broom wagon)
leaves with the last corral at the cut-off pace; runners slower than it are taken off the course.
A runner's position is linear in time (constant pace), which is enough to time road closures.

A segment is closed from the moment its first runner reaches its start, less ``margin_before_min``
(barriers and posts in place before the lead vehicle), until the sweep passes its end, plus
``margin_after_min`` (clearing the barriers); then the road reopens. Both ends move along the
course, so segments close and reopen in order. A segment's posts are required only while it is
closed, and its runners present in each slot show where crowding of the course happens.

Pure numpy; the same seed gives the same runners. ``plan_closures`` draws the field of each
replication from its own stream (``COURSE_STREAM`` under the run's seed) and keeps, per segment,
the earliest first runner over the replications: posts must be in place for the fastest field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import Corral as Corral  # re-exported with the course model
from optimizer.domain.types import Course, CourseSegment, TimeGrid
from optimizer.simulation.arrivals import slot_edges

FloatArray = npt.NDArray[np.float64]


# The course's parts are domain types (plans carry them); ``Segment`` is the short name here.
Segment = CourseSegment


@dataclass(frozen=True)
class Closure:
    """When ``segment`` is closed: [close_min, reopen_min), and its first runner and sweep times."""

    segment: str
    close_min: float
    reopen_min: float
    first_runner_min: float
    sweep_min: float


@dataclass(frozen=True)
class Runners:
    """One draw of the field: each runner's start time and pace; ``swept`` were too slow."""

    start_min: FloatArray
    pace_min_km: FloatArray
    swept: npt.NDArray[np.bool_]


def draw_runners(course: Course, rng: np.random.Generator) -> Runners:
    """Start time and pace of every runner, corral by corral.

    Paces are normal with the corral's mean and sd, cut below at the fastest pace; runners slower
    than the cut-off are marked swept (they leave the course when the sweep reaches them).
    """
    starts = []
    paces = []
    for corral in course.corrals:
        pace = rng.normal(corral.pace_mean_min_km, corral.pace_sd_min_km, corral.runners)
        paces.append(np.maximum(pace, course.fastest_pace_min_km))
        starts.append(np.full(corral.runners, float(corral.start_min)))
    start = np.concatenate(starts) if starts else np.zeros(0)
    pace = np.concatenate(paces) if paces else np.zeros(0)
    return Runners(start, pace, pace > course.cutoff_pace_min_km)


def sweep_start_min(course: Course) -> float:
    """The sweep leaves with the last corral."""
    return max((c.start_min for c in course.corrals), default=0.0)


def closures(course: Course, runners: Runners) -> tuple[Closure, ...]:
    """When each segment closes and reopens (see the module docstring), in course order."""
    sweep_start = sweep_start_min(course)
    out = []
    for segment in course.segments:
        # A swept runner is still on the course until the sweep catches them.
        reach = runners.start_min + runners.pace_min_km * segment.start_km
        first = float(reach.min()) if reach.size else sweep_start
        sweep = sweep_start + course.cutoff_pace_min_km * segment.end_km
        out.append(
            Closure(
                segment=segment.id,
                close_min=first - course.margin_before_min,
                reopen_min=sweep + course.margin_after_min,
                first_runner_min=first,
                sweep_min=sweep,
            )
        )
    return tuple(out)


def runners_on_segments(course: Course, runners: Runners, grid: TimeGrid) -> FloatArray:
    """Most runners on each segment per slot, shape (segments, slots).

    Counted at each slot's start and middle (a sample, not the exact maximum).

    A runner is on a segment from reaching its start to reaching its end, unless the sweep has
    caught them first (swept runners leave the course at that moment).
    """
    edges = slot_edges(grid)
    probes = np.sort(np.concatenate([edges[:-1], edges[:-1] + grid.slot_min / 2.0]))
    counts = np.zeros((len(course.segments), grid.n_slots))
    caught = _caught_min(course, runners)
    for s, segment in enumerate(course.segments):
        enter = runners.start_min + runners.pace_min_km * segment.start_km
        leave = np.minimum(runners.start_min + runners.pace_min_km * segment.end_km, caught)
        enter_sorted, leave_sorted = np.sort(enter), np.sort(leave)
        on = np.searchsorted(enter_sorted, probes, side="right") - np.searchsorted(
            leave_sorted, probes, side="right"
        )
        slots = np.minimum((probes // grid.slot_min).astype(np.int64), grid.n_slots - 1)
        np.maximum.at(counts[s], slots, np.maximum(on, 0).astype(np.float64))
    return counts


def segment_active_slots(closure: Closure, grid: TimeGrid) -> range:
    """Slots in which a segment's posts are required: those overlapping its closure."""
    start = max(0, int(np.floor(closure.close_min)))
    end = max(start, int(np.ceil(closure.reopen_min)))
    return grid.slots_in(start, end)


def _caught_min(course: Course, runners: Runners) -> FloatArray:
    """When the sweep catches each runner (inf for runners it never catches)."""
    sweep_start = sweep_start_min(course)
    gap = course.cutoff_pace_min_km - runners.pace_min_km
    # Positions meet where start + pace * x = sweep_start + cutoff * x.
    with np.errstate(divide="ignore", invalid="ignore"):
        at_km = (runners.start_min - sweep_start) / gap
    caught = np.where(
        runners.swept & (at_km >= 0), sweep_start + course.cutoff_pace_min_km * at_km, np.inf
    )
    return np.asarray(caught, dtype=np.float64)


def segments_in_order(segments: Sequence[Segment]) -> bool:
    """Whether segments follow each other along the course without gaps or overlaps."""
    return all(
        a.end_km == b.start_km and a.start_km < a.end_km
        for a, b in zip(segments, segments[1:], strict=False)
    )


# Spawn key of the runners' stream under a run's seed; other stages never draw from it.
COURSE_STREAM = 0x636F75


def plan_closures(course: Course, replications: int, seed: int) -> tuple[Closure, ...]:
    """Closures of every segment over ``replications`` draws of the field from ``seed``.

    A segment closes at the earliest first runner over the draws (less the margin); the sweep is
    the same in every draw. Replication r uses stream ``(COURSE_STREAM, r)`` under ``seed``, so
    requirements and verification (different seeds) see independent fields, and the same seed
    gives the same closures.
    """
    found: list[tuple[Closure, ...]] = []
    for rep in range(max(1, replications)):
        sequence = np.random.SeedSequence(seed, spawn_key=(COURSE_STREAM, rep))
        found.append(closures(course, draw_runners(course, np.random.default_rng(sequence))))
    earliest = []
    for per_rep in zip(*found, strict=True):
        first = min(c.first_runner_min for c in per_rep)
        base = per_rep[0]
        earliest.append(
            Closure(
                segment=base.segment,
                close_min=first - course.margin_before_min,
                reopen_min=base.reopen_min,
                first_runner_min=first,
                sweep_min=base.sweep_min,
            )
        )
    return tuple(earliest)


def closed_in_order(found: Sequence[Closure]) -> bool:
    """Whether segments close and reopen in course order (each no earlier than the one before)."""
    return all(
        a.close_min <= b.close_min and a.reopen_min <= b.reopen_min
        for a, b in zip(found, found[1:], strict=False)
    )
