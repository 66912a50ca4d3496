"""PlanStream: phases in order with the solver's incumbent and bound, then the result."""

from __future__ import annotations

import time
from typing import Any

import grpc
import pytest

from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2
from tests.rpc.conftest import STOP_BOUND_S, SlowPlan, wait_until

Phase = service_pb2.PlanPhase


def _request(plan: dict[str, Any], **options: Any) -> service_pb2.PlanRequest:
    run = {"seed": 3, "replications": 2, "time_limit_s": 20, **options}
    return service_pb2.PlanRequest(plan=plan_from_dict(plan), options=result_pb2.RunOptions(**run))


def test_stream_reports_phases_then_the_result(stub: Any, quickstart_dict: dict[str, Any]) -> None:
    service, _ = stub
    events = list(service.PlanStream(_request(quickstart_dict), timeout=120))
    *progress, last = events
    assert last.WhichOneof("event") == "result"
    assert all(e.WhichOneof("event") == "progress" for e in progress)
    phases = [e.progress.phase for e in progress]
    assert phases == sorted(phases), "phases come in order"
    assert set(phases) == {
        Phase.PLAN_PHASE_VALIDATE,
        Phase.PLAN_PHASE_SIMULATE,
        Phase.PLAN_PHASE_REQUIREMENTS,
        Phase.PLAN_PHASE_SOLVE,
        Phase.PLAN_PHASE_VERIFY,
    }
    counted = [
        (e.progress.step, e.progress.total)
        for e in progress
        if e.progress.phase == Phase.PLAN_PHASE_SIMULATE and e.progress.step
    ]
    assert counted[:2] == [(1, 2), (2, 2)], "simulate reports replication k of n"
    incumbents = [e.progress for e in progress if e.progress.HasField("objective")]
    assert incumbents, "the solver reported at least one incumbent"
    first = incumbents[0]
    assert first.solver_stage == "headcount"
    assert first.headcount >= first.bound > 0
    assert [p.elapsed_s for p in (e.progress for e in progress)] == sorted(
        p.elapsed_s for p in (e.progress for e in progress)
    )
    result = last.result
    assert result.summary.status == result_pb2.SOLVE_STATUS_OPTIMAL
    headcounts = [p.headcount for p in incumbents if p.solver_stage == "headcount"]
    assert headcounts[-1] == result.summary.headcount


def test_stream_refuses_a_bad_plan_with_field_violations(
    stub: Any, quickstart_dict: dict[str, Any]
) -> None:
    service, _ = stub
    request = _request(quickstart_dict)
    request.plan.posts[2].zone_id = "nowhere"
    with pytest.raises(grpc.RpcError) as caught:
        list(service.PlanStream(request, timeout=10))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "posts[2].zone_id" in caught.value.details()


def test_cancelled_stream_stops_the_work_and_frees_its_slot(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    slow = SlowPlan()
    with serve(plan_function=slow) as served:
        call = served.stub.PlanStream(_request(quickstart_dict), timeout=60)
        first = next(call)
        assert first.progress.message == "pretending to solve"
        assert served.servicer.active_solves == 1
        cancelled_at = time.monotonic()
        call.cancel()
        freed_s = wait_until(lambda: served.servicer.active_solves == 0, timeout_s=STOP_BOUND_S)
        assert slow.stopped_at[0] - cancelled_at < STOP_BOUND_S
        assert freed_s < STOP_BOUND_S
