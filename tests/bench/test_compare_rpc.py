"""The ComparePolicies RPC streams the rows optimizer bench writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest

from optimizer.bench.families import make_plan, stadium_document
from optimizer.bench.judge import run_scenario
from optimizer.domain.types import RunOptions
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2

PARAMS = {"attendance": 1200, "gates": 2}


def _request(policies: list[str]) -> service_pb2.ComparePoliciesRequest:
    return service_pb2.ComparePoliciesRequest(
        plan=plan_from_dict(stadium_document(PARAMS, 0)),
        options=result_pb2.RunOptions(seed=3, replications=2, time_limit_s=10),
        policies=policies,
    )


def test_rows_stream_in_order_and_match_the_bench(stub: Any) -> None:
    service, _ = stub
    rows = list(service.ComparePolicies(_request(["static-peak", "optimised"]), timeout=60))
    assert [r.policy for r in rows] == ["static-peak", "optimised"]
    plan = make_plan("stadium", PARAMS, 0, Path("."))
    options = RunOptions(seed=3, replications=2, time_limit_s=10)
    bench = run_scenario(plan.name, plan, ["static-peak", "optimised"], options).rows
    for message, row in zip(rows, bench, strict=True):
        assert message.headcount == row["headcount"]
        assert message.officer_hours == pytest.approx(float(row["officer_hours"]))
        assert message.checks_met == row["checks_met"]
        assert list(message.missed) == [m for m in str(row["missed"]).split(";") if m]
    assert rows[1].officer_hours < rows[0].officer_hours


def test_unknown_policy_is_invalid_argument(stub: Any) -> None:
    service, _ = stub
    with pytest.raises(grpc.RpcError) as caught:
        list(service.ComparePolicies(_request(["optimised", "guesswork"]), timeout=30))
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "guesswork" in (caught.value.details() or "")
