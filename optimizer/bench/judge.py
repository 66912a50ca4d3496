"""One scenario, every policy, one judge.

``run_scenario`` simulates the plan once (``pipeline.simulate``), hands that to every policy, and
verifies each roster with ``optimizer.verify`` under the same seed, so each policy meets the same
re-simulated crowd (common random numbers): differences between rows are the policies', not the
draws'. The verification seed is derived from the run seed by ``verify`` and differs from the
stream the requirements were fitted to.

Every number in a row depends only on the plan, the seed and the options; solve time, which
depends on the machine, is kept apart in ``ScenarioResult.solve_s``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from optimizer import pipeline
from optimizer.domain.coverage import officers_by_post
from optimizer.domain.types import (
    EventPlan,
    PostId,
    PostKind,
    Requirement,
    RiskTargets,
    RunOptions,
    SimulationResult,
)
from optimizer.pipeline import SimulateOutcome
from optimizer.policies import PolicyContext, get_policy
from optimizer.risk import gate_targets, post_targets, zone_targets
from optimizer.staffing.erlang import erlang_b
from optimizer.staffing.posts import active_slots
from optimizer.staffing.response import point_loads, unit_officers
from optimizer.verify import verify

Row = dict[str, str | int | float]

# Column order of the CSV (``output``); every row has exactly these keys.
COLUMNS = (
    "scenario",
    "seed",
    "policy",
    "status",
    "within_pool",
    "headcount",
    "officer_hours",
    "over_cover_h",
    "under_cover_h",
    "wait_ok",
    "density_ok",
    "response_ok",
    "worst_wait_min",
    "checks_met",
    "checks",
    "missed",
)


@dataclass(frozen=True)
class ScenarioResult:
    """Rows (one per policy, in the order asked), solve seconds per row, and coverage series.

    ``demand`` is the pipeline's requirement summed over posts per slot; ``coverage`` maps each
    policy to the officers it has on posts per slot (both empty unless asked for).
    """

    rows: tuple[Row, ...]
    solve_s: tuple[float, ...]
    slot_min: int
    demand: tuple[int, ...] = ()
    coverage: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass(frozen=True)
class Judged:
    """One policy's row, its solve seconds and its officers on posts per slot."""

    row: Row
    solve_s: float
    on_posts: tuple[int, ...]


def judge_policies(
    scenario: str, plan: EventPlan, policies: Sequence[str], options: RunOptions
) -> Iterator[tuple[SimulateOutcome, Judged]]:
    """Each policy of ``policies`` on ``plan`` as it is judged, with the shared simulation.

    Every policy is verified by the same re-simulation (the run seed, the pipeline's
    requirements for the minimum-posts check): common random numbers across policies.
    """
    base = pipeline.simulate(plan, options)
    context = PolicyContext(plan, base, options)
    targets = base.risk.targets
    for name in policies:
        started = time.perf_counter()
        result = get_policy(name).build(context)
        seconds = round(time.perf_counter() - started, 3)
        roster = result.roster
        checks, sim = verify(
            plan, targets, roster.shifts, base.requirements, options.replications, options.seed
        )
        on_post = officers_by_post(roster.shifts, plan.grid)
        over, under = cover_hours(plan, base.requirements, on_post)
        within_pool = all(t.headcount <= t.available for t in roster.by_type)
        row: Row = {
            "scenario": scenario,
            "seed": options.seed,
            "policy": name,
            "status": roster.status.value,
            "within_pool": int(within_pool),
            "headcount": roster.headcount,
            "officer_hours": round(roster.officer_minutes / 60, 2),
            "over_cover_h": round(over, 2),
            "under_cover_h": round(under, 2),
            "wait_ok": round(wait_share(plan, sim, targets), 4),
            "density_ok": round(density_share(plan, sim, targets), 4),
            "response_ok": round(response_share(plan, sim, targets, on_post), 4),
            "worst_wait_min": round(worst_wait(sim), 2),
            "checks_met": sum(c.met for c in checks),
            "checks": len(checks),
            "missed": ";".join(c.name for c in checks if not c.met),
        }
        total = tuple(sum(r[k] for r in on_post.values()) for k in range(plan.grid.n_slots))
        yield base, Judged(row, seconds, total)


def run_scenario(
    scenario: str,
    plan: EventPlan,
    policies: Sequence[str],
    options: RunOptions,
    *,
    series: bool = False,
) -> ScenarioResult:
    """Every policy of ``policies`` on ``plan``, each verified by the same re-simulation.

    Parameters
    ----------
    scenario
        The name written in the rows.
    plan
        The event.
    policies
        Registered policy names, in the order of the rows.
    options
        Seed, replications and solver limits, the same for every policy.
    series
        Also return demand and coverage per slot (for the plot of one scenario).
    """
    judged = list(judge_policies(scenario, plan, policies, options))
    demand: tuple[int, ...] = ()
    coverage: tuple[tuple[str, tuple[int, ...]], ...] = ()
    if series and judged:
        base = judged[0][0]
        demand = tuple(
            sum(r.officers[k] for r in base.requirements) for k in range(plan.grid.n_slots)
        )
        coverage = tuple((name, j.on_posts) for name, (_, j) in zip(policies, judged, strict=True))
    return ScenarioResult(
        tuple(j.row for _, j in judged),
        tuple(j.solve_s for _, j in judged),
        plan.grid.slot_min,
        demand,
        coverage,
    )


def cover_hours(
    plan: EventPlan,
    requirements: Sequence[Requirement],
    on_post: Mapping[PostId, Sequence[int]],
) -> tuple[float, float]:
    """Officer-hours on posts above, and below, the pipeline's requirement."""
    over = under = 0
    for requirement in requirements:
        rostered = on_post.get(requirement.post_id, [0] * plan.grid.n_slots)
        for need, have in zip(requirement.officers, rostered, strict=True):
            over += max(0, have - need)
            under += max(0, need - have)
    return over * plan.grid.slot_min / 60, under * plan.grid.slot_min / 60


def wait_share(plan: EventPlan, sim: SimulationResult, targets: RiskTargets) -> float:
    """Share of (gate, slot) pairs with arrivals whose quantile wait is within the gate's target."""
    judged = met = 0
    for gate in sim.gates:
        limit = gate_targets(plan, targets, plan.gate(gate.gate_id)).wait_target_min
        for arrivals, wait in zip(gate.arrivals_mean, gate.wait_quantile_min, strict=True):
            if arrivals > 0:
                judged += 1
                met += wait <= limit
    return met / judged if judged else 1.0


def density_share(plan: EventPlan, sim: SimulationResult, targets: RiskTargets) -> float:
    """Share of (zone with an area, slot) pairs below the zone's critical density."""
    judged = met = 0
    for zone in sim.zones:
        if plan.zone(zone.zone_id).area_m2 <= 0:
            continue
        critical = zone_targets(plan, targets, zone.zone_id).density_critical
        judged += len(zone.density_max)
        met += sum(d < critical for d in zone.density_max)
    return met / judged if judged else 1.0


def response_share(
    plan: EventPlan,
    sim: SimulationResult,
    targets: RiskTargets,
    on_post: Mapping[PostId, Sequence[int]],
) -> float:
    """Share of (rapid-response post, active slot) pairs holding P(all units busy).

    As ``verify.response_checks`` judges a point: the rostered officers less the reserve, in
    units, by Erlang B on the load of the re-simulated crowd. Without incident targets a slot
    holds when the post has at least one unit.
    """
    zones = {z.zone_id: z for z in sim.zones}
    loads = point_loads(plan, targets, zones)
    judged = met = 0
    for post in plan.posts:
        if post.kind is not PostKind.RAPID_RESPONSE:
            continue
        own = post_targets(plan, targets, post)
        incidents = own.incidents_per_10k_hours > 0 and own.response_busy_max > 0
        rostered = on_post.get(post.id, [0] * plan.grid.n_slots)
        size = unit_officers(post, own)
        for k in active_slots(plan, post):
            units = int(rostered[k] / (1 + own.reserve_share) + 1e-9) // size
            offered = loads[post.id].offered_load[k] if post.id in loads else 0.0
            judged += 1
            if incidents and offered > 0:
                met += erlang_b(units, offered) <= own.response_busy_max
            else:
                met += units >= 1
    return met / judged if judged else 1.0


def worst_wait(sim: SimulationResult) -> float:
    """Longest quantile wait of any gate in any slot (``inf`` when some never got screened)."""
    return max((w for g in sim.gates for w in g.wait_quantile_min), default=0.0) or 0.0
