"""Lexicographic solve of a covering model: one CP-SAT stage per objective, in order.

Each stage minimises one objective, then caps it at the value found (``<=``) before the next
stage, whose roster is kept only if it beats the incumbent on its own objective. The budget is
shared out by weights over the stages still to run, on the wall clock and, for reproducibility,
on CP-SAT's deterministic clock too: with ``num_workers=1``, or 2 with ``interleave_search``, a
stage that ends on its deterministic limit or on a proof ends the same way on every run. A stage
with no roster yet may run on to the wall-clock limit, and is stopped at its share once it has one.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.errors import SolverError
from optimizer.roster.model import CoverModel

# Share of the time left that each stage gets, keyed by its position among the stages still to
# run: the primary objective takes most, the tie-breakers what is left.
STAGE_WEIGHTS: tuple[float, ...] = (0.7, 0.3, 0.2)
# Interleaved search runs its subsolvers in deterministic batches that end with their slowest
# task, and the LP-free ones are slow here: the covering model lives on its LP. Measured on the
# 16 h benchmark with 2 workers: the full portfolio proved the headcount in 13.5 s (the stadium's
# in 2.9 s); with only the LP subsolver in full, 3.1 s (0.2 s). The graph LNS and local search
# then made the paid-minutes stage erratic across seeds (2 s to over 50 s, bound stuck below the
# LP's); without them it took 2.2-6.4 s over seeds 0-3. What is left is default_lp plus the
# random LNS, which is what "2 workers" buys on this model.
INTERLEAVED_IGNORED = (
    "core",
    "no_lp",
    "quick_restart_no_lp",
    "max_lp",
    "quick_restart",
    "pseudo_costs",
    "reduced_costs",
    "ls",
    "graph_arc_lns",
    "graph_cst_lns",
    "graph_dec_lns",
    "graph_var_lns",
)
# Later stages only break ties, so they stop within this relative gap: on the 16 h benchmark the
# paid-minutes stage otherwise spends its whole budget closing the last 0.002 %.
TIE_BREAK_GAP = 1e-4
_POLL_S = 0.05
_EPS = 1e-6


@dataclass(frozen=True)
class ProgressEvent:
    """A solver report: a new incumbent or a better bound in one stage.

    Attributes
    ----------
    stage
        Objective of the stage: ``"headcount"``, ``"officer_hours"``, ``"over_cover"``,
        ``"substitution"`` or ``"uncovered"``.
    stage_index
        Position of the stage in the run (0 first).
    objective
        Incumbent value of the stage's objective, or None before the stage's first solution.
    bound
        Best proven lower bound of the stage's objective (rounded up).
    headcount
        Officers in the incumbent roster, or None before the first solution.
    elapsed_s
        Wall time since the solve began.
    """

    stage: str
    stage_index: int
    objective: int | None
    bound: int
    headcount: int | None
    elapsed_s: float


ProgressHandler = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class StageResult:
    """How one stage ended. ``value`` is None when it found no solution."""

    objective: str
    status: str
    value: int | None
    bound: int | None
    wall_s: float
    deterministic_s: float

    @property
    def proven(self) -> bool:
        """Optimal with nothing left between value and bound (a gap limit does not count)."""
        return self.status == "OPTIMAL" and self.value is not None and self.bound == self.value


@dataclass(frozen=True)
class StagedSolution:
    """Outcome of all stages: the last solution's column values, if any stage found one."""

    stages: tuple[StageResult, ...]
    x: tuple[int, ...] | None
    infeasible: bool
    stopped: bool
    first_solution_s: float | None


def _ceil_bound(bound: float) -> int:
    return math.ceil(bound - _EPS)


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards incumbents and bounds to ``on_progress``; stops the search when asked to."""

    def __init__(
        self,
        cover: CoverModel,
        stage: str,
        stage_index: int,
        started: float,
        on_progress: ProgressHandler | None,
        stop_event: threading.Event,
    ) -> None:
        super().__init__()
        self._cover = cover
        self._stage = stage
        self._stage_index = stage_index
        self._started = started
        self._on_progress = on_progress
        self._stop_event = stop_event
        self._lock = threading.Lock()
        self._objective: int | None = None
        self._headcount: int | None = None
        self._first_solution_s: float | None = None
        self._error: BaseException | None = None
        self._failed = threading.Event()

    @property
    def failed(self) -> threading.Event:
        """Set when ``on_progress`` raised; the watcher then stops the search."""
        return self._failed

    @property
    def first_solution_s(self) -> float | None:
        return self._first_solution_s

    @property
    def error(self) -> BaseException | None:
        return self._error

    def on_solution_callback(self) -> None:
        elapsed = time.perf_counter() - self._started
        with self._lock:
            if self._first_solution_s is None:
                self._first_solution_s = elapsed
            self._objective = int(self.value(self._cover.objective(self._stage)))
            self._headcount = int(self.value(self._cover.headcount))
        self._emit(_ceil_bound(self.best_objective_bound), elapsed)
        if self._stop_event.is_set() or self._failed.is_set():
            self.stop_search()

    def on_bound(self, bound: float) -> None:
        self._emit(_ceil_bound(bound), time.perf_counter() - self._started)

    def _emit(self, bound: int, elapsed: float) -> None:
        if self._on_progress is None or self._error is not None:
            return
        with self._lock:
            event = ProgressEvent(
                self._stage, self._stage_index, self._objective, bound, self._headcount, elapsed
            )
        try:
            self._on_progress(event)
        except Exception as exc:
            # An exception must not unwind through CP-SAT's threads: keep it, stop the search
            # (through the watcher, without touching the caller's event) and re-raise after.
            self._error = exc
            self._failed.set()


def configure_solver(
    solver: cp_model.CpSolver,
    wall_s: float,
    deterministic_s: float,
    seed: int,
    workers: int,
    relative_gap: float,
    reproducible: bool = True,
) -> None:
    params = solver.parameters
    params.relative_gap_limit = relative_gap
    params.max_time_in_seconds = max(wall_s, 0.01)
    params.max_deterministic_time = max(deterministic_s, 0.01)
    params.num_workers = max(1, workers)
    # Parallel portfolios are not reproducible; interleaving makes 2+ workers deterministic.
    params.interleave_search = workers > 1 and reproducible
    if workers > 1 and reproducible:
        for name in INTERLEAVED_IGNORED:
            params.ignore_subsolvers.append(name)
    params.random_seed = seed % (2**31)
    params.log_search_progress = False
    # CP-SAT's own SIGINT handler aborts the process when the solve runs off the main thread.
    params.catch_sigint_signal = False


def _watch(
    solver: cp_model.CpSolver,
    reasons: Sequence[threading.Event],
    done: threading.Event,
    share_spent: Callable[[], bool] = lambda: False,
) -> None:
    # stop_search is a no-op until solve() has set up its wrapper, so keep asking until done.
    while not done.wait(_POLL_S):
        if share_spent() or any(reason.is_set() for reason in reasons):
            solver.stop_search()


def solve_stoppable(
    solver: cp_model.CpSolver, model: cp_model.CpModel, stop_event: threading.Event | None
) -> object:
    """``solver.solve(model)``, stopped as soon as ``stop_event`` is set (None: never).

    For the short auxiliary solves (the post assignment's repair): a cancelled call then waits
    for none of them to run out its time limit.
    """
    if stop_event is None:
        return solver.solve(model)
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(solver, (stop_event,), done), daemon=True)
    watcher.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        watcher.join()


def solve_stages(
    cover: CoverModel,
    objectives: Sequence[str],
    time_limit_s: float,
    *,
    seed: int = 0,
    workers: int = 1,
    started: float | None = None,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
    hint: bool = False,
    hinted: Collection[str] = (),
    budget_caps: Mapping[str, float] | None = None,
    reproducible: bool = True,
) -> StagedSolution:
    """Minimise ``objectives`` lexicographically on ``cover``.

    Before stage k, every objective of stages < k is capped at its value in the incumbent. A
    stage's roster replaces the incumbent only if it is better on the stage's objective, so when
    time runs out first the roster handed in stands. (Capping the stage's own objective in the
    model instead, as an objective domain, left the interleaved paid-minutes stage's bound stuck
    below the LP bound on the 16 h benchmark: 29 s and not proven, against 6.5 s without it.)

    Parameters
    ----------
    cover
        The model; it is changed in place (objective, stage constraints, hints).
    objectives
        Objective names in priority order (see ``CoverModel.objective``).
    time_limit_s
        Wall-clock budget for all stages, counted from ``started``; also used as the budget on
        CP-SAT's deterministic clock.
    seed, workers
        CP-SAT random seed and number of workers (2 or more turns on interleaved search).
    started
        ``time.perf_counter()`` when the caller's clock started (default: now).
    on_progress
        Called from CP-SAT's threads on each incumbent and bound improvement.
    stop_event
        When set, the search stops as soon as CP-SAT notices and no further stage starts.
    hint
        Give each later stage the incumbent as a full solution hint. Off by default: on the
        16 h benchmark the hinted paid-minutes stage took 7.9 s instead of 3.0 s with one
        worker and 33 s instead of 6.5 s with two; the incumbent is kept anyway (see above).
    hinted
        Objectives whose stage gets the incumbent as a full hint even when ``hint`` is off.
    budget_caps
        Most of ``time_limit_s`` (a fraction) that the stage of a named objective may take on
        CP-SAT's deterministic clock; it never gets more than the share it would have anyway.
    reproducible
        False runs CP-SAT's full parallel portfolio when ``workers`` > 1: often faster on models
        unlike the roster's (the Shift Design benchmark), but runs may differ.

    Returns
    -------
    StagedSolution
        ``infeasible`` is True when the first stage proved the model infeasible.

    Raises
    ------
    SolverError
        CP-SAT rejected the model (MODEL_INVALID).
    """
    started = time.perf_counter() if started is None else started
    stop = stop_event if stop_event is not None else threading.Event()
    weights = STAGE_WEIGHTS[: len(objectives)] + (0.2,) * max(0, len(objectives) - 3)
    results: list[StageResult] = []
    best: tuple[int, ...] | None = None
    incumbent: dict[str, int] = {}
    first_solution_s: float | None = None
    deterministic_used = 0.0
    incumbent_values: list[int] | None = None
    caps = budget_caps or {}
    for index, name in enumerate(objectives):
        wall_left = time_limit_s - (time.perf_counter() - started)
        if stop.is_set() or (index > 0 and wall_left <= 0.0):
            break
        share = weights[index] / sum(weights[index:])
        wall_s = wall_left * share if index + 1 < len(objectives) else wall_left
        # Until a stage has a roster, later stages have nothing to refine: it may use the whole
        # wall budget, and is stopped at its share once it has one (on the marathon example with
        # a 5.2 s limit the headcount stage found none in its 3 s share, and 2 s went unused).
        soft_end = time.perf_counter() + wall_s if best is None else math.inf
        wall_s = wall_left if best is None else wall_s
        deterministic_s = (time_limit_s - deterministic_used) * share
        if name in caps:
            # On the deterministic clock only: a stage that ends there ends alike on every run.
            deterministic_s = min(deterministic_s, caps[name] * time_limit_s)
        if name in hinted and not hint and incumbent_values is not None:
            cover.model.clear_hints()  # type: ignore[no-untyped-call]
            for var, hinted_value in zip(cover.variables, incumbent_values, strict=True):
                cover.model.add_hint(var, hinted_value)
        solver = cp_model.CpSolver()
        configure_solver(
            solver,
            wall_s,
            deterministic_s,
            seed,
            workers,
            0.0 if index == 0 else TIE_BREAK_GAP,
            reproducible,
        )
        target = cover.objective(name)
        cover.model.minimize(target)
        reporter = _Reporter(cover, name, index, started, on_progress, stop)
        solver.best_bound_callback = reporter.on_bound
        done = threading.Event()
        watcher = threading.Thread(
            target=_watch,
            args=(
                solver,
                (stop, reporter.failed),
                done,
                lambda r=reporter, end=soft_end: (
                    r.first_solution_s is not None and time.perf_counter() >= end
                ),
            ),
            daemon=True,
        )
        watcher.start()
        stage_start = time.perf_counter()
        try:
            status = solver.solve(cover.model, reporter)
        finally:
            done.set()
            watcher.join()
        if name in hinted and not hint:
            cover.model.clear_hints()  # type: ignore[no-untyped-call]
        if reporter.error is not None:
            raise reporter.error
        if first_solution_s is None:
            first_solution_s = reporter.first_solution_s
        deterministic_used += solver.deterministic_time
        status_name = solver.status_name(status)
        if status == cp_model.MODEL_INVALID:
            raise SolverError(f"CP-SAT rejected the roster model: {cover.model.validate()}")
        value: int | None = None
        bound: int | None = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = int(round(solver.objective_value))
            if name in incumbent and incumbent[name] <= value:
                # Out of time before beating the roster handed in: that roster stands.
                value = incumbent[name]
            else:
                best = tuple(int(solver.value(v)) for v in cover.x)
                incumbent = {n: int(solver.value(cover.objective(n))) for n in objectives}
                incumbent_values = [int(solver.value(v)) for v in cover.variables]
                if hint:
                    cover.model.clear_hints()  # type: ignore[no-untyped-call]
                    for var, hinted_value in zip(cover.variables, incumbent_values, strict=True):
                        cover.model.add_hint(var, hinted_value)
            # With a gap limit OPTIMAL only means "within the gap": keep the bound CP-SAT proved.
            bound = min(value, _ceil_bound(solver.best_objective_bound))
            cover.model.add(target <= value)
        elif status == cp_model.UNKNOWN and math.isfinite(solver.best_objective_bound):
            bound = _ceil_bound(solver.best_objective_bound)
        results.append(
            StageResult(
                name,
                status_name,
                value,
                bound,
                time.perf_counter() - stage_start,
                solver.deterministic_time,
            )
        )
        if status == cp_model.INFEASIBLE and index == 0:
            return StagedSolution(tuple(results), None, True, stop.is_set(), first_solution_s)
        if value is None:
            # Nothing new in this stage (time out or stop): later stages would start blind.
            break
    return StagedSolution(tuple(results), best, False, stop.is_set(), first_solution_s)
