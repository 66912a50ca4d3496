"""Stationary per-slot (SIPP) requirements: Erlang C on each slot's own arrival rate.

The classic way to staff a time-varying queue (Green, Kolesar & Whitt 2007): every slot gets the
fewest lanes that hold the wait target in the M/M/s steady state at that slot's arrival rate, as
if the queue had always been there. It ignores the queue a busy slot hands on, which is what the
pipeline's simulation-based staffing (``staffing.lanes``) adds; the baselines use it to show what
that is worth. Only screening posts differ: patrols, rapid response and fixed posts keep the
pipeline's requirements, so the policies compare queueing models and shift designs, not rules.
"""

from __future__ import annotations

from optimizer.domain.types import GateId, PostKind, Requirement
from optimizer.policies.registry import PolicyContext
from optimizer.risk import gate_targets
from optimizer.simulation import service_mean_s
from optimizer.simulation.arrivals import arrival_curve
from optimizer.simulation.sampling import gate_shares
from optimizer.staffing.isa import sipp_staffing
from optimizer.staffing.lanes import GateLanes
from optimizer.staffing.posts import active_slots, screening_requirement


def sipp_lanes(context: PolicyContext) -> dict[GateId, GateLanes]:
    """Lanes per gate and slot by Erlang C on the slot's arrival rate, capped at the gate's lanes.

    Lanes are 0 where none of the gate's screening posts is active; a gate without screening
    posts keeps all its lanes open and needs no officers, as in the pipeline.
    """
    plan = context.plan
    targets = context.base.risk.targets
    n_slots = plan.grid.n_slots
    per_slot = arrival_curve(plan.crowd, plan.grid)
    lanes: dict[GateId, GateLanes] = {}
    for gate, share in zip(plan.gates, gate_shares(plan), strict=True):
        active = [False] * n_slots
        for post in plan.posts:
            if post.kind is PostKind.SCREENING and post.gate_id == gate.id:
                for slot in active_slots(plan, post):
                    active[slot] = True
        rates = [float(v) * float(share) / plan.grid.slot_min for v in per_slot]
        own = gate_targets(plan, targets, gate)
        servers = sipp_staffing(
            rates,
            service_mean_s(gate) / 60.0,
            own.wait_target_min,
            own.wait_quantile,
            max_servers=gate.lanes,
        )
        staffed = any(active)
        lanes[gate.id] = GateLanes(
            gate_id=gate.id,
            lanes=tuple(
                (s if on else 0) if staffed else gate.lanes
                for s, on in zip(servers, active, strict=True)
            ),
            staffed=staffed,
            active=tuple(active) if staffed else (True,) * n_slots,
            # Not simulated: no wait is known, so none is reported in the reasons.
            wait_quantile_min=(0.0,) * n_slots,
            unscreened=(0,) * n_slots,
            missed=frozenset(),
        )
    return lanes


def sipp_requirements(context: PolicyContext) -> tuple[Requirement, ...]:
    """The pipeline's requirements with every simulated screening post staffed by SIPP instead.

    Screening curves the plan itself gives stay as given.
    """
    plan = context.plan
    if context.base.simulation.replications == 0:
        return context.base.requirements  # every curve given: nothing to staff by a model
    given = {r.post_id for r in plan.requirements}
    lanes = sipp_lanes(context)
    targets = context.base.risk.targets
    return tuple(
        screening_requirement(plan, post, lanes, targets, 0)
        if post.kind is PostKind.SCREENING and post.id not in given
        else requirement
        for post, requirement in zip(plan.posts, context.base.requirements, strict=True)
    )
