"""Limits and lifetimes: solve slots, health under load, problem size, deadlines, cancellation."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from optimizer import pipeline
from optimizer.domain.types import RunOptions
from optimizer.errors import Cancelled
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.limits import Limits
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.servicer import REPLY_MARGIN_S
from optimizer.rpc.v1 import result_pb2, service_pb2
from tests.rpc.conftest import STOP_BOUND_S, SlowPlan, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _request(plan: dict[str, Any], **options: Any) -> service_pb2.PlanRequest:
    run = {"seed": 0, "replications": 2, "time_limit_s": 20, **options}
    return service_pb2.PlanRequest(plan=plan_from_dict(plan), options=result_pb2.RunOptions(**run))


@pytest.fixture(scope="module")
def stadium_dict() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / "stadium_match.yaml").read_text(encoding="utf-8"))


def test_beyond_the_solve_slots_is_resource_exhausted_with_retry_info(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    slow = SlowPlan()
    with serve(limits=Limits(max_solves=1, retry_after_s=7), plan_function=slow) as served:
        running = served.stub.Plan.future(_request(quickstart_dict), timeout=60)
        assert slow.started.wait(10)
        with pytest.raises(grpc.RpcError) as caught:
            served.stub.Plan(_request(quickstart_dict), timeout=10)
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        status = rpc_status.from_call(caught.value)
        assert status is not None
        retry = error_details_pb2.RetryInfo()
        assert status.details[0].Unpack(retry)
        assert retry.retry_delay.seconds == 7
        # Streams and simulations share the slots.
        with pytest.raises(grpc.RpcError) as streamed:
            list(served.stub.PlanStream(_request(quickstart_dict), timeout=10))
        assert streamed.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        running.cancel()
        wait_until(lambda: served.servicer.active_solves == 0, timeout_s=STOP_BOUND_S)


def test_health_and_validate_answer_while_every_slot_solves(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    slow = SlowPlan()
    with serve(limits=Limits(max_solves=2), plan_function=slow) as served:
        calls = [served.stub.Plan.future(_request(quickstart_dict), timeout=60) for _ in range(2)]
        wait_until(lambda: served.servicer.active_solves == 2, timeout_s=10)
        health = health_pb2_grpc.HealthStub(served.channel)
        latencies = []
        for _ in range(20):
            start = time.perf_counter()
            reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
            latencies.append(time.perf_counter() - start)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
        valid = served.stub.Validate(
            service_pb2.ValidateRequest(plan=plan_from_dict(quickstart_dict)), timeout=5
        )
        assert valid.slots == 20
        assert max(latencies) < 2.0  # a blocked pool would time out at 1 s
        for call in calls:
            call.cancel()
        wait_until(lambda: served.servicer.active_solves == 0, timeout_s=STOP_BOUND_S)


def test_too_large_a_problem_is_invalid_argument_naming_the_factors(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    # The quickstart: 20 slots x 7 posts x 92 officers = 12,880.
    with serve(limits=Limits(max_problem_size=10_000)) as served:
        for call in (
            lambda: served.stub.Plan(_request(quickstart_dict), timeout=10),
            lambda: list(served.stub.PlanStream(_request(quickstart_dict), timeout=10)),
            lambda: served.stub.Validate(
                service_pb2.ValidateRequest(plan=plan_from_dict(quickstart_dict)), timeout=10
            ),
        ):
            with pytest.raises(grpc.RpcError) as caught:
                call()
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "20 slots x 7 posts x 92 officers = 12,880" in caught.value.details()
            assert "limit of 10,000" in caught.value.details()


def test_the_callers_deadline_reaches_the_run(serve: Any, quickstart_dict: dict[str, Any]) -> None:
    slow = SlowPlan()
    with serve(plan_function=slow) as served:
        sent = time.monotonic()
        call = served.stub.Plan.future(_request(quickstart_dict), timeout=5)
        assert slow.started.wait(5)
        deadline = slow.deadlines[0]
        assert deadline is not None
        # gRPC's clock and ours differ by milliseconds.
        assert abs(deadline - (sent + 5 - REPLY_MARGIN_S)) < 0.3
        call.cancel()
    with serve(plan_function=slow) as served:
        call = served.stub.Plan.future(_request(quickstart_dict))  # no deadline
        wait_until(lambda: len(slow.deadlines) == 2, timeout_s=5)
        assert slow.deadlines[1] is None
        call.cancel()


def test_fit_deadline_leaves_time_to_verify() -> None:
    options = RunOptions(time_limit_s=30)
    assert pipeline.fit_deadline(options, None, 2.0, now=100.0) is options
    cut = pipeline.fit_deadline(options, 110.0, 2.0, now=100.0)
    assert cut.time_limit_s == pytest.approx(10 - pipeline.VERIFY_MARGIN_S - 1.0)
    late = pipeline.fit_deadline(options, 100.5, 2.0, now=100.0)
    assert late.time_limit_s == pipeline.MIN_SOLVE_S
    assert pipeline.fit_deadline(options, 1000.0, 2.0, now=100.0).time_limit_s == 30


def test_a_deadline_caps_a_real_plan_and_still_returns_a_roster(
    stub: Any, quickstart_dict: dict[str, Any]
) -> None:
    service, _ = stub
    start = time.monotonic()
    result = service.Plan(_request(quickstart_dict, time_limit_s=600), timeout=4)
    assert time.monotonic() - start < 4
    assert result.options.time_limit_s < 4
    assert result.summary.headcount > 0


def test_cancelling_a_real_plan_stops_the_simulation_within_a_second(
    serve: Any, stadium_dict: dict[str, Any]
) -> None:
    """The stadium's simulation with 40 replications takes tens of seconds; cancel after 1 s."""
    with serve() as served:
        call = served.stub.Plan.future(_request(stadium_dict, replications=40), timeout=120)
        wait_until(lambda: served.servicer.active_solves == 1, timeout_s=10)
        time.sleep(1.0)
        call.cancel()
        freed_s = wait_until(lambda: served.servicer.active_solves == 0, timeout_s=5.0)
        print(f"stadium Plan cancelled during simulation: slot freed {freed_s:.3f} s later")
        assert freed_s < STOP_BOUND_S


def test_pipeline_stop_event_ends_the_run_with_cancelled(stadium_dict: dict[str, Any]) -> None:
    plan = plan_from_pb(plan_from_dict(stadium_dict))
    stop = threading.Event()
    timer = threading.Timer(0.5, stop.set)
    timer.start()
    start = time.monotonic()
    with pytest.raises(Cancelled):
        pipeline.plan(plan, RunOptions(replications=40), stop_event=stop)
    assert time.monotonic() - start < STOP_BOUND_S
