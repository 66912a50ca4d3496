"""The covering core on its own: choose how many of each column so every row's demand is met.

This is Dantzig's set-covering shift-scheduling model, minimise sum(cost_j * x_j) subject to
sum(x_j over columns covering row t) >= demand_t, x_j integer in [0, cap_j]. The roster uses the
same model builder and staged solver with officer types, groups and substitution on top.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from optimizer.errors import InvalidInput, Violation
from optimizer.roster.model import Column, CoverInput, build_cover_model
from optimizer.roster.solver import solve_stages


@dataclass(frozen=True)
class CoverResult:
    """Column counts of the best cover found, its cost, and the proven lower bound.

    ``counts`` is None (and ``cost`` -1) when no cover was found: infeasible or out of time.
    """

    status: str
    counts: tuple[int, ...] | None
    cost: int
    bound: int

    @property
    def optimal(self) -> bool:
        return self.status == "OPTIMAL"


def min_cover(
    columns: Sequence[Sequence[int]],
    demand: Sequence[int],
    cost: Sequence[int] | None = None,
    caps: Sequence[int] | None = None,
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    stop_event: threading.Event | None = None,
) -> CoverResult:
    """Cheapest integer combination of columns covering ``demand``.

    Parameters
    ----------
    columns
        For each column, the rows (slots, days) one unit of it covers.
    demand
        Units needed in each row.
    cost
        Cost of one unit of each column (default 1 each: minimise the number of units).
    caps
        Most units of each column (default: no cap beyond what the demand can use).
    time_limit_s, seed, workers, stop_event
        As for the roster solve.

    Raises
    ------
    InvalidInput
        A column names a row outside ``demand``, or the lengths of ``cost``/``caps`` differ from
        the number of columns, or a number is negative.
    """
    violations = []
    n_rows = len(demand)
    for j, rows in enumerate(columns):
        if any(r < 0 or r >= n_rows for r in rows):
            violations.append(Violation(f"columns[{j}]", f"rows must lie in [0, {n_rows})"))
    for name, values in (("cost", cost), ("caps", caps)):
        if values is not None and len(values) != len(columns):
            violations.append(Violation(name, f"needs {len(columns)} values"))
        if values is not None and any(v < 0 for v in values):
            violations.append(Violation(name, "must not be negative"))
    if any(d < 0 for d in demand):
        violations.append(Violation("demand", "must not be negative"))
    if violations:
        raise InvalidInput(violations)

    unit_cost = list(cost) if cost is not None else [1] * len(columns)
    unlimited = max(demand, default=0)
    limits = list(caps) if caps is not None else [unlimited] * len(columns)
    inp = CoverInput(
        n_slots=n_rows,
        demand=(tuple(demand),),
        covers=((0,),),
        columns=tuple(
            Column(0, j, tuple(sorted(set(rows))), unit_cost[j], j)
            for j, rows in enumerate(columns)
        ),
        group_caps=tuple(limits),
    )
    cover = build_cover_model(inp)
    # Paid minutes are sum(cost * x), so the roster's OFFICER_HOURS objective is this cost.
    staged = solve_stages(
        cover, ["officer_hours"], time_limit_s, seed=seed, workers=workers, stop_event=stop_event
    )
    stage = staged.stages[0] if staged.stages else None
    if stage is None:
        return CoverResult("UNKNOWN", None, -1, 0)
    return CoverResult(
        stage.status,
        staged.x,
        -1 if stage.value is None else stage.value,
        stage.bound if stage.bound is not None else 0,
    )
