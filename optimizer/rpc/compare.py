"""``ComparePolicies``: the rows of ``optimizer bench`` for one plan, as messages.

The servicer streams a ``PolicyRow`` per policy as soon as it is judged (``bench.judge``), so a
caller sees the cheap baselines before the optimised roster is solved.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from optimizer.bench.judge import Judged, judge_policies
from optimizer.domain.types import EventPlan, RunOptions
from optimizer.errors import InvalidInput, Violation
from optimizer.policies import policy_names
from optimizer.rpc.v1 import service_pb2


def requested_policies(names: Sequence[str]) -> tuple[str, ...]:
    """The policies asked for, all registered ones when none; InvalidInput names unknown ones."""
    if not names:
        return policy_names()
    unknown = [
        Violation(f"policies[{i}]", f"unknown policy {n!r}; known: {', '.join(policy_names())}")
        for i, n in enumerate(names)
        if n not in policy_names()
    ]
    if unknown:
        raise InvalidInput(unknown)
    return tuple(names)


def policy_row_to_pb(judged: Judged) -> service_pb2.PolicyRow:
    row = judged.row
    missed = str(row["missed"])
    return service_pb2.PolicyRow(
        policy=str(row["policy"]),
        status=str(row["status"]),
        within_pool=bool(row["within_pool"]),
        headcount=int(row["headcount"]),
        officer_hours=float(row["officer_hours"]),
        over_cover_hours=float(row["over_cover_h"]),
        under_cover_hours=float(row["under_cover_h"]),
        wait_ok=float(row["wait_ok"]),
        density_ok=float(row["density_ok"]),
        response_ok=float(row["response_ok"]),
        worst_wait_min=float(row["worst_wait_min"]),
        checks_met=int(row["checks_met"]),
        checks=int(row["checks"]),
        missed=[m for m in missed.split(";") if m],
        solve_seconds=judged.solve_s,
    )


def compare_rows(
    plan: EventPlan, options: RunOptions, policies: Sequence[str]
) -> Iterator[service_pb2.PolicyRow]:
    """One ``PolicyRow`` per policy, in the order asked, each as soon as it is judged."""
    for _, judged in judge_policies(plan.name, plan, requested_policies(policies), options):
        yield policy_row_to_pb(judged)
