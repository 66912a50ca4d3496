"""Per-slot statistics of simulated attendees, computed with numpy after a run.

The SimPy model records only when each attendee starts screening. Queues, busy lanes and zone
occupancy are step functions of those times, so they are rebuilt here from sorted event times
rather than sampled during the run.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import TimeGrid
from optimizer.simulation.arrivals import slot_edges

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def slot_of(times: FloatArray, grid: TimeGrid) -> IntArray:
    """Slot of each time, as ``TimeGrid.slot_of`` (the horizon's end falls in the last slot)."""
    slots = np.floor_divide(times, grid.slot_min).astype(np.int64)
    return np.clip(slots, 0, grid.n_slots - 1)


def level_integral(up: FloatArray, down: FloatArray, grid: TimeGrid) -> FloatArray:
    """Integral over each slot of the count of intervals [up[i], down[i]) open at each moment.

    For busy lanes that is busy lane-minutes; divided by the slot length it is the time-average
    occupancy. Intervals may extend past the horizon; only the part inside counts.
    """
    edges = slot_edges(grid)
    return np.diff(_open_time_before(np.sort(up), edges) - _open_time_before(np.sort(down), edges))


def level_max(up: FloatArray, down: FloatArray, grid: TimeGrid) -> FloatArray:
    """Largest count of open intervals at any moment of each slot.

    At equal times ends are applied before starts, so an interval that ends as another begins is
    not counted twice.
    """
    edges = slot_edges(grid)
    if up.size == 0:
        return np.zeros(grid.n_slots)
    times = np.concatenate([up, down])
    deltas = np.concatenate([np.ones(up.size), -np.ones(down.size)])
    order = np.lexsort((deltas, times))
    times, levels = times[order], np.cumsum(deltas[order])
    # Level carried into each slot from events before it.
    before = np.searchsorted(times, edges[:-1], side="left")
    best = np.where(before > 0, levels[np.maximum(before - 1, 0)], 0.0)
    inside = times < edges[-1]
    np.maximum.at(best, slot_of(times[inside], grid), levels[inside])
    return best


def slot_quantiles(values: FloatArray, slots: IntArray, n_slots: int, q: float) -> FloatArray:
    """The ``q`` quantile of ``values`` in each slot (linear interpolation; 0 for empty slots).

    Unlike ``numpy.quantile`` this handles ``inf`` (an attendee never screened): a quantile that
    reaches an infinite value is infinite, one that does not stays finite.
    """
    counts = np.bincount(slots, minlength=n_slots)
    result = np.zeros(n_slots)
    filled = counts > 0
    if not filled.any():
        return result
    ordered = values[np.lexsort((values, slots))]
    first = np.cumsum(counts) - counts
    pos = q * (counts[filled] - 1)
    low = np.floor(pos).astype(np.int64)
    frac = pos - low
    a = ordered[first[filled] + low]
    b = ordered[first[filled] + np.minimum(low + 1, counts[filled] - 1)]
    blend = (frac > 0) & (b != a)
    out = a.copy()
    with np.errstate(invalid="ignore"):
        out[blend] = a[blend] + (b[blend] - a[blend]) * frac[blend]
    result[filled] = out
    return result


def slot_means(values: FloatArray, slots: IntArray, n_slots: int) -> FloatArray:
    """Mean of ``values`` in each slot (0 for empty slots, ``inf`` if any value is)."""
    counts = np.bincount(slots, minlength=n_slots)
    sums = np.bincount(slots, weights=values, minlength=n_slots)
    return np.divide(sums, counts, out=np.zeros(n_slots), where=counts > 0)


def _open_time_before(sorted_times: FloatArray, edges: FloatArray) -> FloatArray:
    """For each edge T, the sum over times t < T of (T - t)."""
    finite = sorted_times[np.isfinite(sorted_times)]
    count = np.searchsorted(finite, edges, side="left")
    prefix = np.concatenate([[0.0], np.cumsum(finite)])
    before: FloatArray = count * edges - prefix[count]
    return before


# Two-sided 95% Student t quantiles by degrees of freedom 1-30; the normal 1.960 beyond.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


# One-sided 95% Student t quantiles by degrees of freedom 1-30 (published tables).
_T95 = (
    6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812,
    1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725,
    1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
)  # fmt: skip


def t_quantile(level: float, dof: int) -> float:
    """Student t quantile at ``level`` 0.95 or 0.975 with ``dof`` >= 1 degrees of freedom; the
    normal quantile beyond 30."""
    table, normal = {0.95: (_T95, 1.645), 0.975: (_T975, 1.960)}[level]
    if dof < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {dof}")
    return table[dof - 1] if dof <= len(table) else normal


def ci_half_width(by_rep: FloatArray) -> FloatArray:
    """Half-width of the 95% confidence interval of each column's mean over the replications.

    ``by_rep`` has one row per replication. Replications are independent, so ``t * sd / sqrt(R)``
    (Student t with R - 1 degrees of freedom) bounds the sampling error of a statistic estimated
    from all of them, the pooled quantile included (asymptotically). 0 with one replication (no
    spread to measure); inf in a column where a replication is infinite.
    """
    reps = by_rep.shape[0]
    if reps < 2:
        return np.zeros(by_rep.shape[1:])
    t = _T975[reps - 2] if reps - 1 <= len(_T975) else 1.960
    finite = np.isfinite(by_rep).all(axis=0)
    safe = np.where(finite, by_rep, 0.0)
    half: FloatArray = np.where(finite, t * safe.std(axis=0, ddof=1) / np.sqrt(reps), np.inf)
    return half
