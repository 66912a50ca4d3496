"""What one gate's run leaves behind: per-attendee times and per-slot lane statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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
    never screened. Attendees who spilled over to another gate are not among them: the ``spill_*``
    arrays hold their arrival at that gate (after the walk), their service time as drawn here
    and their departure, for the other gate's run.
    """

    arrival_min: FloatArray
    arrival_slot: IntArray
    wait_min: FloatArray
    entry_min: FloatArray
    exit_min: FloatArray
    busy_lane_min: FloatArray
    queue_max: FloatArray
    spill_arrival_min: FloatArray = field(default_factory=lambda: np.zeros(0))
    spill_service_min: FloatArray = field(default_factory=lambda: np.zeros(0))
    spill_departure_min: FloatArray = field(default_factory=lambda: np.zeros(0))


def run_gate(
    gate: Gate,
    inputs: GateInputs,
    lanes: Sequence[int],
    grid: TimeGrid,
    incoming: GateInputs | None = None,
) -> GateRun:
    """Simulate one gate's screening and derive its per-attendee and per-slot records.

    ``incoming`` are attendees spilled over from other gates, already timed for this one; they
    queue with the gate's own attendees in arrival order.
    """
    if incoming is not None and incoming.arrival_min.size:
        order = np.argsort(
            np.concatenate([inputs.arrival_min, incoming.arrival_min]), kind="stable"
        )
        inputs = GateInputs(
            arrival_min=np.concatenate([inputs.arrival_min, incoming.arrival_min])[order],
            service_min=np.concatenate([inputs.service_min, incoming.service_min])[order],
            departure_min=np.concatenate([inputs.departure_min, incoming.departure_min])[order],
        )
    start = screen(
        inputs.arrival_min, inputs.service_min, lanes, gate.lanes, grid.slot_min, gate.spill_queue
    )
    spilled = np.isnan(start)
    stay = ~spilled
    arrival = inputs.arrival_min[stay]
    service = inputs.service_min[stay]
    departure = inputs.departure_min[stay]
    start = start[stay]
    end = start + service
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
        exit_min=np.maximum(departure, end),
        busy_lane_min=level_integral(start[screened], end[screened], grid),
        queue_max=level_max(queue_up, _finite(queue_down), grid),
        spill_arrival_min=inputs.arrival_min[spilled] + gate.spill_walk_min,
        spill_service_min=inputs.service_min[spilled],
        spill_departure_min=inputs.departure_min[spilled],
    )


def _finite(times: FloatArray) -> FloatArray:
    return times[np.isfinite(times)]
