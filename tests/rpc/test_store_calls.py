"""The service's plan store calls: PutPlan, Plan naming an event, ListEvents, GetRoster,
PublishRoster, and their status codes; and the command line and the service sharing a store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from store.plans import FAST, tiny_plan, write_plan

from optimizer.cli import main
from optimizer.rpc.limits import Limits
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.server import ServerConfig, running_server
from optimizer.rpc.servicer import OptimizerServicer
from optimizer.rpc.store_ops import message_json
from optimizer.rpc.store_service import ROSTER_ID_KEY
from optimizer.rpc.v1 import plan_pb2, replan_pb2, result_pb2, service_pb2, service_pb2_grpc
from optimizer.store import PlanStore

OPTIONS = result_pb2.RunOptions(time_limit_s=5, replications=1)


@contextmanager
def store_server(path: Path | None) -> Iterator[service_pb2_grpc.OptimizerServiceStub]:
    """A server on the plan store at ``path`` (None: without a store), and a stub to call it."""
    store = PlanStore(path) if path is not None else None
    servicer = OptimizerServicer(Limits(), store=store)
    try:
        with running_server(ServerConfig(address="127.0.0.1:0"), servicer) as running:
            channel = grpc.insecure_channel(f"127.0.0.1:{running.port}")
            try:
                yield service_pb2_grpc.OptimizerServiceStub(channel)
            finally:
                channel.close()
    finally:
        if store is not None:
            store.close()


def _plan(**changes: Any) -> plan_pb2.EventPlan:
    return plan_from_dict(tiny_plan(**changes))


def _code(call: Any, request: Any) -> tuple[grpc.StatusCode, str, dict[str, str]]:
    with pytest.raises(grpc.RpcError) as caught:
        call(request, timeout=30)
    status = rpc_status.from_call(caught.value)
    fields: dict[str, str] = {}
    if status is not None and status.details:
        bad = error_details_pb2.BadRequest()
        if status.details[0].Unpack(bad):
            fields = {v.field: v.description for v in bad.field_violations}
    return caught.value.code(), caught.value.details(), fields


def test_without_a_store_the_store_calls_are_failed_precondition() -> None:
    with store_server(None) as stub:
        for call, request in (
            (stub.ListEvents, service_pb2.ListEventsRequest()),
            (stub.GetRoster, service_pb2.GetRosterRequest(roster_id=1)),
            (stub.PublishRoster, service_pb2.PublishRosterRequest(roster_id=1)),
            (stub.PutPlan, service_pb2.PutPlanRequest(event_id="hall", plan=_plan())),
            (stub.Plan, service_pb2.PlanRequest(plan=_plan(), event_id="hall", options=OPTIONS)),
        ):
            code, details, _ = _code(call, request)
            assert code is grpc.StatusCode.FAILED_PRECONDITION
            assert "without a plan store" in details


def test_plan_naming_an_event_is_stored_and_published(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        request = service_pb2.PlanRequest(
            plan=_plan(), options=OPTIONS, event_id="hall", publish=True
        )
        result, call = stub.Plan.with_call(request, timeout=60)
        trailers = dict(call.trailing_metadata())
        assert trailers[ROSTER_ID_KEY] == "1"
        stored = stub.GetRoster(service_pb2.GetRosterRequest(event_id="hall"), timeout=10)
        assert (stored.roster_id, stored.plan_version, stored.origin, stored.published) == (
            1,
            1,
            "plan",
            True,
        )
        assert stored.result == result
        assert stub.GetRoster(service_pb2.GetRosterRequest(roster_id=1), timeout=10) == stored

        put = stub.PutPlan(service_pb2.PutPlanRequest(event_id="hall", plan=_plan(door=3)))
        assert (put.version, put.created) == (2, True)
        again = stub.PutPlan(service_pb2.PutPlanRequest(event_id="hall", plan=_plan(door=3)))
        assert (again.version, again.created, again.plan_hash) == (2, False, put.plan_hash)
        events = stub.ListEvents(service_pb2.ListEventsRequest(), timeout=10).events
        assert [(e.event_id, e.latest_plan_version, e.published_roster_id) for e in events] == [
            ("hall", 2, 1)
        ]
        assert events[0].status == service_pb2.EVENT_STATUS_DUE

        # A plain plan of the new version, then its publication: the event is up to date.
        second = stub.Plan(
            service_pb2.PlanRequest(plan=_plan(door=3), options=OPTIONS, event_id="hall")
        )
        assert second.summary.headcount > result.summary.headcount
        published = stub.PublishRoster(service_pb2.PublishRosterRequest(roster_id=2))
        assert (published.roster_id, published.plan_version, published.published) == (2, 2, True)
        assert not published.HasField("result")
        events = stub.ListEvents(service_pb2.ListEventsRequest(), timeout=10).events
        assert events[0].status == service_pb2.EVENT_STATUS_UP_TO_DATE


def test_store_errors_have_their_codes(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        stub.PutPlan(service_pb2.PutPlanRequest(event_id="hall", plan=_plan()))
        code, details, _ = _code(stub.GetRoster, service_pb2.GetRosterRequest(event_id="hall"))
        assert code is grpc.StatusCode.FAILED_PRECONDITION and "no published roster" in details
        code, details, _ = _code(stub.GetRoster, service_pb2.GetRosterRequest(event_id="cup"))
        assert code is grpc.StatusCode.NOT_FOUND and "no event 'cup'" in details
        code, details, _ = _code(stub.GetRoster, service_pb2.GetRosterRequest(roster_id=7))
        assert code is grpc.StatusCode.NOT_FOUND and "no roster 7" in details
        code, _, _ = _code(stub.PublishRoster, service_pb2.PublishRosterRequest(roster_id=7))
        assert code is grpc.StatusCode.NOT_FOUND
        code, _, fields = _code(stub.PublishRoster, service_pb2.PublishRosterRequest())
        assert code is grpc.StatusCode.INVALID_ARGUMENT and "roster_id" in fields
        code, _, fields = _code(stub.GetRoster, service_pb2.GetRosterRequest())
        assert code is grpc.StatusCode.INVALID_ARGUMENT and "roster" in fields
        code, _, fields = _code(
            stub.PutPlan, service_pb2.PutPlanRequest(event_id="a/b", plan=_plan())
        )
        assert code is grpc.StatusCode.INVALID_ARGUMENT and "'a/b'" in fields["event_id"]
        code, _, fields = _code(
            stub.PutPlan, service_pb2.PutPlanRequest(event_id="hall", plan=_plan(door=-1))
        )
        assert code is grpc.StatusCode.INVALID_ARGUMENT
        assert "-1" in fields["requirements[0].runs[0].officers"]
        code, _, fields = _code(
            stub.Plan, service_pb2.PlanRequest(plan=_plan(), options=OPTIONS, publish=True)
        )
        assert code is grpc.StatusCode.INVALID_ARGUMENT and "publish" in fields
        events = stub.ListEvents(service_pb2.ListEventsRequest(), timeout=10).events
        assert [(e.event_id, e.plan_versions) for e in events] == [("hall", 1)]


def test_the_command_line_and_the_service_share_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "plans.db"
    plan = write_plan(tmp_path / "hall.yaml")
    code = main(["plan", str(plan), "--store", str(db), "--out", str(tmp_path), "--publish", *FAST])
    assert code == 0
    capsys.readouterr()
    with store_server(db) as stub:
        stored = stub.GetRoster(service_pb2.GetRosterRequest(event_id="hall"), timeout=10)
        assert stored.roster_id == 1 and stored.result.summary.headcount > 0
        stub.PutPlan(service_pb2.PutPlanRequest(event_id="hall", plan=_plan(desk=2)))
    assert main(["store", "events", "--store", str(db)]) == 0
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith("plan v2; published roster 1 (plan v1); re-plan due")
    )


def test_replan_by_event_is_stored_and_matches_get_roster(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        published = stub.Plan(
            service_pb2.PlanRequest(plan=_plan(), options=OPTIONS, event_id="hall", publish=True),
            timeout=60,
        )
        pinned = published.shifts[0].officer_id
        request = service_pb2.ReplanRequest(
            event_id="hall",
            plan=_plan(door=3),
            rules=replan_pb2.ReplanRules(pinned_officer_ids=[pinned]),
            publish=True,
        )
        response = stub.Replan(request, timeout=60)
        assert (response.event_id, response.plan_version, response.roster_id) == ("hall", 2, 2)
        assert (response.base_roster_id, response.published) == (1, True)
        replan = response.replan
        assert replan.published_headcount == published.summary.headcount
        assert list(replan.pinned_officer_ids) == [pinned]
        kept = next(s for s in replan.result.shifts if s.officer_id == pinned)
        assert kept == published.shifts[0]
        assert replan.diff.added >= 1 and not replan.conflicts

        stored = stub.GetRoster(service_pb2.GetRosterRequest(event_id="hall"), timeout=10)
        assert (stored.roster_id, stored.origin, stored.base_roster_id) == (2, "replan", 1)
        assert stored.result == replan.result
        assert stored.replan.diff == replan.diff
        events = stub.ListEvents(service_pb2.ListEventsRequest(), timeout=10).events
        assert events[0].status == service_pb2.EVENT_STATUS_UP_TO_DATE


def test_replan_of_a_given_plan_and_result_stores_nothing(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        published = stub.Plan(service_pb2.PlanRequest(plan=_plan(), options=OPTIONS), timeout=60)
        response = stub.Replan(
            service_pb2.ReplanRequest(plan=_plan(), published=published, options=OPTIONS),
            timeout=60,
        )
        # The same plan: nothing changes.
        assert response.roster_id == 0 and not response.replan.diff.changes
        assert response.replan.diff.unchanged == published.summary.headcount
        assert not stub.ListEvents(service_pb2.ListEventsRequest(), timeout=10).events


def test_replan_errors_have_their_codes(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        code, _, _ = _code(stub.Replan, service_pb2.ReplanRequest(event_id="cup"))
        assert code is grpc.StatusCode.NOT_FOUND
        stub.PutPlan(service_pb2.PutPlanRequest(event_id="hall", plan=_plan()))
        code, details, _ = _code(stub.Replan, service_pb2.ReplanRequest(event_id="hall"))
        assert code is grpc.StatusCode.FAILED_PRECONDITION and "no published roster" in details
        code, _, fields = _code(stub.Replan, service_pb2.ReplanRequest(publish=True))
        assert code is grpc.StatusCode.INVALID_ARGUMENT
        assert {"plan", "published", "publish"} <= fields.keys()
        stub.Plan(
            service_pb2.PlanRequest(plan=_plan(), options=OPTIONS, event_id="hall", publish=True),
            timeout=60,
        )
        bad_rules = replan_pb2.ReplanRules(freeze_hours=-2, max_changes=-1)
        code, _, fields = _code(
            stub.Replan, service_pb2.ReplanRequest(event_id="hall", rules=bad_rules)
        )
        assert code is grpc.StatusCode.INVALID_ARGUMENT
        assert "-2" in fields["rules.freeze_hours"] and "rules.max_changes" in fields
        code, _, fields = _code(stub.Replan, service_pb2.ReplanRequest(event_id="hall", now="soon"))
        assert code is grpc.StatusCode.INVALID_ARGUMENT and "'soon'" in fields["now"]
    with store_server(None) as stub:
        code, _, _ = _code(stub.Replan, service_pb2.ReplanRequest(event_id="hall"))
        assert code is grpc.StatusCode.FAILED_PRECONDITION


def test_the_server_opens_the_store_it_is_configured_with(tmp_path: Path) -> None:
    db = tmp_path / "plans.db"
    with PlanStore(db) as store:
        store.add_plan("hall", message_json(_plan()), "Tiny")
    config = ServerConfig(address="127.0.0.1:0", store_path=str(db))
    with running_server(config) as running:
        assert running.store is not None
        channel = grpc.insecure_channel(f"127.0.0.1:{running.port}")
        try:
            stub = service_pb2_grpc.OptimizerServiceStub(channel)
            events = stub.ListEvents(service_pb2.ListEventsRequest(), timeout=10).events
            assert [(e.event_id, e.name, e.status) for e in events] == [
                ("hall", "Tiny", service_pb2.EVENT_STATUS_NOTHING_PUBLISHED)
            ]
        finally:
            channel.close()


def test_serve_stops_on_a_store_it_cannot_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "plans.db"
    args = ["serve", "--address", "127.0.0.1:0", "--log-format", "text"]
    assert main([*args, "--store", str(missing)]) == 1
    assert "cannot open the store" in capsys.readouterr().err


def test_plan_stream_and_jobs_naming_an_event_are_stored(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        request = service_pb2.PlanRequest(plan=_plan(), options=OPTIONS, event_id="hall")
        call = stub.PlanStream(request, timeout=60)
        results = [e.result for e in call if e.HasField("result")]
        assert len(results) == 1
        assert dict(call.trailing_metadata())[ROSTER_ID_KEY] == "1"
        job = stub.SubmitJob(
            service_pb2.PlanRequest(plan=_plan(door=3), options=OPTIONS, event_id="hall"),
            timeout=10,
        )
        for _ in range(600):
            job = stub.GetJob(service_pb2.GetJobRequest(job_id=job.job_id), timeout=10)
            if job.state != service_pb2.JOB_STATE_RUNNING:
                break
            time.sleep(0.05)
        assert job.state == service_pb2.JOB_STATE_SUCCEEDED
        stored = stub.GetRoster(service_pb2.GetRosterRequest(roster_id=2), timeout=10)
        assert (stored.plan_version, stored.published) == (2, False)
        assert stored.result == job.result
        assert stub.GetRoster(service_pb2.GetRosterRequest(roster_id=1)).result == results[0]


def test_replan_cuts_the_solver_to_the_callers_deadline(tmp_path: Path) -> None:
    with store_server(tmp_path / "plans.db") as stub:
        published = stub.Plan(service_pb2.PlanRequest(plan=_plan(), options=OPTIONS), timeout=60)
        slow = result_pb2.RunOptions(time_limit_s=600, replications=1)
        request = service_pb2.ReplanRequest(plan=_plan(door=3), published=published, options=slow)
        response = stub.Replan(request, timeout=8)
        # Whatever the solver needed, it was allowed less than the call's 8 s, not 600 s.
        assert 0 < response.replan.result.options.time_limit_s < 8
        assert response.replan.diff.added >= 1
