"""The gap is defined against a bound that holds for the roster it describes."""

from __future__ import annotations

from optimizer.domain.types import Roster, SolveStatus


def _roster(status: SolveStatus, headcount: int, bound: int) -> Roster:
    return Roster(status, (), headcount, bound, 0, 0)


def test_gap_of_a_covering_roster() -> None:
    assert _roster(SolveStatus.FEASIBLE, 100, 99).gap == 0.01
    assert _roster(SolveStatus.OPTIMAL, 50, 50).gap == 0.0


def test_a_short_roster_reports_no_negative_gap() -> None:
    """With the pool short the headcount may sit below the full-coverage bound."""
    assert _roster(SolveStatus.INFEASIBLE, 80, 104).gap == 0.0
