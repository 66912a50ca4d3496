"""Built-in roster policies on a tiny generated match day."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from optimizer import pipeline
from optimizer.bench.families import make_plan
from optimizer.domain.coverage import officers_by_post
from optimizer.domain.types import EventPlan, PostKind, Requirement, RunOptions, Shift
from optimizer.policies import PolicyContext, get_policy, policy_names, register
from optimizer.policies.fixed_shifts import watch_labour
from optimizer.policies.sipp import sipp_lanes
from optimizer.staffing.posts import active_slots

OPTIONS = RunOptions(seed=0, replications=2, time_limit_s=10.0)


@pytest.fixture(scope="module")
def context() -> PolicyContext:
    plan = make_plan("stadium", {"attendance": 1500, "gates": 2}, 0, Path("."))
    return PolicyContext(plan, pipeline.simulate(plan, OPTIONS), OPTIONS)


def test_builtins_are_registered() -> None:
    assert {"static-peak", "fixed-shifts", "sipp-flex", "optimised"} <= set(policy_names())


def test_unknown_policy_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="static-peak"):
        get_policy("no-such-policy")


def test_a_name_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        register("optimised", "again")(get_policy("optimised").build)


def _covers(
    plan: EventPlan, result_requirements: Sequence[Requirement], shifts: Sequence[Shift]
) -> bool:
    on_post = officers_by_post(shifts, plan.grid)
    return all(
        on_post.get(r.post_id, [0] * plan.grid.n_slots)[k] >= need
        for r in result_requirements
        for k, need in enumerate(r.officers)
    )


@pytest.mark.parametrize("name", ["static-peak", "fixed-shifts", "sipp-flex", "optimised"])
def test_policy_roster_covers_what_it_staffs_to(context: PolicyContext, name: str) -> None:
    result = get_policy(name).build(context)
    assert result.roster.shifts
    assert _covers(context.plan, result.requirements, result.roster.shifts)


def test_optimised_is_the_pipelines_roster(context: PolicyContext) -> None:
    outcome = pipeline.plan(context.plan, OPTIONS)
    roster = get_policy("optimised").build(context).roster
    assert (roster.headcount, roster.officer_minutes) == (
        outcome.roster.headcount,
        outcome.roster.officer_minutes,
    )


def test_static_peak_keeps_each_officer_on_one_post_at_its_peak(context: PolicyContext) -> None:
    plan = context.plan
    result = get_policy("static-peak").build(context)
    assert all(len(s.stints) == 1 for s in result.roster.shifts)
    assert all(s.end_min - s.start_min <= plan.labour.max_shift_min for s in result.roster.shifts)
    for post, base in zip(plan.posts, context.base.requirements, strict=True):
        staffed = result.requirements[plan.posts.index(post)].officers
        assert {staffed[k] for k in active_slots(plan, post)} <= {max(base.officers)}


def test_fixed_watches_tile_the_horizon(context: PolicyContext) -> None:
    labour = watch_labour(context.plan)
    horizon = context.plan.grid.horizon_min
    assert labour.max_shift_min <= 480
    watches = -(-horizon // labour.start_step_min)
    assert (watches - 1) * labour.start_step_min + labour.min_shift_min == horizon
    result = get_policy("fixed-shifts").build(context)
    assert all(s.start_min % labour.start_step_min == 0 for s in result.roster.shifts)


def test_sipp_lanes_stay_within_gates_and_active_windows(context: PolicyContext) -> None:
    plan = context.plan
    lanes = sipp_lanes(context)
    for gate in plan.gates:
        posts = [p for p in plan.posts if p.kind is PostKind.SCREENING and p.gate_id == gate.id]
        active = {k for p in posts for k in active_slots(plan, p)}
        chosen = lanes[gate.id].lanes
        assert max(chosen) <= gate.lanes
        assert all(n == 0 for k, n in enumerate(chosen) if k not in active)
        assert any(n > 0 for n in chosen)
