"""The random inputs of one replication: who arrives at which gate when, and their needs.

Every replication has its own ``SeedSequence`` child, and inside it one stream for the arrivals and
one per gate for service and departure times. Nothing drawn depends on the lanes, so runs with
different lanes see the same attendees (common random numbers): lane changes are compared without
noise, and a gate can be re-run alone with exactly the attendees it had in a full run.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import EventPlan
from optimizer.simulation.arrivals import (
    arrival_curve,
    coupled_departures,
    draw_times,
    egress_curve,
)
from optimizer.simulation.service import draw_service_min

FloatArray = npt.NDArray[np.float64]

ARRIVAL_STREAM = 0


@dataclass(frozen=True)
class GateInputs:
    """Attendees of one gate in one replication, in arrival order."""

    arrival_min: FloatArray
    service_min: FloatArray
    departure_min: FloatArray


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """Child seed of each replication: replication ``r`` gets the same child for any count."""
    return np.random.SeedSequence(seed).spawn(replications)


def gate_shares(plan: EventPlan) -> npt.NDArray[np.float64]:
    """Probability that an attendee picks each gate (equal when no gate has a share)."""
    shares = np.clip(np.array([g.share for g in plan.gates], dtype=np.float64), 0.0, None)
    total = float(shares.sum())
    if total <= 0:
        return np.full(len(plan.gates), 1.0 / len(plan.gates))
    return shares / total


def draw_replication(
    plan: EventPlan, seed: np.random.SeedSequence, gates: Collection[int] | None = None
) -> dict[int, GateInputs]:
    """Draw one replication's attendees per gate index (all gates, or those in ``gates``).

    Every gate has its own stream, so drawing a subset gives those gates exactly the attendees
    they get when all are drawn.
    """
    if not plan.gates:
        return {}
    grid = plan.grid
    rng = np.random.default_rng(_stream(seed, ARRIVAL_STREAM))
    arrivals = arrival_curve(plan.crowd, grid)
    times = draw_times(arrivals, grid, rng)
    choice = rng.choice(len(plan.gates), size=times.size, p=gate_shares(plan))
    egress = egress_curve(plan.crowd, grid)
    inputs = {}
    for index, gate in enumerate(plan.gates):
        if gates is not None and index not in gates:
            continue
        arrival_min = times[choice == index]
        gate_rng = np.random.default_rng(_stream(seed, 1 + index))
        inputs[index] = GateInputs(
            arrival_min=arrival_min,
            service_min=draw_service_min(gate, arrival_min.size, gate_rng),
            # Departures follow arrivals quantile for quantile, so nobody leaves before coming
            # and on a multi-day event each day's egress empties that day's crowd.
            departure_min=coupled_departures(
                arrival_min, arrivals, egress, plan.crowd.attendance, grid
            ),
        )
    return inputs


def _stream(seed: np.random.SeedSequence, key: int) -> np.random.SeedSequence:
    # Built from the spawn key rather than by ``seed.spawn`` so that the same stream comes out
    # however often the replication is drawn (``spawn`` advances a counter on the parent).
    return np.random.SeedSequence(
        seed.entropy, spawn_key=(*seed.spawn_key, key), pool_size=seed.pool_size
    )
