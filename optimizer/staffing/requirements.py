"""From an event plan and its risk targets to officers per post and slot."""

from __future__ import annotations

import threading
from collections.abc import Callable

from optimizer.domain.types import (
    EventPlan,
    PostKind,
    Requirement,
    RiskTargets,
    SimulationResult,
)
from optimizer.simulation import Simulator
from optimizer.staffing.course import course_requirements
from optimizer.staffing.lanes import staff_lanes
from optimizer.staffing.posts import (
    at_exit,
    minimum_requirement,
    patrol_requirement,
    response_requirement,
    screening_requirement,
)
from optimizer.staffing.response import point_loads, with_margin


def derive_requirements(
    plan: EventPlan,
    targets: RiskTargets,
    replications: int,
    seed: int,
    *,
    workers: int = 1,
    stop_event: threading.Event | None = None,
    on_replication: Callable[[int, int], None] | None = None,
    response_margin: bool = True,
) -> tuple[tuple[Requirement, ...], SimulationResult]:
    """Officers each post needs in each slot, and the simulation of the crowd that backs them.

    Screening lanes come from a simulation-based search per gate (``staffing.lanes``); patrol
    posts follow the zone's peak occupancy in that simulation at the attendees-per-officer ratio
    plus the reserve; rapid-response posts get the units a loss model on the simulated crowd's
    incidents needs (``staffing.response``; on the peaks raised by a prediction margin), at
    least their minimum, plus the reserve; fixed,
    traffic and command posts their minimum. Posts on a course segment are required only while
    the segment is closed, and its patrols watch its spectators (``staffing.course``); posts at an
    exit only while the simulated egress passes it (``staffing.posts.at_exit``).

    Parameters
    ----------
    plan
        The event.
    targets
        Wait target and quantile, ratio, reserve share.
    replications, seed
        Replications of the crowd simulation and its root seed (see ``simulation.simulate``).
    workers
        Processes to run replications in; 1 runs them here.
    stop_event
        When set, the next replication raises ``Cancelled``.
    on_replication
        Told ``(k, n)`` after replication k of n of each simulation round (progress reports).
    response_margin
        Size rapid-response units with the prediction margin on the crowd (``with_margin``);
        False sizes them on the simulated peaks alone (for comparisons).

    Returns
    -------
    tuple
        One ``Requirement`` per post in plan order, and the simulation with the final lanes.
    """
    with Simulator(
        plan,
        replications,
        seed,
        workers=workers,
        stop_event=stop_event,
        on_replication=on_replication,
    ) as simulator:
        lanes = staff_lanes(plan, targets, simulator)
        run = simulator.run(targets, {gate_id: g.lanes for gate_id, g in lanes.items()})
    zones = {zone.zone_id: zone for zone in run.result.zones}
    # Units get a confidence margin on the crowd they answer for (see ``staffing.response``).
    margined = {
        z: with_margin(stats, replications) if response_margin else stats
        for z, stats in zones.items()
    }
    points = point_loads(plan, targets, margined)
    requirements = []
    for post in plan.posts:
        if post.kind is PostKind.SCREENING:
            requirements.append(screening_requirement(plan, post, lanes, targets, replications))
        elif post.kind is PostKind.PATROL:
            requirements.append(patrol_requirement(plan, post, zones.get(post.zone_id), targets))
        elif post.kind is PostKind.RAPID_RESPONSE:
            requirements.append(response_requirement(plan, post, points.get(post.id), targets))
        else:
            requirements.append(minimum_requirement(plan, post, targets))
    # Posts along a road-race course are needed only while their segment is closed.
    timed, _ = course_requirements(plan, targets, requirements, replications, seed)
    # Exit stewards are needed while the simulated egress passes their exit.
    exits = {e.exit_id: e for e in run.result.exits}
    posts = {p.id: p for p in plan.posts}
    timed = tuple(
        at_exit(plan, posts[r.post_id], r, exits.get(posts[r.post_id].exit_id or ""))
        if posts[r.post_id].exit_id
        else r
        for r in timed
    )
    return timed, run.result
