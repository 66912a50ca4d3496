"""Jobs: submit, poll, fetch, cancel; they outlive the submitting connection; bounded retention."""

from __future__ import annotations

import threading
import time
from typing import Any

import grpc
import pytest

from optimizer import pipeline
from optimizer.errors import Cancelled
from optimizer.rpc.jobs import JobState, JobStore
from optimizer.rpc.limits import Limits
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2, service_pb2_grpc
from tests.rpc.conftest import STOP_BOUND_S, SlowPlan, wait_until

State = service_pb2.JobState


def _request(plan: dict[str, Any]) -> service_pb2.PlanRequest:
    return service_pb2.PlanRequest(
        plan=plan_from_dict(plan),
        options=result_pb2.RunOptions(seed=1, replications=2, time_limit_s=20),
    )


def test_a_job_outlives_its_connection_and_yields_its_result(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    with serve() as served:
        submitter = grpc.insecure_channel(f"127.0.0.1:{served.running.port}")
        job = service_pb2_grpc.OptimizerServiceStub(submitter).SubmitJob(
            _request(quickstart_dict), timeout=10
        )
        submitter.close()  # the client goes away; the job goes on
        assert job.state == State.JOB_STATE_RUNNING and job.job_id
        polled = served.stub.GetJob(service_pb2.GetJobRequest(job_id=job.job_id), timeout=5)

        def done() -> bool:
            nonlocal polled
            polled = served.stub.GetJob(service_pb2.GetJobRequest(job_id=job.job_id), timeout=5)
            return polled.state != State.JOB_STATE_RUNNING

        wait_until(done, timeout_s=60)
        assert polled.state == State.JOB_STATE_SUCCEEDED, polled.error_message
        assert polled.result.summary.status == result_pb2.SOLVE_STATUS_OPTIMAL
        assert polled.progress.phase == service_pb2.PLAN_PHASE_VERIFY
        assert polled.end_time_s >= polled.create_time_s > 0
        listed = served.stub.ListJobs(service_pb2.ListJobsRequest(), timeout=5).jobs
        assert [j.job_id for j in listed] == [job.job_id]
        assert not listed[0].HasField("result"), "lists leave results out"
        assert served.servicer.active_solves == 0


def test_cancel_stops_a_job_within_a_second(serve: Any, quickstart_dict: dict[str, Any]) -> None:
    slow = SlowPlan()
    with serve(limits=Limits(max_solves=1), plan_function=slow) as served:
        job = served.stub.SubmitJob(_request(quickstart_dict), timeout=10)
        assert slow.started.wait(10)
        with pytest.raises(grpc.RpcError) as busy:
            served.stub.SubmitJob(_request(quickstart_dict), timeout=10)
        assert busy.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        start = time.monotonic()
        cancelled = served.stub.CancelJob(
            service_pb2.CancelJobRequest(job_id=job.job_id), timeout=5
        )
        assert time.monotonic() - start < STOP_BOUND_S
        assert cancelled.state == State.JOB_STATE_CANCELLED
        assert cancelled.error_code == grpc.StatusCode.CANCELLED.value[0]
        assert served.servicer.active_solves == 0
        again = served.stub.CancelJob(service_pb2.CancelJobRequest(job_id=job.job_id), timeout=5)
        assert again.state == State.JOB_STATE_CANCELLED


@pytest.mark.parametrize("rpc", ["GetJob", "CancelJob"])
def test_unknown_job_is_not_found(serve: Any, rpc: str) -> None:
    with serve() as served:
        request = getattr(service_pb2, f"{rpc}Request")(job_id="no-such-job")
        with pytest.raises(grpc.RpcError) as caught:
            getattr(served.stub, rpc)(request, timeout=5)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def _bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


def test_a_job_is_seen_and_cancelled_only_with_the_token_that_submitted_it(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    """With tokens on, another token's job is NOT_FOUND (as an unknown id is) and not listed."""
    slow = SlowPlan()
    alice, bob = _bearer("alice-token"), _bearer("bob-token")
    with serve(tokens=frozenset({"alice-token", "bob-token"}), plan_function=slow) as served:
        job = served.stub.SubmitJob(_request(quickstart_dict), metadata=alice, timeout=10)
        assert slow.started.wait(10)
        for rpc, request in (
            ("GetJob", service_pb2.GetJobRequest(job_id=job.job_id)),
            ("CancelJob", service_pb2.CancelJobRequest(job_id=job.job_id)),
        ):
            with pytest.raises(grpc.RpcError) as caught:
                getattr(served.stub, rpc)(request, metadata=bob, timeout=5)
            assert caught.value.code() == grpc.StatusCode.NOT_FOUND, rpc
        assert not slow.stopped_at, "another token's cancel left the job running"
        listed = served.stub.ListJobs(service_pb2.ListJobsRequest(), metadata=bob, timeout=5)
        assert list(listed.jobs) == []
        mine = served.stub.ListJobs(service_pb2.ListJobsRequest(), metadata=alice, timeout=5)
        assert [j.job_id for j in mine.jobs] == [job.job_id]
        polled = served.stub.GetJob(
            service_pb2.GetJobRequest(job_id=job.job_id), metadata=alice, timeout=5
        )
        assert polled.state == State.JOB_STATE_RUNNING
        cancelled = served.stub.CancelJob(
            service_pb2.CancelJobRequest(job_id=job.job_id), metadata=alice, timeout=5
        )
        assert cancelled.state == State.JOB_STATE_CANCELLED


def test_without_authentication_callers_without_a_token_share_the_jobs(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    """The local quickstart has no tokens: every tokenless caller sees every tokenless job, and a
    token sent anyway still keeps its jobs to itself."""
    slow = SlowPlan()
    with serve(limits=Limits(max_solves=2), plan_function=slow) as served:
        shared = served.stub.SubmitJob(_request(quickstart_dict), timeout=10)
        other = grpc.insecure_channel(f"127.0.0.1:{served.running.port}")
        try:
            stub = service_pb2_grpc.OptimizerServiceStub(other)
            seen = stub.GetJob(service_pb2.GetJobRequest(job_id=shared.job_id), timeout=5)
            assert seen.job_id == shared.job_id
            private = stub.SubmitJob(_request(quickstart_dict), metadata=_bearer("x"), timeout=10)
            listed = served.stub.ListJobs(service_pb2.ListJobsRequest(), timeout=5).jobs
            assert [j.job_id for j in listed] == [shared.job_id]
            assert private.job_id not in [j.job_id for j in listed]
        finally:
            other.close()
        served.servicer.jobs.shutdown(0)


def test_a_bad_plan_is_refused_at_submission(stub: Any, quickstart_dict: dict[str, Any]) -> None:
    service, _ = stub
    request = _request(quickstart_dict)
    request.plan.gates[0].officers_per_lane = 0
    with pytest.raises(grpc.RpcError) as caught:
        service.SubmitJob(request, timeout=5)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_store_keeps_a_bounded_number_of_finished_jobs() -> None:
    store = JobStore(retention_s=3600, max_kept=2)
    ended = threading.Semaphore(0)
    ids = []
    for _ in range(4):
        job = store.start("p", lambda progress, stop: result_pb2.PlanResult(), ended.release)
        ids.append(job.job_id)
        assert ended.acquire(timeout=5)
        wait_until(lambda: store.running() == 0, timeout_s=5)
    kept = [job.job_id for job in store.list()]
    assert kept == [ids[3], ids[2]]
    assert store.get(ids[0]) is None


def test_store_drops_jobs_past_their_retention_and_records_failures() -> None:
    store = JobStore(retention_s=0.05, max_kept=10)

    def fail(progress: pipeline.ProgressHandler, stop: threading.Event) -> result_pb2.PlanResult:
        raise RuntimeError("boom")

    def cancelled(progress: Any, stop: threading.Event) -> result_pb2.PlanResult:
        raise Cancelled("stopped")

    failed = store.start("p", fail, lambda: None)
    stopped = store.start("p", cancelled, lambda: None)
    wait_until(lambda: store.running() == 0, timeout_s=5)
    record = store.get(failed.job_id)
    assert record is not None and record.state is JobState.FAILED
    assert record.error_message.startswith("internal error (id ") and "boom" not in (
        record.error_message
    )
    cancelled_record = store.get(stopped.job_id)
    assert cancelled_record is not None and cancelled_record.state is JobState.CANCELLED
    time.sleep(0.1)
    assert store.list() == []
