"""The covering core on its own: Winston's post-office problem and small edge cases."""

from __future__ import annotations

import pytest

from optimizer.errors import InvalidInput
from optimizer.roster import min_cover

POST_OFFICE_DEMAND = [17, 13, 15, 19, 14, 16, 11]  # Mon..Sun


def _five_on_two_off() -> list[list[int]]:
    return [[(start + k) % 7 for k in range(5)] for start in range(7)]


def test_post_office_needs_23_workers() -> None:
    """DOMAIN_RESEARCH T2: optimum 23 (LP 22 1/3; peak bound 19, workload bound 21)."""
    result = min_cover(_five_on_two_off(), POST_OFFICE_DEMAND, time_limit_s=10.0)
    assert result.optimal
    assert result.cost == 23
    assert result.bound == 23
    assert result.counts is not None
    for day, need in enumerate(POST_OFFICE_DEMAND):
        on = sum(n for start, n in enumerate(result.counts) if day in _five_on_two_off()[start])
        assert on >= need


def test_costs_change_the_optimum() -> None:
    # One long column (cost 3) covers both rows; two short ones (cost 1 each) cover one row each.
    result = min_cover([[0, 1], [0], [1]], [2, 2], cost=[3, 1, 1])
    assert result.cost == 4
    assert result.counts == (0, 2, 2)


def test_caps_can_make_it_infeasible() -> None:
    result = min_cover([[0], [1]], [1, 3], caps=[5, 2])
    assert result.status == "INFEASIBLE"
    assert result.counts is None


def test_bad_input_lists_every_violation() -> None:
    with pytest.raises(InvalidInput) as info:
        min_cover([[0, 7]], [1, -1], cost=[1, 2])
    fields = {v.field for v in info.value.violations}
    assert fields == {"columns[0]", "cost", "demand"}
