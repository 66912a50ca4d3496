"""The rotation reserve of the covering model (``optimizer.roster.model``).

Where a type's demand is all at one rotating post for L + 1 slots, the model keeps officers in
reserve for the stand-downs. Checked on tiny cases against an exhaustive search of the rosters
the post rules allow: the model's minimum never exceeds theirs (it cuts off no such roster's
headcount), and the officers the rules add afterwards go down.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from optimizer.domain.types import (
    EventPlan,
    LabourRules,
    Post,
    PostId,
    PostKind,
    Requirement,
    RunOptions,
    SolveStatus,
    Supply,
    ZoneId,
)
from optimizer.roster import check_roster, solve_roster
from optimizer.roster import problem as problem_module
from optimizer.roster.model import RotationWindow, build_cover_model
from optimizer.roster.problem import build_problem, rotation_windows
from optimizer.roster.rules import plan_risk_level
from optimizer.roster.templates import shift_templates

from .factories import PO, make_plan, requirement

OPTIONS = RunOptions(time_limit_s=10.0)
# 1 h to 2 h 30 shifts starting on the hour, no break, 30-minute slots over 3 h; an officer may
# stand at most an hour (two slots) at one post.
TINY = LabourRules(
    min_shift_min=60,
    max_shift_min=150,
    shift_step_min=30,
    start_step_min=60,
    break_rules=(),
    max_continuous_post_min=60,
    min_stint_min=0,
)


def _plan(kinds: dict[str, PostKind], pool: int = 10, horizon_min: int = 180) -> EventPlan:
    plan = make_plan(
        dict.fromkeys(kinds, PO),
        labour=TINY,
        post_rules=True,
        supply=(Supply(PO, pool, 0, horizon_min),),
        slot_min=30,
        horizon_min=horizon_min,
    )
    posts = tuple(
        Post(PostId(name), kind, ZoneId("z"), PO, 0, horizon_min) for name, kind in kinds.items()
    )
    return dataclasses.replace(plan, posts=posts)


def _patterns(plan: EventPlan, n_posts: int) -> set[tuple[int, ...]]:
    """Every coverage vector (post-major, slot-minor) one officer can give under the rules.

    Re-derived from the rules: per template, each working slot is at a post or idle; a run at a
    post with a limit spans at most the limit (no breaks here, no minimum stint, one zone).
    """
    grid = plan.grid
    level = plan_risk_level(plan)
    limits = [plan.labour.max_continuous_for(p.kind, level) for p in plan.posts]
    vectors = set()
    for t in shift_templates(plan.labour, grid):
        for choice in itertools.product(range(-1, n_posts), repeat=len(t.slots)):
            ok = True
            run_post, run_start = -1, 0
            for slot, p in zip(t.slots, choice, strict=True):
                if p < 0:
                    run_post = -1
                    continue
                if p != run_post:
                    run_post, run_start = p, slot
                if limits[p] and (slot + 1 - run_start) * grid.slot_min > limits[p]:
                    ok = False
                    break
            if ok:
                vector = [0] * (n_posts * grid.n_slots)
                for slot, p in zip(t.slots, choice, strict=True):
                    if p >= 0:
                        vector[p * grid.n_slots + slot] = 1
                vectors.add(tuple(vector))
    return vectors


def _fewest(plan: EventPlan, reqs: Sequence[Requirement], most: int) -> int | None:
    """The fewest officers any roster obeying the post rules needs (None: more than ``most``)."""
    need = tuple(n for r in reqs for n in r.officers)
    vectors = _patterns(plan, len(reqs))
    states = {tuple(0 for _ in need)}
    for k in range(most + 1):
        if need in states:
            return k
        states = {
            tuple(min(n, s + v) for n, s, v in zip(need, state, vector, strict=True))
            for state in states
            for vector in vectors
        }
    return None


def _model_minimum(plan: EventPlan, reqs: Sequence[Requirement], reserve: bool) -> int:
    cover_input = build_problem(plan, reqs).cover
    if not reserve:
        cover_input = dataclasses.replace(cover_input, rotation=())
    cover = build_cover_model(cover_input)
    cover.model.minimize(cover.headcount)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(cover.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_windows_need_one_rotating_post_with_demand() -> None:
    plan = _plan({"a": PostKind.FIXED, "b": PostKind.FIXED, "p": PostKind.PATROL})
    a = requirement("a", PO, [1, 1, 1, 1, 1, 1])
    b = requirement("b", PO, [0, 0, 0, 1, 0, 0])
    p = requirement("p", PO, [1, 1, 1, 1, 1, 1])
    # Post b's demand in slot 3 lets officers rotate between a and b: no window holds slot 3.
    assert rotation_windows(plan, [a, b], (PO,)) == (RotationWindow(0, 0, 2),)
    # A patrol of the same type with demand is somewhere to go: no window at all.
    assert rotation_windows(plan, [a, b, p], (PO,)) == ()
    assert rotation_windows(plan, [a], (PO,)) == tuple(
        RotationWindow(0, first, 2) for first in range(4)
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 1, 2, 2]), min_size=6, max_size=6),
    st.lists(st.sampled_from([0, 0, 0, 1]), min_size=6, max_size=6),
    st.sampled_from([PostKind.FIXED, PostKind.PATROL]),
)
def test_the_reserve_cuts_off_no_roster_the_rules_allow(
    a: list[int], b: list[int], kind: PostKind
) -> None:
    """The model's minimum never exceeds the exhaustive minimum under the rules (a valid bound)."""
    plan = _plan({"a": PostKind.FIXED, "b": kind})
    reqs = [requirement("a", PO, a), requirement("b", PO, b)]
    with_reserve = _model_minimum(plan, reqs, reserve=True)
    fewest = _fewest(plan, reqs, 10)
    assert fewest is not None
    assert _model_minimum(plan, reqs, reserve=False) <= with_reserve <= fewest


def test_the_reserve_lifts_the_bound_to_the_rules_minimum() -> None:
    """One post, two officers all day: without a third, nobody can stand down."""
    plan = _plan({"a": PostKind.FIXED}, horizon_min=150)
    reqs = [requirement("a", PO, [2, 2, 2, 2, 2])]
    fewest = _fewest(plan, reqs, 6)
    assert _model_minimum(plan, reqs, reserve=False) == 2
    assert _model_minimum(plan, reqs, reserve=True) == fewest == 3


@pytest.mark.parametrize("demand", [[1] * 8, [2] * 8])
def test_the_reserve_leaves_fewer_officers_for_the_rules_to_add(
    demand: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan({"a": PostKind.FIXED}, pool=20, horizon_min=30 * len(demand))
    reqs = [requirement("a", PO, demand)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert roster.rules_added_officers == 0
    assert roster.status is SolveStatus.OPTIMAL
    monkeypatch.setattr(problem_module, "rotation_windows", lambda *args: ())
    without = solve_roster(plan, reqs, OPTIONS)
    assert without.rules_added_officers > 0
    assert without.lower_bound < roster.lower_bound


@pytest.mark.parametrize("demand", [[2] * 5, [2, 3, 3, 2, 2], [3] * 6, [1, 2, 2, 2, 1, 1]])
def test_the_roster_meets_the_exhaustive_minimum_on_one_post(demand: list[int]) -> None:
    """The reserve buys the relief and the post assignment staggers it (``optimizer.roster.
    assign``): the roster is the fewest officers any rule-abiding roster needs, proven."""
    plan = _plan({"a": PostKind.FIXED}, pool=20, horizon_min=30 * len(demand))
    reqs = [requirement("a", PO, demand)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert roster.headcount == roster.lower_bound == _fewest(plan, reqs, roster.headcount)
    assert roster.rules_added_officers == 0
    assert roster.status is SolveStatus.OPTIMAL
