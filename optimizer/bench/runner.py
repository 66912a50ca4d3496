"""Run a sweep: one task per scenario and seed, here, in a process pool or on a Dask cluster.

A task carries everything it needs as plain values (family, parameters, seed, options), so it
runs the same wherever it lands; its result depends only on those, never on the worker, and the
results are put back in task order. Hence the same spec gives the same rows with 1 worker, with
N, and through Dask. CP-SAT runs with one worker in every task: parallelism is across tasks.

The local pool uses the spawn start method: fork would copy a parent that may hold OR-Tools or
gRPC threads, which neither library supports.
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimizer.bench.families import make_plan
from optimizer.bench.judge import ScenarioResult, run_scenario
from optimizer.bench.spec import SweepSpec
from optimizer.domain.types import RunOptions
from optimizer.errors import InvalidInput, Violation


@dataclass(frozen=True)
class Task:
    """One scenario at one seed, with every policy of the sweep."""

    index: int
    scenario: str
    family: str
    params: tuple[tuple[str, Any], ...]
    seed: int
    replications: int
    time_limit_s: float
    policies: tuple[str, ...]
    base_dir: str
    series: bool


@dataclass(frozen=True)
class SweepResult:
    spec: SweepSpec
    tasks: tuple[Task, ...]
    results: tuple[ScenarioResult, ...]


ProgressFn = Callable[[int, int, Task], None]


def tasks_of(spec: SweepSpec) -> tuple[Task, ...]:
    """Scenarios in spec order, each over the seeds; series for the plot scenario's first seed."""
    out: list[Task] = []
    for scenario in spec.scenarios:
        for seed in spec.seeds:
            out.append(
                Task(
                    index=len(out),
                    scenario=scenario.name,
                    family=scenario.family,
                    params=scenario.params,
                    seed=seed,
                    replications=spec.replications,
                    time_limit_s=spec.time_limit_s,
                    policies=spec.policies,
                    base_dir=str(spec.base_dir),
                    series=scenario.name == spec.plot_scenario and seed == spec.seeds[0],
                )
            )
    return tuple(out)


def run_task(task: Task) -> ScenarioResult:
    """Generate the task's plan and run every policy on it (a top-level function: picklable)."""
    plan = make_plan(task.family, dict(task.params), task.seed, Path(task.base_dir))
    options = RunOptions(
        seed=task.seed,
        replications=task.replications,
        time_limit_s=task.time_limit_s,
        workers=1,
    )
    return run_scenario(task.scenario, plan, task.policies, options, series=task.series)


def run_sweep(
    spec: SweepSpec,
    executor: Executor | None = None,
    on_progress: ProgressFn | None = None,
) -> SweepResult:
    """Run every task of ``spec``; here, one after the other, when ``executor`` is None.

    The plans are generated here first, so a bad parameter is reported before any work starts.
    """
    tasks = tasks_of(spec)
    for task in tasks:
        make_plan(task.family, dict(task.params), task.seed, Path(task.base_dir))
    results: list[ScenarioResult | None] = [None] * len(tasks)
    if executor is None:
        for done, task in enumerate(tasks, start=1):
            results[task.index] = run_task(task)
            if on_progress is not None:
                on_progress(done, len(tasks), task)
    else:
        futures: dict[Future[ScenarioResult], Task] = {
            executor.submit(run_task, task): task for task in tasks
        }
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            results[task.index] = future.result()
            if on_progress is not None:
                on_progress(done, len(tasks), task)
    return SweepResult(spec, tasks, tuple(r for r in results if r is not None))


@contextmanager
def local_executor(workers: int) -> Iterator[Executor | None]:
    """A spawn-context process pool of ``workers``; None (run here) for one worker."""
    if workers < 1:
        raise InvalidInput([Violation("--workers", f"{workers} is not positive")])
    if workers == 1:
        yield None
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    except BaseException:
        # Interrupted (Ctrl-C) or failed: drop the queued scenarios rather than wait for them.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """An executor on the Dask cluster whose scheduler is at ``address``.

    Raises
    ------
    InvalidInput
        Dask is not installed (``pip install 'optimizer[dask]'``) or the scheduler cannot be
        reached.
    """
    try:
        # Imported by name: dask is an optional extra without type information, and mypy runs
        # where it is not installed.
        distributed = importlib.import_module("dask.distributed")
    except ImportError as exc:
        raise InvalidInput(
            [Violation("--scheduler", "needs dask: pip install 'optimizer[dask]'")]
        ) from exc
    try:
        client: Any = distributed.Client(address, timeout=10)
    except OSError as exc:
        raise InvalidInput([Violation("--scheduler", f"cannot reach {address}: {exc}")]) from exc
    try:
        executor: Executor = client.get_executor()
        yield executor
    finally:
        client.close()
