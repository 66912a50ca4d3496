"""Replications of the crowd model, run in order or in worker processes, and their results.

``simulate`` is the entry point. ``Simulator`` keeps the replications' seeds and caches each gate's
runs by its lanes, so a search that changes the lanes of a few gates (the staffing iteration)
re-runs only those gates. Gates are independent given the attendees (see ``sampling``), so a gate
run alone is bit-for-bit the gate run inside a full simulation.
"""

from __future__ import annotations

import multiprocessing
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import EventPlan, GateId, RiskTargets, SimulationResult, ZoneId
from optimizer.simulation.records import GateRun, run_gate
from optimizer.simulation.sampling import GateInputs, draw_replication, replication_seeds
from optimizer.simulation.summary import summarise

FloatArray = npt.NDArray[np.float64]

# Lanes open per gate and slot; keyed by GateId or by plain strings.
LanePlan = Mapping[GateId, Sequence[int]] | Mapping[str, Sequence[int]]

# Lane settings remembered per gate; a search mostly steps back to one of its last few settings.
_CACHE_PER_GATE = 4


@dataclass(frozen=True)
class SimulationRun:
    """A ``SimulationResult`` with the per-replication detail behind it.

    ``lanes`` are the lanes simulated (every gate, plan order). ``wait_quantile_by_rep[gate]``
    (the quantile wait of each replication's arrivals per slot) and ``occupancy_max_by_rep[zone]``
    have shape (replications, n_slots). ``gate_runs[gate][r]`` holds replication ``r``'s
    attendees at the gate: arrival, wait, entry into and exit from the zone.
    """

    result: SimulationResult
    lanes: Mapping[GateId, tuple[int, ...]]
    wait_quantile_by_rep: Mapping[GateId, FloatArray]
    occupancy_max_by_rep: Mapping[ZoneId, FloatArray]
    gate_runs: Mapping[GateId, tuple[GateRun, ...]]


def simulate(
    plan: EventPlan,
    targets: RiskTargets,
    lanes: LanePlan,
    replications: int,
    seed: int,
    *,
    workers: int = 1,
) -> SimulationResult:
    """Simulate the event ``replications`` times with ``lanes`` open and summarise per slot.

    Parameters
    ----------
    plan
        The event: grid, gates, zones and crowd forecast.
    targets
        Supplies the wait quantile and target that the statistics and ``replications_met`` use.
    lanes
        Lanes open at each gate in each slot (length ``n_slots``); a gate left out has all its
        lanes open throughout.
    replications
        Independent runs; replication ``r`` draws from child ``r`` of ``SeedSequence(seed)``.
    seed
        Root seed. The same seed gives bit-for-bit the same result for any ``workers``.
    workers
        Processes to spread replications over; 1 runs them here.

    Returns
    -------
    SimulationResult
        Gate statistics in plan order, zone statistics in plan order. An attendee still queueing
        when the lanes stay closed to the end is never screened: their wait is ``inf`` and so
        counts in the quantiles as longer than any other. Zone occupancy is the time-average over
        the slot (``occupancy_mean``) and the peak at any moment of it (``occupancy_max``, the
        largest over replications).

    Raises
    ------
    ValueError
        A lane list has the wrong length or a count outside [0, gate.lanes].
    """
    return simulate_detailed(plan, targets, lanes, replications, seed, workers=workers).result


def simulate_detailed(
    plan: EventPlan,
    targets: RiskTargets,
    lanes: LanePlan,
    replications: int,
    seed: int,
    *,
    workers: int = 1,
) -> SimulationRun:
    """``simulate`` with the per-replication detail verification and staffing need."""
    with Simulator(plan, replications, seed, workers=workers) as simulator:
        return simulator.run(targets, lanes)


class Simulator:
    """Replications of one plan with fixed seeds, re-runnable with different lanes.

    Use as a context manager when ``workers > 1`` so the worker processes are shut down.
    """

    def __init__(self, plan: EventPlan, replications: int, seed: int, *, workers: int = 1) -> None:
        if replications < 1:
            raise ValueError(f"Replications must be at least 1, got {replications}")
        self.plan = plan
        self.replications = replications
        self.seed = seed
        self._seeds = replication_seeds(seed, replications)
        self._inputs: dict[int, dict[int, GateInputs]] = {}
        self._cache: dict[GateId, OrderedDict[tuple[int, ...], tuple[GateRun, ...]]] = {
            gate.id: OrderedDict() for gate in plan.gates
        }
        self._executor: Executor | None = None
        if workers > 1 and replications > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=min(workers, replications),
                # Not fork: the caller may be a threaded gRPC server.
                mp_context=multiprocessing.get_context("spawn"),
            )

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Shut down the worker processes, if any."""
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None

    def resolve_lanes(self, lanes: LanePlan) -> dict[GateId, tuple[int, ...]]:
        """Lanes per gate in plan order, with left-out gates fully open; checks every count."""
        n_slots = self.plan.grid.n_slots
        resolved = {}
        for gate in self.plan.gates:
            row = tuple(int(n) for n in lanes.get(gate.id, [gate.lanes] * n_slots))
            if len(row) != n_slots:
                raise ValueError(f"Gate {gate.id}: {len(row)} lane counts for {n_slots} slots")
            if any(n < 0 or n > gate.lanes for n in row):
                raise ValueError(f"Gate {gate.id}: lane counts {row} outside [0, {gate.lanes}]")
            resolved[gate.id] = row
        return resolved

    def gate_runs(self, lanes: LanePlan) -> dict[GateId, tuple[GateRun, ...]]:
        """Each gate's runs over the replications with ``lanes``, re-running only new settings."""
        resolved = self.resolve_lanes(lanes)
        missing = [
            (index, resolved[gate.id])
            for index, gate in enumerate(self.plan.gates)
            if resolved[gate.id] not in self._cache[gate.id]
        ]
        if missing:
            per_rep = self._run_missing(tuple(missing))
            for position, (index, row) in enumerate(missing):
                cache = self._cache[self.plan.gates[index].id]
                cache[row] = tuple(runs[position] for runs in per_rep)
                while len(cache) > _CACHE_PER_GATE:
                    cache.popitem(last=False)
        out = {}
        for gate in self.plan.gates:
            cache = self._cache[gate.id]
            cache.move_to_end(resolved[gate.id])
            out[gate.id] = cache[resolved[gate.id]]
        return out

    def run(self, targets: RiskTargets, lanes: LanePlan) -> SimulationRun:
        """Simulate with ``lanes`` and summarise (see ``simulate``)."""
        resolved = self.resolve_lanes(lanes)
        runs = self.gate_runs(resolved)
        summary = summarise(self.plan, targets, resolved, runs, self.replications)
        result = SimulationResult(
            replications=self.replications,
            seed=self.seed,
            attendees_simulated=sum(r.arrival_min.size for rs in runs.values() for r in rs),
            gates=summary.gates,
            zones=summary.zones,
        )
        return SimulationRun(
            result=result,
            lanes=resolved,
            wait_quantile_by_rep=summary.wait_quantile_by_rep,
            occupancy_max_by_rep=summary.occupancy_max_by_rep,
            gate_runs=runs,
        )

    def _run_missing(
        self, jobs: tuple[tuple[int, tuple[int, ...]], ...]
    ) -> list[tuple[GateRun, ...]]:
        if self._executor is None:
            return [
                _run_gates(self.plan, self._replication_inputs(rep), jobs)
                for rep in range(self.replications)
            ]
        futures = [
            self._executor.submit(run_replication, self.plan, rep_seed, jobs)
            for rep_seed in self._seeds
        ]
        return [future.result() for future in futures]

    def _replication_inputs(self, rep: int) -> dict[int, GateInputs]:
        if rep not in self._inputs:
            self._inputs[rep] = draw_replication(self.plan, self._seeds[rep])
        return self._inputs[rep]


def run_replication(
    plan: EventPlan,
    seed: np.random.SeedSequence,
    jobs: tuple[tuple[int, tuple[int, ...]], ...],
) -> tuple[GateRun, ...]:
    """One replication of the gates in ``jobs`` (gate index, lanes per slot), in job order.

    Top-level so worker processes can run it; it draws the inputs of those gates itself.
    """
    return _run_gates(plan, draw_replication(plan, seed, {index for index, _ in jobs}), jobs)


def _run_gates(
    plan: EventPlan,
    inputs: Mapping[int, GateInputs],
    jobs: tuple[tuple[int, tuple[int, ...]], ...],
) -> tuple[GateRun, ...]:
    return tuple(run_gate(plan.gates[i], inputs[i], lanes, plan.grid) for i, lanes in jobs)
