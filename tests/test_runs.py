"""Runs of equal values: what turns per-slot rows into time ranges in results and diagnoses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from optimizer.domain.runs import equal_runs


def test_runs_of_a_row() -> None:
    assert list(equal_runs([0, 2, 2, 1, 0, 0])) == [(0, 1, 0), (1, 3, 2), (3, 4, 1), (4, 6, 0)]
    assert list(equal_runs([])) == []


@given(st.lists(st.integers(0, 3), max_size=30))
def test_runs_rebuild_the_row_and_are_maximal(row: list[int]) -> None:
    runs = list(equal_runs(row))
    assert [v for first, end, v in runs for _ in range(first, end)] == row
    assert all(a[2] != b[2] for a, b in zip(runs, runs[1:], strict=False))
