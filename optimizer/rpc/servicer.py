"""The gRPC servicer: convert the request, call the pipeline, convert back. Nothing else."""

from __future__ import annotations

import logging
import threading

import grpc

from optimizer import pipeline
from optimizer.domain.types import RunOptions
from optimizer.risk import assess
from optimizer.rpc import convert
from optimizer.rpc.errors import mapped_errors
from optimizer.rpc.v1 import result_pb2, service_pb2, service_pb2_grpc

log = logging.getLogger(__name__)

# Time kept back from the caller's deadline for verification and the reply.
DEADLINE_MARGIN_S = 1.0


def _within_deadline(options: RunOptions, context: grpc.ServicerContext) -> RunOptions:
    """The solver's time limit never outlives the RPC deadline."""
    remaining = context.time_remaining()
    # The sync server reports about 9.2e18 s when the client set no deadline; aio reports None.
    if remaining is None or remaining > 1e9:
        return options
    budget = max(0.1, min(options.time_limit_s, remaining - DEADLINE_MARGIN_S))
    return RunOptions(options.seed, options.replications, budget, options.workers)


class OptimizerServicer(service_pb2_grpc.OptimizerServiceServicer):
    @mapped_errors
    def Plan(  # noqa: N802 - gRPC method names
        self, request: service_pb2.PlanRequest, context: grpc.ServicerContext
    ) -> result_pb2.PlanResult:
        plan = convert.plan_from_pb(request.plan)
        options = _within_deadline(convert.options_from_pb(request.options), context)
        stop = threading.Event()
        context.add_callback(stop.set)
        outcome = pipeline.plan(plan, options, stop_event=stop)
        return convert.plan_result_to_pb(outcome)

    @mapped_errors
    def Simulate(  # noqa: N802
        self, request: service_pb2.SimulateRequest, context: grpc.ServicerContext
    ) -> service_pb2.SimulateResponse:
        plan = convert.plan_from_pb(request.plan)
        options = convert.options_from_pb(request.options)
        return convert.simulate_response_to_pb(pipeline.simulate(plan, options))

    @mapped_errors
    def Validate(  # noqa: N802
        self, request: service_pb2.ValidateRequest, context: grpc.ServicerContext
    ) -> service_pb2.ValidateResponse:
        plan = convert.plan_from_pb(request.plan)
        risk = assess(plan.risk)
        available = sum(s.count for s in plan.pool.supply) + len(plan.pool.officers)
        return service_pb2.ValidateResponse(
            risk_level=f"RISK_LEVEL_{risk.level.name}",
            risk_reason=risk.reason,
            slots=plan.grid.n_slots,
            posts=len(plan.posts),
            officers_available=available,
        )
