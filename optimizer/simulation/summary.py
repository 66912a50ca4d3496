"""Per-slot gate and zone statistics over replications, as ``SimulationResult`` reports them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import (
    EventPlan,
    GateId,
    GateSlotStats,
    RiskTargets,
    ZoneId,
    ZoneSlotStats,
)
from optimizer.simulation.records import GateRun
from optimizer.simulation.stats import (
    ci_half_width,
    level_integral,
    level_max,
    slot_means,
    slot_of,
    slot_quantiles,
)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Summary:
    gates: tuple[GateSlotStats, ...]
    zones: tuple[ZoneSlotStats, ...]
    wait_quantile_by_rep: dict[GateId, FloatArray]
    occupancy_max_by_rep: dict[ZoneId, FloatArray]


def summarise(
    plan: EventPlan,
    targets: RiskTargets,
    lanes: Mapping[GateId, tuple[int, ...]],
    runs: Mapping[GateId, Sequence[GateRun]],
    replications: int,
) -> Summary:
    """Aggregate the replications' gate runs into per-slot statistics (see ``simulate``)."""
    gates = []
    quantiles_by_rep = {}
    for gate in plan.gates:
        stats, by_rep = _gate_stats(plan, targets, gate.id, lanes[gate.id], runs[gate.id])
        gates.append(stats)
        quantiles_by_rep[gate.id] = by_rep
    zones = []
    occupancy_by_rep = {}
    for zone in plan.zones:
        zone_runs = [
            [runs[g.id][rep] for g in plan.gates if g.zone_id == zone.id]
            for rep in range(replications)
        ]
        stats_z, max_by_rep = _zone_stats(plan, zone.id, zone.area_m2, zone_runs)
        zones.append(stats_z)
        occupancy_by_rep[zone.id] = max_by_rep
    return Summary(tuple(gates), tuple(zones), quantiles_by_rep, occupancy_by_rep)


def _gate_stats(
    plan: EventPlan,
    targets: RiskTargets,
    gate_id: GateId,
    lanes: tuple[int, ...],
    runs: Sequence[GateRun],
) -> tuple[GateSlotStats, FloatArray]:
    grid = plan.grid
    n = grid.n_slots
    q = targets.wait_quantile
    waits = np.concatenate([r.wait_min for r in runs])
    slots = np.concatenate([r.arrival_slot for r in runs])
    by_rep = np.array([slot_quantiles(r.wait_min, r.arrival_slot, n, q) for r in runs])
    met = (by_rep <= targets.wait_target_min).all(axis=1)
    open_lane_min = np.array(lanes, dtype=np.float64) * grid.slot_min * len(runs)
    busy = np.sum([r.busy_lane_min for r in runs], axis=0)
    gate = plan.gate(gate_id)
    spilled: tuple[float, ...] = ()
    if gate.spill_queue > 0:
        left = np.concatenate([r.spill_arrival_min for r in runs]) - gate.spill_walk_min
        spilled = _floats(np.bincount(slot_of(left, grid), minlength=n) / len(runs))
    stats = GateSlotStats(
        gate_id=gate_id,
        arrivals_mean=_floats(np.bincount(slots, minlength=n) / len(runs)),
        lanes_open=lanes,
        wait_mean_min=_floats(slot_means(waits, slots, n)),
        wait_quantile_min=_floats(slot_quantiles(waits, slots, n, q)),
        queue_max=_floats(np.max([r.queue_max for r in runs], axis=0)),
        # Busy time of a lane that is closing after its last attendee counts while the lane no
        # longer counts as open, so this can exceed 1 by a hair in a slot where lanes close.
        utilisation=_floats(
            np.divide(busy, open_lane_min, out=np.zeros(n), where=open_lane_min > 0)
        ),
        replications_met=float(met.mean()),
        spilled_mean=spilled,
        wait_quantile_ci_min=_floats(ci_half_width(by_rep)),
    )
    return stats, by_rep


def _zone_stats(
    plan: EventPlan, zone_id: ZoneId, area_m2: float, runs_by_rep: Sequence[Sequence[GateRun]]
) -> tuple[ZoneSlotStats, FloatArray]:
    grid = plan.grid
    means = []
    maxima = []
    for runs in runs_by_rep:
        entry = np.concatenate([r.entry_min for r in runs]) if runs else np.zeros(0)
        exit_ = np.concatenate([r.exit_min for r in runs]) if runs else np.zeros(0)
        # Attendees never screened never enter; those leaving as they enter are never inside.
        inside = np.isfinite(entry) & (exit_ > entry)
        entry, exit_ = entry[inside], exit_[inside]
        means.append(level_integral(entry, exit_, grid) / grid.slot_min)
        maxima.append(level_max(entry, exit_, grid))
    occupancy_max = np.max(maxima, axis=0)
    density = occupancy_max / area_m2 if area_m2 > 0 else np.zeros(grid.n_slots)
    stats = ZoneSlotStats(
        zone_id=zone_id,
        occupancy_mean=_floats(np.mean(means, axis=0)),
        occupancy_max=_floats(occupancy_max),
        density_max=_floats(density),
    )
    return stats, np.array(maxima)


def _floats(values: FloatArray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
