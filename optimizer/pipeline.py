"""plan(): the one flow every entry point calls (CLI, gRPC servicer, benchmarks).

    validate -> simulate + requirements -> roster -> verify

Each stage is a pure function of its inputs and the seed, so the same plan, options and worker
count give the same outcome; only the stage timings differ from run to run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata

from optimizer.domain.types import (
    EventPlan,
    Requirement,
    Roster,
    RunOptions,
    SimulationResult,
    TargetCheck,
)
from optimizer.domain.validate import ensure_valid
from optimizer.risk import RiskAssessment, assess
from optimizer.roster import ProgressEvent, solve_roster
from optimizer.staffing.requirements import derive_requirements
from optimizer.verify import verify

ProgressHandler = Callable[[str], None]


@dataclass(frozen=True)
class SimulateOutcome:
    plan: EventPlan
    risk: RiskAssessment
    requirements: tuple[Requirement, ...]
    simulation: SimulationResult
    timings: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class PlanOutcome:
    plan: EventPlan
    risk: RiskAssessment
    options: RunOptions
    requirements: tuple[Requirement, ...]
    simulation: SimulationResult
    roster: Roster
    verification: tuple[TargetCheck, ...]
    verification_simulation: SimulationResult
    timings: tuple[tuple[str, float], ...]
    versions: tuple[tuple[str, str], ...]


class _Clock:
    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, round(time.perf_counter() - start, 3)))


def versions() -> tuple[tuple[str, str], ...]:
    """Versions that shape the result; stored with it so a run can be reproduced."""
    found = []
    for package in ("optimizer", "ortools", "simpy", "numpy"):
        try:
            found.append((package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append((package, "unknown"))
    return tuple(found)


def _say(on_progress: ProgressHandler | None, message: str) -> None:
    if on_progress is not None:
        on_progress(message)


def simulate(
    plan: EventPlan, options: RunOptions, on_progress: ProgressHandler | None = None
) -> SimulateOutcome:
    """Validate, simulate the crowd and derive the requirements that hold the risk targets."""
    clock = _Clock()
    with clock.stage("validate"):
        ensure_valid(plan)
        risk = assess(plan.risk)
    _say(on_progress, f"risk level {risk.level.name.lower()}: {risk.reason}")
    _say(on_progress, f"simulating {options.replications} replications")
    with clock.stage("simulate+requirements"):
        requirements, simulation = derive_requirements(
            plan, risk.targets, options.replications, options.seed
        )
    return SimulateOutcome(plan, risk, requirements, simulation, tuple(clock.timings))


def plan(
    plan: EventPlan,
    options: RunOptions,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
) -> PlanOutcome:
    """The whole flow: a verified minimum-officer roster for ``plan``.

    Raises InvalidInput when the plan breaks a rule. A pool too small to cover the requirements is
    an answer (status INFEASIBLE with shortfalls), not an error. Setting ``stop_event`` stops the
    solver early; the best roster found so far is returned.
    """
    sim = simulate(plan, options, on_progress)
    clock = _Clock()
    clock.timings.extend(sim.timings)

    def relay(event: ProgressEvent) -> None:
        # Bound-only reports arrive in bursts; a line per new incumbent is what a planner reads.
        if event.objective is not None:
            _say(
                on_progress,
                f"{event.stage}: incumbent {event.objective}, bound {event.bound}, "
                f"{event.elapsed_s:.1f} s",
            )

    _say(on_progress, "solving the roster")
    with clock.stage("roster"):
        roster = solve_roster(plan, sim.requirements, options, relay, stop_event)
    _say(on_progress, "verifying the roster by re-simulation")
    with clock.stage("verify"):
        checks, verification_sim = verify(
            plan,
            sim.risk.targets,
            roster.shifts,
            sim.requirements,
            options.replications,
            options.seed,
        )
    return PlanOutcome(
        plan=plan,
        risk=sim.risk,
        options=options,
        requirements=sim.requirements,
        simulation=sim.simulation,
        roster=roster,
        verification=checks,
        verification_simulation=verification_sim,
        timings=tuple(clock.timings),
        versions=versions(),
    )
