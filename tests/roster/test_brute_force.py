"""CP-SAT's headcount equals the true minimum found by enumeration on tiny random cases."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from optimizer.domain.types import (
    BreakRule,
    EventPlan,
    LabourRules,
    Officer,
    OfficerType,
    Requirement,
    RunOptions,
    SolveStatus,
    Supply,
)
from optimizer.roster import check_roster, solve_roster
from optimizer.roster.templates import officer_groups, shift_templates

from .factories import PO, SP, make_plan, requirement

# 2-4 h shifts on the hour, a 30-minute break 60-90 minutes in from 3 h on; 30-minute slots.
LABOUR = LabourRules(
    min_shift_min=120,
    max_shift_min=240,
    shift_step_min=60,
    start_step_min=60,
    break_rules=(BreakRule(180, 30),),
    break_window_start_min=60,
    break_window_end_min=90,
)
H_MAX = 5


def brute_force_minimum(plan: EventPlan, requirements: Sequence[Requirement]) -> int | None:
    """Smallest headcount of any multiset of templates that covers, or None if none <= H_MAX.

    Coverage is re-derived here: an officer of type a on duty in a slot fills one post of any type
    a may cover, so a slot is coverable iff Hall's condition holds for every set of post types.
    """
    grid = plan.grid
    groups = officer_groups(plan.pool, grid)
    templates = shift_templates(plan.labour, grid)
    columns = [
        (g, t)
        for g, group in enumerate(groups)
        for t in templates
        if group.start_min <= t.start_min and t.end_min <= group.end_min
    ]
    post_types = sorted({r.officer_type for r in requirements})
    demand = {b: [0] * grid.n_slots for b in post_types}
    for r in requirements:
        for s, n in enumerate(r.officers):
            demand[r.officer_type][s] += n
    subsets = [
        set(c) for k in range(1, len(post_types) + 1) for c in itertools.combinations(post_types, k)
    ]

    def covers(chosen: Sequence[int]) -> bool:
        used = [0] * len(groups)
        on = {g.officer_type: [0] * grid.n_slots for g in groups}
        for j in chosen:
            g, t = columns[j]
            used[g] += 1
            for s in t.slots:
                on[groups[g].officer_type][s] += 1
        if any(u > group.count for u, group in zip(used, groups, strict=True)):
            return False
        for s in range(grid.n_slots):
            for subset in subsets:
                need = sum(demand[b][s] for b in subset)
                have = sum(w[s] for a, w in on.items() if subset & set(plan.pool.covers(a)))
                if need > have:
                    return False
        return True

    for size in range(H_MAX + 1):
        for chosen in itertools.combinations_with_replacement(range(len(columns)), size):
            if covers(chosen):
                return size
    return None


@st.composite
def tiny_cases(draw: st.DrawFn) -> tuple[EventPlan, list[Requirement]]:
    """1-2 officer types over 8-12 half-hour slots, sparse demand, small pools.

    Public-order demand lies inside the public-order window so that most cases are feasible;
    the pool sizes still make some infeasible.
    """
    two_types = draw(st.booleans())
    n_slots = draw(st.sampled_from([8] if two_types else [8, 10, 12]))
    horizon = n_slots * 30
    start = draw(st.sampled_from([0, 60]))
    end = draw(st.sampled_from([horizon, horizon - 60]))

    def sparse(first: int, stop: int) -> list[int]:
        # Sparse demand keeps most true minima within reach of the enumeration.
        values = draw(st.lists(st.sampled_from([0, 0, 1]), min_size=n_slots, max_size=n_slots))
        return [v if first <= s < stop else 0 for s, v in enumerate(values)]

    reqs = [
        requirement("gate", PO, sparse(start // 30, end // 30)),
        requirement("ring", PO, sparse(start // 30, end // 30)),
    ]
    posts = {"gate": PO, "ring": PO}
    types = [OfficerType(PO, "public order")]
    count = draw(st.integers(1, 5))
    supply: list[Supply] = []
    officers: list[Officer] = []
    if draw(st.booleans()):
        supply.append(Supply(PO, count, start, end))
    else:
        officers.extend(Officer(f"po{i}", PO, start, end) for i in range(count))
    if two_types:
        types.append(OfficerType(SP, "special police", can_cover=(PO,)))
        reqs.append(requirement("rapid", SP, sparse(0, n_slots)))
        posts["rapid"] = SP
        supply.append(Supply(SP, draw(st.integers(1, 3)), 0, horizon))
    plan = make_plan(
        posts,
        slot_min=30,
        horizon_min=horizon,
        types=types,
        supply=supply,
        officers=officers,
        labour=LABOUR,
    )
    return plan, reqs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_cases())
def test_headcount_matches_brute_force(case: tuple[EventPlan, list[Requirement]]) -> None:
    plan, reqs = case
    roster = solve_roster(plan, reqs, RunOptions(time_limit_s=10.0))
    assert check_roster(plan, reqs, roster) == []
    best = brute_force_minimum(plan, reqs)
    available = sum(g.count for g in officer_groups(plan.pool, plan.grid))
    event(f"brute-force minimum: {best}, solver: {roster.status.value}")
    if best is not None:
        assert roster.status is SolveStatus.OPTIMAL
        assert roster.headcount == best == roster.lower_bound
    elif available <= H_MAX:
        # Every multiset the pool allows was tried: no roster covers.
        assert roster.status is SolveStatus.INFEASIBLE
        assert roster.shortfalls
    else:
        assert roster.status is SolveStatus.INFEASIBLE or roster.headcount > H_MAX
