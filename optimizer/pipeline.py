"""plan(): the one flow every entry point calls (CLI, gRPC servicer, benchmarks).

    validate -> simulate + requirements -> roster -> verify

A plan that gives the requirement curve of every post (``EventPlan.requirements``) skips the
simulation: its roster is verified by counting coverage only, as nothing can be re-simulated.

``replan()`` is the same flow against a published roster: its roster stage changes as few of the
published officers as the new plan allows (``optimizer.roster.replan``), and it returns the diff.

Each stage is a pure function of its inputs and the seed, so the same plan, options and worker
count give the same outcome; only the stage timings differ from run to run.

Progress goes to ``on_progress`` as ``Progress`` events (phase, message, and the solver's
incumbent and bound while solving), the one feed for the CLI's progress line and the gRPC
``PlanStream``. A ``stop_event`` set from another thread ends the run with ``Cancelled`` between
replications or as soon as the solver notices.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import metadata

from optimizer.domain.coverage import officers_by_post
from optimizer.domain.replan import (
    PinConflict,
    ReplanRules,
    RosterDiff,
    diff_context,
    diff_rosters,
)
from optimizer.domain.types import (
    EventPlan,
    Requirement,
    Roster,
    RunOptions,
    SimulationResult,
    TargetCheck,
)
from optimizer.domain.validate import ensure_valid
from optimizer.errors import Cancelled
from optimizer.risk import RiskAssessment, assess
from optimizer.roster import ProgressEvent, solve_roster
from optimizer.roster.replan import replan_roster
from optimizer.staffing.given import given_requirements
from optimizer.staffing.requirements import derive_requirements
from optimizer.verify import minimum_posts_check, verify


class Phase(enum.Enum):
    """Where a run is; the phases come in this order (requirements may follow validate)."""

    VALIDATE = "validate"
    SIMULATE = "simulate"
    REQUIREMENTS = "requirements"
    SOLVE = "solve"
    VERIFY = "verify"


@dataclass(frozen=True)
class Progress:
    """One progress report: the phase entered or, while solving, the solver's latest figures.

    ``step`` of ``total`` counts the phase's steps when it has any (0 of 0 otherwise); ``solver``
    is set only on the solver's reports, which come from CP-SAT's threads.
    """

    phase: Phase
    message: str
    step: int = 0
    total: int = 0
    solver: ProgressEvent | None = None


ProgressHandler = Callable[[Progress], None]

# Verification re-simulates once with the final lanes, where the requirements ran several
# rounds: measured at about a quarter of the simulate+requirements time (quickstart 0.10 s of
# 0.53 s, stadium 0.69 s of 2.94 s). Half of it, plus a fixed margin, is kept back from a deadline.
VERIFY_SHARE = 0.5
VERIFY_MARGIN_S = 0.5
MIN_SOLVE_S = 0.1


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


def _say(
    on_progress: ProgressHandler | None,
    phase: Phase,
    message: str,
    *,
    step: int = 0,
    total: int = 0,
    solver: ProgressEvent | None = None,
) -> None:
    if on_progress is not None:
        on_progress(Progress(phase, message, step, total, solver))


def _replications(
    on_progress: ProgressHandler | None, phase: Phase, doing: str
) -> Callable[[int, int], None] | None:
    """A simulation's per-replication hook reporting "k of n" in ``phase``."""
    if on_progress is None:
        return None

    def report(done: int, total: int) -> None:
        _say(on_progress, phase, f"{doing}: replication {done} of {total}", step=done, total=total)

    return report


def _check_stop(stop_event: threading.Event | None, where: str) -> None:
    if stop_event is not None and stop_event.is_set():
        raise Cancelled(f"stopped on request {where}")


def fit_deadline(
    options: RunOptions, deadline: float | None, simulate_s: float, now: float
) -> RunOptions:
    """``options`` with a solver time limit that leaves time to verify before ``deadline``.

    ``deadline`` and ``now`` are ``time.monotonic()`` values; None means no deadline. The
    solver gets at least ``MIN_SOLVE_S`` so a late run still returns a roster if one is quick.
    """
    if deadline is None:
        return options
    reserve = VERIFY_MARGIN_S + VERIFY_SHARE * simulate_s
    budget = max(MIN_SOLVE_S, min(options.time_limit_s, deadline - now - reserve))
    return options if budget == options.time_limit_s else replace(options, time_limit_s=budget)


def not_simulated(seed: int) -> SimulationResult:
    """The empty simulation of a plan whose requirements are all given (zero replications)."""
    return SimulationResult(replications=0, seed=seed, attendees_simulated=0, gates=(), zones=())


def simulated(outcome: SimulateOutcome) -> bool:
    """Whether the crowd was simulated (False when the plan gives every requirement)."""
    return outcome.simulation.replications > 0


def simulate(
    plan: EventPlan,
    options: RunOptions,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
) -> SimulateOutcome:
    """Validate, simulate the crowd and derive the requirements that hold the risk targets.

    Raises ``Cancelled`` when ``stop_event`` is set before the requirements are ready.
    """
    clock = _Clock()
    _say(on_progress, Phase.VALIDATE, "validating the plan")
    with clock.stage("validate"):
        ensure_valid(plan)
        risk = assess(plan.risk)
    _say(on_progress, Phase.VALIDATE, f"risk level {risk.level.name.lower()}: {risk.reason}")
    given = {r.post_id: r for r in given_requirements(plan)}
    if given and all(post.id in given for post in plan.posts):
        _say(on_progress, Phase.REQUIREMENTS, "requirements given by the plan: nothing to simulate")
        with clock.stage("requirements"):
            requirements = tuple(given[post.id] for post in plan.posts)
            simulation = not_simulated(options.seed)
        return SimulateOutcome(plan, risk, requirements, simulation, tuple(clock.timings))
    _say(
        on_progress,
        Phase.SIMULATE,
        f"simulating {options.replications} replications",
        total=options.replications,
    )
    with clock.stage("simulate+requirements"):
        derived, simulation = derive_requirements(
            plan,
            risk.targets,
            options.replications,
            options.seed,
            stop_event=stop_event,
            on_replication=_replications(on_progress, Phase.SIMULATE, "simulating"),
        )
        # Curves the plan gives replace the simulated ones of their posts.
        requirements = tuple(given.get(r.post_id, r) for r in derived)
    _say(on_progress, Phase.REQUIREMENTS, f"requirements derived for {len(requirements)} posts")
    return SimulateOutcome(plan, risk, requirements, simulation, tuple(clock.timings))


def plan(
    plan: EventPlan,
    options: RunOptions,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
    deadline: float | None = None,
) -> PlanOutcome:
    """The whole flow: a verified minimum-officer roster for ``plan``.

    Raises InvalidInput when the plan breaks a rule. A pool too small to cover the requirements is
    an answer (status INFEASIBLE with shortfalls), not an error.

    Setting ``stop_event`` (from any thread) stops the run: simulation between replications, the
    solver as soon as CP-SAT notices; the run then raises ``Cancelled`` instead of verifying.
    ``deadline`` (a ``time.monotonic()`` value) cuts the solver's time limit so that the roster
    is verified by then (see ``fit_deadline``); on time out the best roster found is returned
    with status FEASIBLE.
    """
    sim = simulate(plan, options, on_progress, stop_event)
    clock = _Clock()
    clock.timings.extend(sim.timings)
    options = fit_deadline(options, deadline, sum(s for _, s in sim.timings), time.monotonic())
    _check_stop(stop_event, "before solving")
    _say(on_progress, Phase.SOLVE, "solving the roster")
    with clock.stage("roster"):
        roster = solve_roster(plan, sim.requirements, options, _relay(on_progress), stop_event)
    _check_stop(stop_event, "while solving")
    return _verified(plan, sim, options, roster, clock, on_progress, stop_event)


def _relay(on_progress: ProgressHandler | None) -> Callable[[ProgressEvent], None]:
    """The solver's reports as SOLVE progress."""

    def relay(event: ProgressEvent) -> None:
        message = f"{event.stage}: incumbent {event.objective}, bound {event.bound}"
        if event.objective is None:
            message = f"{event.stage}: bound {event.bound}, no roster yet"
        _say(on_progress, Phase.SOLVE, message, step=event.stage_index + 1, solver=event)

    return relay


def _verified(
    plan: EventPlan,
    sim: SimulateOutcome,
    options: RunOptions,
    roster: Roster,
    clock: _Clock,
    on_progress: ProgressHandler | None,
    stop_event: threading.Event | None,
) -> PlanOutcome:
    """The outcome of ``roster``, verified by re-simulation (or by counting, with no simulation)."""
    if simulated(sim):
        _say(on_progress, Phase.VERIFY, "verifying the roster by re-simulation")
        with clock.stage("verify"):
            checks, verification_sim = verify(
                plan,
                sim.risk.targets,
                roster.shifts,
                sim.requirements,
                options.replications,
                options.seed,
                stop_event=stop_event,
                on_replication=_replications(on_progress, Phase.VERIFY, "re-simulating"),
            )
    else:
        _say(on_progress, Phase.VERIFY, "verifying the roster's coverage of the given requirements")
        with clock.stage("verify"):
            on_post = officers_by_post(roster.shifts, plan.grid)
            checks = (minimum_posts_check(plan, sim.requirements, on_post),)
            verification_sim = sim.simulation
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


@dataclass(frozen=True)
class ReplanOutcome:
    """A re-plan: the new plan's outcome, its diff against the published roster, and conflicts.

    ``conflicts`` is empty unless pins, the frozen window or the cap prevent full cover; the
    roster then keeps them and leaves the least weighted shortfall (status INFEASIBLE).
    """

    outcome: PlanOutcome
    diff: RosterDiff
    conflicts: tuple[PinConflict, ...]


def replan(
    plan: EventPlan,
    published: Roster,
    options: RunOptions,
    rules: ReplanRules,
    on_progress: ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
    published_requirements: Sequence[Requirement] | None = None,
    deadline: float | None = None,
) -> ReplanOutcome:
    """Re-plan ``plan`` against the ``published`` roster: fewest officers, then fewest changes.

    As ``plan()`` (validation, simulation, requirements, verification), with the roster from
    ``optimizer.roster.replan.replan_roster``: among the rosters with the fewest officers that
    keep ``rules`` (frozen window, pins, cap), the one changing fewest published duties (one
    per officer, or several on multi-day events), then the plan's other objectives. The diff's
    reasons quote how the demand changed against
    ``published_requirements`` (the requirements the published roster was made for) when given,
    otherwise against what the published roster put on each post. ``deadline`` cuts the
    solver's time limit once the simulation has been timed, as in ``plan()``.

    Raises
    ------
    InvalidInput
        The plan or the rules break a rule, or a pinned officer has no published shift
        (``replan.pinned_officer_ids[i]``).
    Cancelled
        ``stop_event`` was set before the roster was verified.
    """
    sim = simulate(plan, options, on_progress, stop_event)
    clock = _Clock()
    clock.timings.extend(sim.timings)
    options = fit_deadline(options, deadline, sum(s for _, s in sim.timings), time.monotonic())
    _check_stop(stop_event, "before solving")
    _say(on_progress, Phase.SOLVE, "re-planning against the published roster")
    with clock.stage("roster"):
        result = replan_roster(
            plan, sim.requirements, published, options, rules, _relay(on_progress), stop_event
        )
    _check_stop(stop_event, "while solving")
    outcome = _verified(plan, sim, options, result.roster, clock, on_progress, stop_event)
    context = diff_context(
        plan.grid,
        published_requirements,
        sim.requirements,
        published.shifts,
        plan.pool,
        notes=result.notes,
    )
    diff = diff_rosters(published.shifts, result.roster.shifts, context)
    return ReplanOutcome(outcome, diff, result.conflicts)
