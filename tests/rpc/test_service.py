"""The service over a real socket: Plan, Simulate, Validate, rich errors, health, reflection."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from grpc_status import rpc_status

from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2


def _options() -> result_pb2.RunOptions:
    return result_pb2.RunOptions(seed=3, replications=3, time_limit_s=20)


def test_plan_returns_a_roster(stub: Any, quickstart_dict: dict[str, Any]) -> None:
    service, _ = stub
    result = service.Plan(
        service_pb2.PlanRequest(plan=plan_from_dict(quickstart_dict), options=_options()),
        timeout=120,
    )
    assert result.summary.status == result_pb2.SOLVE_STATUS_OPTIMAL
    assert result.summary.headcount >= result.summary.lower_bound > 0
    assert len(result.shifts) == result.summary.headcount
    assert result.verification
    assert {r.post_id for r in result.requirements} >= {"screen_a", "command"}


def test_simulate_and_validate(stub: Any, quickstart_dict: dict[str, Any]) -> None:
    service, _ = stub
    plan = plan_from_dict(quickstart_dict)
    sim = service.Simulate(service_pb2.SimulateRequest(plan=plan, options=_options()), timeout=60)
    assert {g.gate_id for g in sim.simulation.gates} == {"gate_a", "gate_b"}
    assert sim.simulation.attendees_simulated > 0
    valid = service.Validate(service_pb2.ValidateRequest(plan=plan), timeout=10)
    assert valid.slots == 20
    assert valid.officers_available == 92


@pytest.mark.parametrize("rpc", ["Plan", "Simulate", "Validate"])
def test_bad_plan_is_invalid_argument_with_field_violations(
    stub: Any, quickstart_dict: dict[str, Any], rpc: str
) -> None:
    service, _ = stub
    plan = plan_from_dict(quickstart_dict)
    plan.gates[0].officers_per_lane = 0
    plan.posts[2].zone_id = "nowhere"
    request = getattr(service_pb2, f"{rpc}Request")(plan=plan)
    with pytest.raises(grpc.RpcError) as caught:
        getattr(service, rpc)(request, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(caught.value)
    assert status is not None
    bad = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad)
    fields = {v.field: v.description for v in bad.field_violations}
    assert "gates[0].officers_per_lane" in fields
    assert "'nowhere'" in fields["posts[2].zone_id"]


def test_bad_options_are_invalid_argument(stub: Any, quickstart_dict: dict[str, Any]) -> None:
    service, _ = stub
    request = service_pb2.PlanRequest(
        plan=plan_from_dict(quickstart_dict), options=result_pb2.RunOptions(replications=-3)
    )
    with pytest.raises(grpc.RpcError) as caught:
        service.Plan(request, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "options.replications" in caught.value.details()


def test_empty_request_is_invalid_not_internal(stub: Any) -> None:
    service, _ = stub
    with pytest.raises(grpc.RpcError) as caught:
        service.Plan(service_pb2.PlanRequest(), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_health_check_serves(stub: Any) -> None:
    _, channel = stub
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "optimizer.rpc.v1.OptimizerService"):
        reply = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_services(stub: Any) -> None:
    _, channel = stub
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    replies = reflection.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5
    )
    names = {s.name for reply in replies for s in reply.list_services_response.service}
    assert {"optimizer.rpc.v1.OptimizerService", "grpc.health.v1.Health"} <= names
