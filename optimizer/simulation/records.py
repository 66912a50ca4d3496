"""What one gate's run leaves behind: per-attendee times and per-slot lane statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import Gate, TimeGrid
from optimizer.simulation.model import screen
from optimizer.simulation.sampling import GateInputs
from optimizer.simulation.stats import level_integral, level_max, slot_of

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class GateRun:
    """One gate in one replication: its attendees and the per-slot state of its lanes.

    Attendee arrays are in arrival order; ``wait_min`` and ``entry_min`` are ``inf`` for attendees
    never screened.
    """

    arrival_min: FloatArray
    arrival_slot: IntArray
    wait_min: FloatArray
    entry_min: FloatArray
    exit_min: FloatArray
    busy_lane_min: FloatArray
    queue_max: FloatArray


def run_gate(gate: Gate, inputs: GateInputs, lanes: Sequence[int], grid: TimeGrid) -> GateRun:
    """Simulate one gate's screening and derive its per-attendee and per-slot records."""
    arrival = inputs.arrival_min
    start = screen(arrival, inputs.service_min, lanes, gate.lanes, grid.slot_min)
    end = start + inputs.service_min
    screened = np.isfinite(start)
    queued = screened & (start > arrival)
    never = ~screened
    # Attendees never screened queue to the end of time.
    queue_up = np.concatenate([arrival[queued], arrival[never]])
    queue_down = np.concatenate([start[queued], np.full(int(never.sum()), np.inf)])
    return GateRun(
        arrival_min=arrival,
        arrival_slot=slot_of(arrival, grid),
        wait_min=start - arrival,
        entry_min=end,
        exit_min=np.maximum(inputs.departure_min, end),
        busy_lane_min=level_integral(start[screened], end[screened], grid),
        queue_max=level_max(queue_up, _finite(queue_down), grid),
    )


def _finite(times: FloatArray) -> FloatArray:
    return times[np.isfinite(times)]
