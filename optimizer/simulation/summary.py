"""Per-slot gate and zone statistics over replications, as ``SimulationResult`` reports them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import (
    EventPlan,
    Exit,
    ExitStats,
    GateId,
    GateSlotStats,
    RiskTargets,
    TimeGrid,
    ZoneId,
    ZoneSlotStats,
)
from optimizer.risk import gate_targets
from optimizer.simulation.exits import ExitPassage, pass_exits
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
    exits: tuple[ExitStats, ...] = ()
    exit_wait_max_by_rep: dict[ZoneId, FloatArray] = field(default_factory=dict)


def summarise(
    plan: EventPlan,
    targets: RiskTargets,
    lanes: Mapping[GateId, tuple[int, ...]],
    runs: Mapping[GateId, Sequence[GateRun]],
    replications: int,
) -> Summary:
    """Aggregate the replications' gate runs into per-slot statistics (see ``simulate``).

    ``targets`` are the plan level's; each gate's waits are taken at its own quantile and judged
    against its own target (``risk.gate_targets``).
    """
    gates = []
    quantiles_by_rep = {}
    for gate in plan.gates:
        own = gate_targets(plan, targets, gate)
        stats, by_rep = _gate_stats(plan, own, gate.id, lanes[gate.id], runs[gate.id])
        gates.append(stats)
        quantiles_by_rep[gate.id] = by_rep
    zones = []
    occupancy_by_rep = {}
    exits: list[ExitStats] = []
    exit_waits: dict[ZoneId, FloatArray] = {}
    for zone in plan.zones:
        zone_runs = [
            [runs[g.id][rep] for g in plan.gates if g.zone_id == zone.id]
            for rep in range(replications)
        ]
        zone_exits = tuple(e for e in plan.exits if e.zone_id == zone.id)
        stats_z, max_by_rep, egress = _zone_stats(
            plan, zone.id, zone.area_m2, zone_runs, zone_exits
        )
        zones.append(stats_z)
        occupancy_by_rep[zone.id] = max_by_rep
        if egress is not None:
            exits.extend(egress.stats)
            exit_waits[zone.id] = egress.wait_max_by_rep
    return Summary(
        tuple(gates), tuple(zones), quantiles_by_rep, occupancy_by_rep, tuple(exits), exit_waits
    )


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
        arrivals_ci=_floats(
            ci_half_width(np.array([np.bincount(r.arrival_slot, minlength=n) for r in runs]))
        ),
        wait_mean_ci_min=_floats(
            ci_half_width(np.array([slot_means(r.wait_min, r.arrival_slot, n) for r in runs]))
        ),
        queue_max_ci=_floats(ci_half_width(np.array([r.queue_max for r in runs]))),
        utilisation_ci=_floats(
            ci_half_width(
                np.array(
                    [
                        np.divide(
                            r.busy_lane_min,
                            open_lane_min / len(runs),
                            out=np.zeros(n),
                            where=open_lane_min > 0,
                        )
                        for r in runs
                    ]
                )
            )
        ),
    )
    return stats, by_rep


@dataclass(frozen=True)
class _Egress:
    stats: tuple[ExitStats, ...]
    wait_max_by_rep: FloatArray


def _zone_stats(
    plan: EventPlan,
    zone_id: ZoneId,
    area_m2: float,
    runs_by_rep: Sequence[Sequence[GateRun]],
    exits: Sequence[Exit] = (),
) -> tuple[ZoneSlotStats, FloatArray, _Egress | None]:
    """Occupancy statistics of one zone; with exits, egress passes through them first.

    An attendee is in the zone from screening until through an exit (``simulation.exits``), or
    until their departure when the zone has no exits.
    """
    grid = plan.grid
    means: list[FloatArray] = []
    maxima: list[FloatArray] = []
    passages: list[tuple[FloatArray, ExitPassage]] = []
    for runs in runs_by_rep:
        entry = np.concatenate([r.entry_min for r in runs]) if runs else np.zeros(0)
        exit_ = np.concatenate([r.exit_min for r in runs]) if runs else np.zeros(0)
        # Attendees never screened never enter; those leaving as they enter are never inside.
        inside = np.isfinite(entry) & (exit_ > entry)
        entry, exit_ = entry[inside], exit_[inside]
        if exits:
            passage = pass_exits(exit_, [e.capacity_per_min for e in exits], grid.horizon_min)
            passages.append((exit_, passage))
            exit_ = passage.pass_min
        means.append(level_integral(entry, exit_, grid) / grid.slot_min)
        maxima.append(level_max(entry, exit_, grid))
    occupancy_max = np.max(maxima, axis=0)
    density = occupancy_max / area_m2 if area_m2 > 0 else np.zeros(grid.n_slots)
    peak_ci = ci_half_width(np.array(maxima))
    stats = ZoneSlotStats(
        zone_id=zone_id,
        occupancy_mean=_floats(np.mean(means, axis=0)),
        occupancy_max=_floats(occupancy_max),
        density_max=_floats(density),
        occupancy_mean_ci=_floats(ci_half_width(np.array(means))),
        occupancy_peak_mean=_floats(np.mean(maxima, axis=0)),
        occupancy_peak_ci=_floats(peak_ci),
        density_peak_ci=_floats(peak_ci / area_m2 if area_m2 > 0 else np.zeros(grid.n_slots)),
    )
    egress = _egress_stats(grid, zone_id, exits, passages) if exits else None
    return stats, np.array(maxima), egress


def _egress_stats(
    grid: TimeGrid,
    zone_id: ZoneId,
    exits: Sequence[Exit],
    passages: Sequence[tuple[FloatArray, ExitPassage]],
) -> _Egress:
    """Per exit: passages (in all and by slot), the P90 wait pooled over replications with its
    95% CI, the longest wait and the last passage; per replication, the longest wait at any of
    the zone's exits."""
    stats = []
    for index, exit_ in enumerate(exits):
        waits = [p.pass_min[p.exit_index == index] - d[p.exit_index == index] for d, p in passages]
        lasts = [p.pass_min[p.exit_index == index] for _, p in passages]
        pooled = np.concatenate(waits) if waits else np.zeros(0)
        by_rep = np.array([[np.quantile(w, 0.9) if w.size else 0.0] for w in waits])
        stats.append(
            ExitStats(
                exit_id=exit_.id,
                zone_id=zone_id,
                passed_mean=float(np.mean([w.size for w in waits])) if waits else 0.0,
                wait_quantile_min=float(np.quantile(pooled, 0.9)) if pooled.size else 0.0,
                wait_quantile_ci_min=float(ci_half_width(by_rep)[0]) if waits else 0.0,
                wait_max_min=float(pooled.max(initial=0.0)),
                last_out_min=float(max((t.max(initial=0.0) for t in lasts), default=0.0)),
                passed_by_slot=_floats(
                    np.sum(
                        [np.bincount(slot_of(t, grid), minlength=grid.n_slots) for t in lasts],
                        axis=0,
                    )
                    / max(len(lasts), 1)
                ),
            )
        )
    worst = np.array(
        [
            float((p.pass_min[p.exit_index >= 0] - d[p.exit_index >= 0]).max(initial=0.0))
            for d, p in passages
        ]
    )
    return _Egress(tuple(stats), worst)


def _floats(values: FloatArray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
