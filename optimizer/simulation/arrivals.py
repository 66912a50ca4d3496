"""Crowd waves as expected people per slot, and random event times drawn from them.

A wave spreads ``share`` of the attendance over time with a shape. Its curve is the expected number
of people per slot of the grid, found by integrating the shape's distribution exactly over each
slot, so no volume is lost to discretisation. Volume outside the horizon is dropped: a wave that
lies inside the horizon keeps exactly ``share * attendance``.

Random times follow a non-homogeneous Poisson process whose rate is constant inside a slot, which
is exactly what a per-slot curve can express.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import CrowdForecast, TimeGrid, Wave, WaveShape

FloatArray = npt.NDArray[np.float64]

_SQRT2 = math.sqrt(2.0)
# A normal wave narrower than this (well under a second) is a point; dividing by it would overflow.
_POINT_SD_MIN = 1e-6


def slot_edges(grid: TimeGrid) -> FloatArray:
    """Boundaries of the grid's slots in minutes, ``n_slots + 1`` of them."""
    return np.arange(grid.n_slots + 1, dtype=np.float64) * grid.slot_min


def wave_curve(wave: Wave, volume: float, grid: TimeGrid) -> FloatArray:
    """Expected people of one wave in each slot.

    Parameters
    ----------
    wave
        Shape and window. NORMAL is truncated to [start_min, end_min) and renormalised there; a
        zero (or sub-second) ``sd_min`` puts the wave in the slot holding ``peak_min``.
        TRIANGULAR rises from ``start_min`` to ``peak_min`` and falls to ``end_min`` (the peak is
        clamped into the window). PER_SLOT places the normalised ``slot_weights`` on consecutive
        slots from the slot holding ``start_min``.
    volume
        People the whole wave carries, usually ``share * attendance``.
    grid
        The time grid.

    Returns
    -------
    numpy.ndarray
        Non-negative floats of length ``grid.n_slots``; they sum to ``volume`` when the wave lies
        inside the horizon and to less when part of it falls outside.
    """
    if volume <= 0 or grid.n_slots == 0:
        return np.zeros(grid.n_slots)
    if wave.shape is WaveShape.PER_SLOT:
        return volume * _per_slot_shares(wave, grid)
    start, end = float(wave.start_min), float(wave.end_min)
    if end <= start:
        # An empty window still carries its people: put them at its start.
        return volume * _point_shares(start, grid)
    cdf = _cdf(wave, np.clip(slot_edges(grid), start, end), start, end)
    shares = np.diff(cdf)
    # Rounding can leave -1e-17 where the cdf is flat.
    return volume * np.clip(shares, 0.0, None)


def expected_per_slot(waves: Sequence[Wave], attendance: float, grid: TimeGrid) -> FloatArray:
    """Sum of the waves' curves, each carrying ``wave.share * attendance`` people."""
    total = np.zeros(grid.n_slots)
    for wave in waves:
        total += wave_curve(wave, wave.share * attendance, grid)
    return total


def arrival_curve(crowd: CrowdForecast, grid: TimeGrid) -> FloatArray:
    """Expected arrivals per slot over all gates."""
    return expected_per_slot(crowd.arrival_waves, crowd.attendance, grid)


def egress_curve(crowd: CrowdForecast, grid: TimeGrid) -> FloatArray:
    """Expected departures per slot (zeros when the forecast has no egress waves)."""
    return expected_per_slot(crowd.egress_waves, crowd.attendance, grid)


def draw_times(expected: FloatArray, grid: TimeGrid, rng: np.random.Generator) -> FloatArray:
    """Event times of a Poisson process with a rate that is constant inside each slot.

    The count in slot ``k`` is Poisson with mean ``expected[k]`` and the times inside a slot are
    uniform, which is the exact construction of such a process.

    Returns
    -------
    numpy.ndarray
        Sorted times in minutes, all inside [0, n_slots * slot_min).
    """
    counts = rng.poisson(np.clip(expected, 0.0, None))
    starts = np.repeat(slot_edges(grid)[:-1], counts)
    times = starts + rng.random(starts.size) * grid.slot_min
    times.sort()
    return times


def draw_departures(
    expected: FloatArray, people: int, attendance: float, grid: TimeGrid, rng: np.random.Generator
) -> FloatArray:
    """Departure time of each of ``people`` attendees, independent of when they came.

    An attendee leaves inside the horizon with probability ``expected.sum() / attendance`` (at most
    1), at a time drawn from the egress curve (slot by its weight, uniform inside it); the others
    stay to the end of the horizon.

    Returns
    -------
    numpy.ndarray
        Unsorted times in minutes, one per attendee.
    """
    end = float(grid.n_slots * grid.slot_min)
    total = float(expected.sum())
    if people == 0 or total <= 0 or attendance <= 0:
        return np.full(people, end)
    leaves = rng.random(people) < min(1.0, total / attendance)
    slots = rng.choice(grid.n_slots, size=people, p=expected / total)
    times = (slots + rng.random(people)) * grid.slot_min
    return np.where(leaves, times, end)


def coupled_departures(
    arrival_min: FloatArray,
    arrivals: FloatArray,
    egress: FloatArray,
    attendance: float,
    grid: TimeGrid,
) -> FloatArray:
    """Departure time of each attendee, at the egress quantile of their arrival's quantile.

    An attendee arriving at quantile ``u`` of the arrival curve leaves at quantile ``u / s`` of
    the egress curve, where ``s = min(1, egress.sum() / attendance)`` is the share that leaves
    inside the horizon; those with ``u > s`` (the last to come) stay to the end. Early comers
    leave early, and on a multi-day event each day's egress empties that day's crowd: with the
    days' arrival and egress shares equal, nobody stays overnight, where independent draws would
    keep a day's surplus in the zone (about the square root of the crowd). Deterministic given the
    arrival times, so it draws nothing.

    Parameters
    ----------
    arrival_min
        Arrival times, minutes.
    arrivals, egress
        Expected arrivals and departures per slot (``arrival_curve``, ``egress_curve``).
    attendance
        The crowd's size.
    grid
        The time grid.
    """
    end = float(grid.n_slots * grid.slot_min)
    total = float(egress.sum())
    came = float(arrivals.sum())
    if arrival_min.size == 0 or total <= 0 or attendance <= 0 or came <= 0:
        return np.full(arrival_min.size, end)
    edges = slot_edges(grid)
    u = np.interp(arrival_min, edges, np.concatenate([[0.0], np.cumsum(arrivals)]) / came)
    share = min(1.0, total / attendance)
    target = np.clip(u / share, 0.0, 1.0) * total
    cum = np.concatenate([[0.0], np.cumsum(egress)])
    # Slot k with cum[k] <= target < cum[k + 1] (so a slot with departures); the very last
    # quantile goes to the last slot with any. Departures are uniform inside a slot.
    last = int(np.flatnonzero(egress > 0)[-1])
    k = np.minimum(np.searchsorted(cum[1:], target, side="right"), last)
    width = egress[k]
    frac = np.where(width > 0, (target - cum[k]) / np.where(width > 0, width, 1.0), 0.0)
    times = (k + np.clip(frac, 0.0, 1.0)) * grid.slot_min
    return np.asarray(np.where(u <= share, times, end), dtype=np.float64)


def _cdf(wave: Wave, x: FloatArray, start: float, end: float) -> FloatArray:
    """Share of the wave before each ``x`` (already clipped to [start, end])."""
    if wave.shape is WaveShape.UNIFORM:
        return (x - start) / (end - start)
    if wave.shape is WaveShape.TRIANGULAR:
        return _triangular_cdf(x, start, min(max(float(wave.peak_min), start), end), end)
    if wave.shape is WaveShape.NORMAL:
        return _truncated_normal_cdf(x, float(wave.peak_min), wave.sd_min, start, end)
    raise ValueError(f"Unknown wave shape {wave.shape!r}")


def _triangular_cdf(x: FloatArray, a: float, c: float, b: float) -> FloatArray:
    rising = (x - a) ** 2 / ((b - a) * (c - a)) if c > a else np.zeros_like(x)
    falling = 1.0 - (b - x) ** 2 / ((b - a) * (b - c)) if b > c else np.ones_like(x)
    return np.where(x <= c, rising, falling)


def _truncated_normal_cdf(
    x: FloatArray, mean: float, sd: float, start: float, end: float
) -> FloatArray:
    if sd < _POINT_SD_MIN:
        point = min(max(mean, start), end)
        # A peak at the window's (open) end still falls inside the window.
        return np.where((x > point) | (x >= end), 1.0, 0.0)
    below = np.array([_normal_mass(start, xi, mean, sd) for xi in x])
    total = _normal_mass(start, end, mean, sd)
    if total <= 0.0:
        # The window lies so far out in a tail that its mass underflows; a flat spread is the
        # limit the truncated normal tends to there.
        return (x - start) / (end - start)
    return below / total


def _normal_mass(lo: float, hi: float, mean: float, sd: float) -> float:
    """P(lo <= X < hi) for X ~ N(mean, sd), accurate far into either tail."""
    if hi <= lo:
        return 0.0
    z_lo, z_hi = (lo - mean) / sd, (hi - mean) / sd
    # erfc keeps relative precision in the tail it decays in; pick the tail the interval lies in.
    if z_lo >= 0:
        return 0.5 * (math.erfc(z_lo / _SQRT2) - math.erfc(z_hi / _SQRT2))
    return 0.5 * (math.erfc(-z_hi / _SQRT2) - math.erfc(-z_lo / _SQRT2))


def _per_slot_shares(wave: Wave, grid: TimeGrid) -> FloatArray:
    weights = np.clip(np.asarray(wave.slot_weights, dtype=np.float64), 0.0, None)
    shares = np.zeros(grid.n_slots)
    total = float(weights.sum())
    if total <= 0:
        return shares
    first = wave.start_min // grid.slot_min
    for offset, weight in enumerate(weights / total):
        slot = first + offset
        if 0 <= slot < grid.n_slots:
            shares[slot] += weight
    return shares


def _point_shares(minute: float, grid: TimeGrid) -> FloatArray:
    shares = np.zeros(grid.n_slots)
    if 0 <= minute < grid.n_slots * grid.slot_min:
        shares[int(minute // grid.slot_min)] = 1.0
    return shares
