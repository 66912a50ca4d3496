"""A multi-day re-plan needs no more officers than planning the new plan from scratch."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from optimizer.domain.replan import ReplanRules
from optimizer.domain.types import EventPlan, LabourRules, Requirement, Supply
from optimizer.roster import check_roster, replan_roster, solve_roster

from .helpers import OPTIONS, PO, make_plan, requirement

DAY = 24 * 60
# 8-hour duties starting every 4 hours, 11 hours of rest between an officer's duties, and at
# most 4 hours on end at one post: an officer alone at a post for a whole duty leaves it short,
# which the post rules see and the shift model does not.
RULES = LabourRules(
    min_shift_min=480,
    max_shift_min=480,
    shift_step_min=60,
    start_step_min=240,
    break_rules=(),
    max_continuous_post_min=240,
    min_stint_min=0,
    min_rest_min=660,
)


def _plan() -> EventPlan:
    return make_plan(
        {"a": PO, "b": PO},
        slot_min=240,
        horizon_min=3 * DAY,
        supply=(Supply(PO, 14, 0, 3 * DAY),),
        labour=RULES,
    )


def _requirements(
    a: Sequence[Sequence[int]], b: Sequence[Sequence[int]]
) -> tuple[Requirement, ...]:
    """Officers per 4-hour slot (08:00 first) at posts a and b, one list per day."""
    return (
        requirement("a", PO, [n for day in a for n in day]),
        requirement("b", PO, [n for day in b for n in day]),
    )


# (post a before, post a after, post b throughout). Found by a random search over such plans:
# each made the re-plan take one officer more than planning from scratch (or leave a post
# short), when the post rules' gaps were added to the demand and the model solved again
# instead of relief duties being added to the model's roster first.
CASES = [
    (
        [[0, 2, 0, 1, 2, 2], [2, 1, 2, 0, 2, 2], [2, 1, 0, 2, 2, 0]],
        [[1, 2, 1, 0, 2, 2], [2, 0, 2, 0, 1, 2], [2, 1, 1, 2, 2, 0]],
        [[0, 0, 1, 0, 0, 1], [0, 1, 0, 0, 1, 0], [1, 0, 1, 1, 1, 0]],
    ),
    (
        [[0, 1, 1, 1, 1, 1], [2, 2, 1, 1, 1, 1], [0, 1, 1, 0, 1, 0]],
        [[0, 1, 1, 1, 1, 1], [3, 2, 1, 2, 1, 2], [0, 2, 1, 1, 2, 1]],
        [[0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 1, 0], [1, 0, 0, 0, 1, 0]],
    ),
    (
        [[2, 2, 2, 2, 2, 1], [2, 1, 2, 1, 1, 0], [2, 1, 2, 0, 0, 2]],
        [[1, 2, 2, 2, 3, 1], [1, 1, 2, 1, 2, 0], [3, 0, 2, 0, 0, 1]],
        [[1, 1, 0, 0, 0, 0], [0, 1, 1, 1, 1, 0], [0, 1, 1, 1, 0, 0]],
    ),
    (
        [[2, 2, 1, 2, 1, 2], [0, 2, 1, 2, 1, 0], [1, 1, 1, 0, 1, 2]],
        [[2, 2, 0, 2, 1, 2], [0, 2, 1, 2, 2, 0], [2, 0, 1, 0, 1, 2]],
        [[0, 0, 0, 1, 0, 0], [1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0]],
    ),
]


@pytest.mark.parametrize(("before", "after", "b"), CASES)
def test_a_replan_needs_no_more_officers_than_planning_from_scratch(
    before: list[list[int]], after: list[list[int]], b: list[list[int]]
) -> None:
    plan = _plan()
    published = solve_roster(plan, _requirements(before, b), OPTIONS)
    assert published.headcount < len(published.shifts)  # officers work several duties
    new = _requirements(after, b)
    scratch = solve_roster(plan, new, OPTIONS)
    roster = replan_roster(plan, new, published, OPTIONS, ReplanRules()).roster
    # The independent checker: rest, rotation, cover, the pool.
    assert check_roster(plan, new, roster) == []
    assert roster.shortfalls == ()
    assert roster.headcount <= scratch.headcount
