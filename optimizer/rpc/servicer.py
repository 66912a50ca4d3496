"""The gRPC servicer: convert the request, call the pipeline, convert back; and police the
server's limits on the way (solve slots, problem size, the caller's deadline, cancellation).

Every solve runs with a stop event that the call's end sets (``context.add_callback``): a
client that cancels, disconnects or runs out of deadline, or a server that shuts down past its
grace period, stops the simulation between replications and CP-SAT within a fraction of a
second. The solve slot is released only when the work has returned.
"""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Protocol

import grpc

from optimizer import pipeline
from optimizer.domain.types import EventPlan, RunOptions
from optimizer.errors import InvalidInput, Violation
from optimizer.risk import assess
from optimizer.rpc import convert, store_ops, store_replan
from optimizer.rpc.auth import caller_identity
from optimizer.rpc.errors import Busy, mapped_errors
from optimizer.rpc.jobs import JobSnapshot, JobStore
from optimizer.rpc.limits import Limits, SolveSlots, check_problem_size, officers_available
from optimizer.rpc.store_service import (
    ROSTER_ID_KEY,
    abort_for,
    event_to_pb,
    put_plan_response,
    require_store,
    roster_id_from,
    store_errors,
    stored_roster_to_pb,
)
from optimizer.rpc.v1 import replan_pb2, result_pb2, service_pb2, service_pb2_grpc
from optimizer.store import PlanStore, PlanVersion, StoreError, check_event_id

log = logging.getLogger(__name__)

# Time kept back from the caller's deadline for converting and sending the reply.
REPLY_MARGIN_S = 0.3
# How often a streaming call with nothing to send checks that its caller is still there.
_POLL_S = 0.2


class PlanFunction(Protocol):
    """``pipeline.plan``'s shape; tests pass a slower or failing one."""

    def __call__(
        self,
        plan: EventPlan,
        options: RunOptions,
        on_progress: pipeline.ProgressHandler | None = None,
        stop_event: threading.Event | None = None,
        deadline: float | None = None,
    ) -> pipeline.PlanOutcome: ...


def call_deadline(context: grpc.ServicerContext) -> float | None:
    """The caller's deadline as a ``time.monotonic()`` value, less the reply margin.

    The sync server reports about 9.2e18 s left when the client set no deadline; aio reports None.
    """
    remaining = context.time_remaining()
    if remaining is None or remaining > 1e9:
        return None
    return time.monotonic() + float(remaining) - REPLY_MARGIN_S


def _stop_when_done(context: grpc.ServicerContext) -> threading.Event:
    stop = threading.Event()
    if not context.add_callback(stop.set):
        stop.set()  # the call has already ended
    return stop


@dataclass(frozen=True)
class _Finished:
    outcome: pipeline.PlanOutcome


@dataclass(frozen=True)
class _Failed:
    error: Exception


@dataclass(frozen=True)
class _ToStore:
    """Where a plan call's result is recorded: the event and its plan version, stored first."""

    store: PlanStore
    version: PlanVersion
    created: bool
    publish: bool


class OptimizerServicer(service_pb2_grpc.OptimizerServiceServicer):
    """``Plan``, ``PlanStream``, ``Simulate``, ``Validate`` within ``limits``; with a plan
    store, ``Replan`` and the store calls, and plan calls naming an event are recorded.

    Parameters
    ----------
    limits
        Concurrent solves and problem size.
    plan_function
        The flow ``Plan`` and ``PlanStream`` run (``pipeline.plan``; tests substitute).
    store
        The plan store the store calls use; None answers them FAILED_PRECONDITION.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        plan_function: PlanFunction = pipeline.plan,
        jobs: JobStore | None = None,
        store: PlanStore | None = None,
    ) -> None:
        self._limits = limits if limits is not None else Limits()
        self._slots = SolveSlots(self._limits.max_solves)
        self._plan_function = plan_function
        self.jobs = jobs if jobs is not None else JobStore()
        self.store = store

    @property
    def active_solves(self) -> int:
        """Solve slots held now: work still running, even for calls that have ended."""
        return self._slots.active

    def _plan_inputs(self, request: service_pb2.PlanRequest) -> tuple[EventPlan, RunOptions]:
        plan = convert.plan_from_pb(request.plan)
        options = convert.options_from_pb(request.options)
        check_problem_size(plan, self._limits)
        return plan, options

    def _to_store(
        self, request: service_pb2.PlanRequest, context: grpc.ServicerContext
    ) -> _ToStore | None:
        """With ``event_id``: the plan stored as the event's next version, before any solving,
        so a bad event id or a server without a store fails at once."""
        if not request.event_id:
            if request.publish:
                raise InvalidInput([Violation("publish", "needs event_id")])
            return None
        store = require_store(self.store, context)
        check_event_id(request.event_id)
        try:
            version, created = store_ops.put_plan(store, request.event_id, request.plan)
        except StoreError as exc:
            abort_for(exc, context)
        return _ToStore(store, version, created, request.publish)

    def _record(
        self,
        target: _ToStore | None,
        outcome: pipeline.PlanOutcome,
        context: grpc.ServicerContext | None,
    ) -> None:
        """Store the outcome as a roster of the plan version; its id goes in the trailers."""
        if target is None:
            return
        recorded = store_ops.record_plan(
            target.store,
            target.version.event_id,
            target.version,
            target.created,
            outcome,
            target.publish,
        )
        log.info(
            "stored roster %d of event %s (plan version %d)",
            recorded.roster.roster_id,
            target.version.event_id,
            target.version.version,
        )
        if context is not None:
            context.set_trailing_metadata(((ROSTER_ID_KEY, str(recorded.roster.roster_id)),))

    def _acquire(self) -> None:
        """Take a solve slot or raise ``Busy`` (RESOURCE_EXHAUSTED with a retry hint)."""
        if not self._slots.try_acquire():
            log.warning("refused: all %d solve slots busy", self._limits.max_solves)
            raise Busy(self._limits.max_solves, self._limits.retry_after_s)

    @mapped_errors
    def Plan(  # noqa: N802 - gRPC method names
        self, request: service_pb2.PlanRequest, context: grpc.ServicerContext
    ) -> result_pb2.PlanResult:
        plan, options = self._plan_inputs(request)
        target = self._to_store(request, context)
        self._acquire()
        try:
            outcome = self._plan_function(
                plan, options, stop_event=_stop_when_done(context), deadline=call_deadline(context)
            )
        finally:
            self._slots.release()
        try:
            self._record(target, outcome, context)
        except StoreError as exc:
            abort_for(exc, context)
        return convert.plan_result_to_pb(outcome)

    @mapped_errors
    def PlanStream(  # noqa: N802
        self, request: service_pb2.PlanRequest, context: grpc.ServicerContext
    ) -> Iterator[service_pb2.PlanEvent]:
        plan, options = self._plan_inputs(request)
        target = self._to_store(request, context)
        stop = _stop_when_done(context)
        deadline = call_deadline(context)
        started = time.monotonic()
        # Progress comes from CP-SAT's threads and the run's own thread; this thread only sends.
        events: queue.Queue[pipeline.Progress | _Finished | _Failed] = queue.Queue()

        def run() -> None:
            try:
                outcome = self._plan_function(plan, options, events.put, stop, deadline)
                events.put(_Finished(outcome))
            except Exception as exc:
                events.put(_Failed(exc))
            finally:
                self._slots.release()

        self._acquire()
        try:
            # The run's logs carry this call's request id.
            threading.Thread(
                target=contextvars.copy_context().run, args=(run,), name="plan-stream", daemon=True
            ).start()
        except BaseException:
            self._slots.release()
            raise
        while True:
            try:
                item = events.get(timeout=_POLL_S)
            except queue.Empty:
                if not context.is_active():
                    stop.set()
                    return
                continue
            if isinstance(item, pipeline.Progress):
                progress = convert.progress_to_pb(item, time.monotonic() - started)
                yield service_pb2.PlanEvent(progress=progress)
            elif isinstance(item, _Finished):
                try:
                    self._record(target, item.outcome, context)
                except StoreError as exc:
                    abort_for(exc, context)
                yield service_pb2.PlanEvent(result=convert.plan_result_to_pb(item.outcome))
                return
            else:
                raise item.error

    @mapped_errors
    def SubmitJob(  # noqa: N802
        self, request: service_pb2.PlanRequest, context: grpc.ServicerContext
    ) -> service_pb2.Job:
        plan, options = self._plan_inputs(request)
        target = self._to_store(request, context)
        self._acquire()

        def work(
            on_progress: pipeline.ProgressHandler, stop: threading.Event
        ) -> result_pb2.PlanResult:
            # No deadline: a job is not bound to the call that submitted it.
            outcome = self._plan_function(plan, options, on_progress, stop, None)
            # The job's caller is gone: the roster id is in the store (GetRoster, ListEvents).
            self._record(target, outcome, None)
            return convert.plan_result_to_pb(outcome)

        try:
            owner = caller_identity(context.invocation_metadata())
            job = self.jobs.start(plan.name, work, self._slots.release, owner)
        except BaseException:
            self._slots.release()
            raise
        return convert.job_to_pb(job)

    def _job(self, job_id: str, context: grpc.ServicerContext) -> JobSnapshot:
        """The job, if this caller submitted it: another token's job is NOT_FOUND, as an unknown
        one is, so a caller cannot even learn which ids exist."""
        job = self.jobs.get(job_id)
        if job is None or job.owner != caller_identity(context.invocation_metadata()):
            context.abort(grpc.StatusCode.NOT_FOUND, f"no job {job_id!r} (unknown or expired)")
        assert job is not None  # abort() raised
        return job

    @mapped_errors
    def GetJob(  # noqa: N802
        self, request: service_pb2.GetJobRequest, context: grpc.ServicerContext
    ) -> service_pb2.Job:
        return convert.job_to_pb(self._job(request.job_id, context))

    @mapped_errors
    def CancelJob(  # noqa: N802
        self, request: service_pb2.CancelJobRequest, context: grpc.ServicerContext
    ) -> service_pb2.Job:
        self._job(request.job_id, context)
        job = self.jobs.cancel(request.job_id)
        return convert.job_to_pb(job if job is not None else self._job(request.job_id, context))

    @mapped_errors
    def ListJobs(  # noqa: N802
        self, request: service_pb2.ListJobsRequest, context: grpc.ServicerContext
    ) -> service_pb2.ListJobsResponse:
        owner = caller_identity(context.invocation_metadata())
        return service_pb2.ListJobsResponse(
            jobs=[
                convert.job_to_pb(job, with_result=False)
                for job in self.jobs.list()
                if job.owner == owner
            ]
        )

    @mapped_errors
    def Simulate(  # noqa: N802
        self, request: service_pb2.SimulateRequest, context: grpc.ServicerContext
    ) -> service_pb2.SimulateResponse:
        plan = convert.plan_from_pb(request.plan)
        options = convert.options_from_pb(request.options)
        self._acquire()
        try:
            outcome = pipeline.simulate(plan, options, stop_event=_stop_when_done(context))
        finally:
            self._slots.release()
        return convert.simulate_response_to_pb(outcome)

    @mapped_errors
    def ComparePolicies(  # noqa: N802
        self, request: service_pb2.ComparePoliciesRequest, context: grpc.ServicerContext
    ) -> Iterator[service_pb2.PolicyRow]:
        from optimizer.rpc.compare import compare_rows, requested_policies

        plan = convert.plan_from_pb(request.plan)
        options = convert.options_from_pb(request.options)
        check_problem_size(plan, self._limits)
        requested_policies(request.policies)
        self._acquire()
        try:
            for row in compare_rows(plan, options, request.policies):
                yield row
                if not context.is_active():
                    return  # the caller left: skip the remaining policies
        finally:
            self._slots.release()

    @mapped_errors
    def Validate(  # noqa: N802
        self, request: service_pb2.ValidateRequest, context: grpc.ServicerContext
    ) -> service_pb2.ValidateResponse:
        plan = convert.plan_from_pb(request.plan)
        check_problem_size(plan, self._limits)
        risk = assess(plan.risk)
        return service_pb2.ValidateResponse(
            risk_level=f"RISK_LEVEL_{risk.level.name}",
            risk_reason=risk.reason,
            slots=plan.grid.n_slots,
            posts=len(plan.posts),
            officers_available=officers_available(plan),
        )

    # ---- the plan store --------------------------------------------------------------------

    @mapped_errors
    @store_errors
    def ListEvents(  # noqa: N802
        self, request: service_pb2.ListEventsRequest, context: grpc.ServicerContext
    ) -> service_pb2.ListEventsResponse:
        store = require_store(self.store, context)
        return service_pb2.ListEventsResponse(events=[event_to_pb(e) for e in store.events()])

    @mapped_errors
    @store_errors
    def GetRoster(  # noqa: N802
        self, request: service_pb2.GetRosterRequest, context: grpc.ServicerContext
    ) -> service_pb2.StoredRoster:
        store = require_store(self.store, context)
        which = request.WhichOneof("roster")
        if which == "roster_id":
            roster = store.roster(roster_id_from(request.roster_id))
        elif which == "event_id":
            roster = store.published(check_event_id(request.event_id))
        else:
            raise InvalidInput([Violation("roster", "set roster_id or event_id")])
        return stored_roster_to_pb(roster)

    @mapped_errors
    @store_errors
    def PublishRoster(  # noqa: N802
        self, request: service_pb2.PublishRosterRequest, context: grpc.ServicerContext
    ) -> service_pb2.StoredRoster:
        store = require_store(self.store, context)
        publication = store.publish(roster_id_from(request.roster_id))
        log.info("published roster %d of event %s", publication.roster_id, publication.event_id)
        # The record without its result: the caller has it, or can GetRoster it.
        return stored_roster_to_pb(replace(store.roster(publication.roster_id), result_json=""))

    @mapped_errors
    @store_errors
    def PutPlan(  # noqa: N802
        self, request: service_pb2.PutPlanRequest, context: grpc.ServicerContext
    ) -> service_pb2.PutPlanResponse:
        store = require_store(self.store, context)
        check_event_id(request.event_id)
        check_problem_size(convert.plan_from_pb(request.plan), self._limits)
        version, created = store_ops.put_plan(store, request.event_id, request.plan)
        return put_plan_response(version, created)

    @mapped_errors
    @store_errors
    def Replan(  # noqa: N802
        self, request: service_pb2.ReplanRequest, context: grpc.ServicerContext
    ) -> service_pb2.ReplanResponse:
        options = convert.options_from_pb(request.options) if request.HasField("options") else None
        rules = request.rules if request.HasField("rules") else None
        if not request.event_id:
            return self._replan_given(request, options, rules, context)
        if request.HasField("published"):
            raise InvalidInput(
                [Violation("published", "leave out with event_id: the store's is re-planned")]
            )
        store = require_store(self.store, context)
        event_id = check_event_id(request.event_id)
        if request.HasField("plan"):
            check_problem_size(convert.plan_from_pb(request.plan), self._limits)
            store_ops.put_plan(store, event_id, request.plan)
        latest = store_ops.plan_message(store.latest_plan(event_id))
        check_problem_size(convert.plan_from_pb(latest), self._limits)
        self._acquire()
        try:
            done = store_replan.replan_stored(
                store,
                event_id,
                rules=rules,
                options=options,
                now=request.now,
                publish=request.publish,
                stop_event=_stop_when_done(context),
                deadline=call_deadline(context),
            )
        finally:
            self._slots.release()
        log.info(
            "re-planned event %s plan version %d against roster %d: roster %d, %d changes%s",
            event_id,
            done.plan.version,
            done.base.roster_id,
            done.roster.roster_id,
            done.outcome.diff.total,
            ", published" if done.roster.published else "",
        )
        return service_pb2.ReplanResponse(
            replan=done.result,
            event_id=event_id,
            plan_version=done.plan.version,
            roster_id=done.roster.roster_id,
            base_roster_id=done.base.roster_id,
            published=done.roster.published,
        )

    def _replan_given(
        self,
        request: service_pb2.ReplanRequest,
        options: RunOptions | None,
        rules: replan_pb2.ReplanRules | None,
        context: grpc.ServicerContext,
    ) -> service_pb2.ReplanResponse:
        """A re-plan of an explicit plan against an explicit published result; nothing stored."""
        missing = [
            Violation(name, "required without event_id")
            for name in ("plan", "published")
            if not request.HasField(name)
        ]
        if request.publish:
            missing.append(Violation("publish", "needs event_id: nothing is stored without it"))
        if missing:
            raise InvalidInput(missing)
        plan = convert.plan_from_pb(request.plan)
        check_problem_size(plan, self._limits)
        if options is None:
            options = convert.options_from_pb(request.published.options)
        self._acquire()
        try:
            _, result = store_replan.replan_messages(
                plan,
                request.plan,
                request.published,
                rules,
                options,
                store_replan.parse_now(request.now, plan.grid),
                stop_event=_stop_when_done(context),
                deadline=call_deadline(context),
            )
        finally:
            self._slots.release()
        return service_pb2.ReplanResponse(replan=result)
