"""Keepalive: a client pinging within the server's policy keeps its long call; one pinging faster
is sent away (GOAWAY too_many_pings), its call ends UNAVAILABLE and its solve stops."""

from __future__ import annotations

import time
from typing import Any

import grpc

from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.server import Keepalive, ServerConfig
from optimizer.rpc.v1 import result_pb2, service_pb2
from tests.rpc.conftest import STOP_BOUND_S, SlowPlan, wait_until


def _pinging(every_ms: int) -> Any:
    """A channel factory for clients that ping every ``every_ms`` whatever the traffic."""

    def make(port: int) -> grpc.Channel:
        return grpc.insecure_channel(
            f"127.0.0.1:{port}",
            options=[
                ("grpc.keepalive_time_ms", every_ms),
                ("grpc.keepalive_timeout_ms", 5000),
                ("grpc.keepalive_permit_without_calls", 1),
                ("grpc.http2.max_pings_without_data", 0),
            ],
        )

    return make


def _plan(quickstart_dict: dict[str, Any]) -> service_pb2.PlanRequest:
    return service_pb2.PlanRequest(
        plan=plan_from_dict(quickstart_dict), options=result_pb2.RunOptions(replications=1)
    )


def test_the_documented_keepalive_is_what_the_server_runs_with() -> None:
    options = dict(ServerConfig().keepalive.options())
    assert options["grpc.keepalive_time_ms"] == 60_000
    assert options["grpc.http2.min_ping_interval_without_data_ms"] == 10_000
    # Calls on an aged connection get longer than the longest solve (an hour) to finish.
    assert options["grpc.max_connection_age_grace_ms"] > 3600 * 1000


def test_a_client_pinging_within_the_policy_keeps_its_long_call(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    slow = SlowPlan()
    policy = Keepalive(min_client_ping_interval_ms=300)
    with serve(plan_function=slow, keepalive=policy, channel_factory=_pinging(600)) as served:
        call = served.stub.Plan.future(_plan(quickstart_dict), timeout=30)
        assert slow.started.wait(10)
        time.sleep(3.0)  # five pings
        assert call.running(), call.exception()
        call.cancel()
        wait_until(lambda: served.servicer.active_solves == 0, STOP_BOUND_S)


def test_a_client_pinging_too_fast_is_sent_away_and_its_solve_stops(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    slow = SlowPlan()
    policy = Keepalive(min_client_ping_interval_ms=10_000)
    with serve(plan_function=slow, keepalive=policy, channel_factory=_pinging(200)) as served:
        start = time.monotonic()
        call = served.stub.Plan.future(_plan(quickstart_dict), timeout=30)
        assert slow.started.wait(10)
        error = call.exception(timeout=15)
        ended = time.monotonic() - start
        assert isinstance(error, grpc.RpcError)
        assert error.code() == grpc.StatusCode.UNAVAILABLE, error
        freed = wait_until(lambda: served.servicer.active_solves == 0, STOP_BOUND_S)
        print(
            f"too-fast pings: call ended {ended:.2f} s in ({error.details()}); "
            f"slot freed {freed:.2f} s later"
        )
