"""Replications of the crowd model, run in order or in worker processes, and their results.

``simulate`` is the entry point. ``Simulator`` keeps the replications' seeds and caches each gate's
runs by its lanes, so a search that changes the lanes of a few gates (the staffing iteration)
re-runs only those gates. Gates are independent given the attendees (see ``sampling``), so a gate
run alone is bit-for-bit the gate run inside a full simulation. Spill-over (``Gate.spill_to``, a
later gate) is the exception: a gate's run then depends on the gates that spill into it, so it is
cached by their lanes too, runs after them, and re-runs with them.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import EventPlan, GateId, RiskTargets, SimulationResult, ZoneId
from optimizer.errors import Cancelled
from optimizer.simulation.records import GateRun, run_gate
from optimizer.simulation.sampling import GateInputs, draw_replication, replication_seeds
from optimizer.simulation.service import service_mean_s
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
    # Longest wait at the exits of each zone with exits, per replication (shape (replications,)).
    exit_wait_max_by_rep: Mapping[ZoneId, FloatArray] = field(default_factory=dict)


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
    stop_event: threading.Event | None = None,
    on_replication: Callable[[int, int], None] | None = None,
) -> SimulationRun:
    """``simulate`` with the per-replication detail verification and staffing need."""
    with Simulator(
        plan,
        replications,
        seed,
        workers=workers,
        stop_event=stop_event,
        on_replication=on_replication,
    ) as simulator:
        return simulator.run(targets, lanes)


class Simulator:
    """Replications of one plan with fixed seeds, re-runnable with different lanes.

    Use as a context manager when ``workers > 1`` so the worker processes are shut down. Setting
    ``stop_event`` makes the next replication raise ``Cancelled`` (a cancelled RPC stops here);
    ``on_replication(k, n)`` is told each time replication k of n has run (progress reports).
    """

    def __init__(
        self,
        plan: EventPlan,
        replications: int,
        seed: int,
        *,
        workers: int = 1,
        stop_event: threading.Event | None = None,
        on_replication: Callable[[int, int], None] | None = None,
    ) -> None:
        if replications < 1:
            raise ValueError(f"Replications must be at least 1, got {replications}")
        self.plan = plan
        self.replications = replications
        self.seed = seed
        self._seeds = replication_seeds(seed, replications)
        self._inputs: dict[int, dict[int, GateInputs]] = {}
        # Keyed by the lanes of the gate and of every gate spilling into it, in plan order.
        self._cache: dict[GateId, OrderedDict[_CacheKey, tuple[GateRun, ...]]] = {
            gate.id: OrderedDict() for gate in plan.gates
        }
        self._upstream = _upstream(plan)
        self._executor: Executor | None = None
        self._stop_event = stop_event
        self._on_replication = on_replication
        self._workers = workers
        if workers > 1 and replications > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=min(workers, replications),
                # Not fork: the caller may be a threaded gRPC server.
                mp_context=multiprocessing.get_context("spawn"),
            )

    def __enter__(self) -> Simulator:
        return self

    def sibling(self, seed: int) -> Simulator:
        """The same plan, replications, workers and stop event on other random numbers."""
        return Simulator(
            self.plan,
            self.replications,
            seed,
            workers=self._workers,
            stop_event=self._stop_event,
        )

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
        gates = self.plan.gates
        keys = {
            gate.id: tuple(resolved[gates[i].id] for i in (*self._upstream[index], index))
            for index, gate in enumerate(gates)
        }
        missing = {
            index for index, gate in enumerate(gates) if keys[gate.id] not in self._cache[gate.id]
        }
        # A gate that others spill into needs their runs of this very replication: run them too.
        needed = sorted(missing.union(*(self._upstream[i] for i in missing)))
        if needed:
            jobs = tuple((index, resolved[gates[index].id]) for index in needed)
            per_rep = self._run_missing(jobs)
            for position, index in enumerate(needed):
                cache = self._cache[gates[index].id]
                cache[keys[gates[index].id]] = tuple(runs[position] for runs in per_rep)
                while len(cache) > _CACHE_PER_GATE:
                    cache.popitem(last=False)
        out = {}
        for gate in gates:
            cache = self._cache[gate.id]
            cache.move_to_end(keys[gate.id])
            out[gate.id] = cache[keys[gate.id]]
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
            exits=summary.exits,
        )
        return SimulationRun(
            result=result,
            lanes=resolved,
            wait_quantile_by_rep=summary.wait_quantile_by_rep,
            occupancy_max_by_rep=summary.occupancy_max_by_rep,
            gate_runs=runs,
            exit_wait_max_by_rep=summary.exit_wait_max_by_rep,
        )

    def _run_missing(
        self, jobs: tuple[tuple[int, tuple[int, ...]], ...]
    ) -> list[tuple[GateRun, ...]]:
        runs: list[tuple[GateRun, ...]] = []
        if self._executor is None:
            for rep in range(self.replications):
                self._check_stop()
                runs.append(_run_gates(self.plan, self._replication_inputs(rep), jobs))
                self._replicated(len(runs))
            return runs
        futures = [
            self._executor.submit(run_replication, self.plan, rep_seed, jobs)
            for rep_seed in self._seeds
        ]
        try:
            for future in futures:
                self._check_stop()
                runs.append(future.result())
                self._replicated(len(runs))
        finally:
            for future in futures:
                future.cancel()
        return runs

    def _replicated(self, done: int) -> None:
        if self._on_replication is not None:
            self._on_replication(done, self.replications)

    def _check_stop(self) -> None:
        # Between replications: each takes well under a second, so a stop is noticed in time.
        if self._stop_event is not None and self._stop_event.is_set():
            raise Cancelled("simulation stopped on request")

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
    """Run ``jobs`` in order (plan order), handing spilled attendees on to their gate.

    A spilled attendee keeps the service time drawn at the first gate, rescaled to the other
    gate's mean: exact for gamma times of equal cv (a scale family), and it keeps the draws common
    to every lane setting.
    """
    index_of = {gate.id: i for i, gate in enumerate(plan.gates)}
    incoming: dict[int, list[GateInputs]] = {}
    runs = []
    for i, lanes in jobs:
        gate = plan.gates[i]
        run = run_gate(gate, inputs[i], lanes, plan.grid, _joined(incoming.pop(i, [])))
        if gate.spill_to is not None and run.spill_arrival_min.size:
            j = index_of[gate.spill_to]
            scale = service_mean_s(plan.gates[j]) / service_mean_s(gate)
            incoming.setdefault(j, []).append(
                GateInputs(
                    run.spill_arrival_min,
                    run.spill_service_min * scale,
                    run.spill_departure_min,
                )
            )
        runs.append(run)
    return tuple(runs)


_CacheKey = tuple[tuple[int, ...], ...]


def _joined(parts: Sequence[GateInputs]) -> GateInputs | None:
    if not parts:
        return None
    return GateInputs(
        np.concatenate([p.arrival_min for p in parts]),
        np.concatenate([p.service_min for p in parts]),
        np.concatenate([p.departure_min for p in parts]),
    )


def _upstream(plan: EventPlan) -> dict[int, tuple[int, ...]]:
    """For each gate index, the indices of every gate that spills into it, directly or not."""
    index_of = {gate.id: i for i, gate in enumerate(plan.gates)}
    feeds: dict[int, set[int]] = {i: set() for i in range(len(plan.gates))}
    # Spill targets come later in plan order, so one pass in order closes the relation.
    for i, gate in enumerate(plan.gates):
        if gate.spill_to is not None and gate.spill_to in index_of:
            j = index_of[gate.spill_to]
            feeds[j] |= feeds[i] | {i}
    return {i: tuple(sorted(f)) for i, f in feeds.items()}
