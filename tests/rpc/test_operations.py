"""Operations: graceful shutdown on SIGTERM and SIGINT, health while draining, request ids."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import grpc
import pytest
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from optimizer.rpc.logs import JsonFormatter, RequestIdFilter
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2, service_pb2_grpc
from tests.rpc.conftest import STOP_BOUND_S, SlowPlan

ROOT = Path(__file__).resolve().parents[2]


def _stadium_request(replications: int) -> service_pb2.PlanRequest:
    plan = yaml.safe_load((ROOT / "examples" / "stadium_match.yaml").read_text(encoding="utf-8"))
    return service_pb2.PlanRequest(
        plan=plan_from_dict(plan),
        options=result_pb2.RunOptions(replications=replications, time_limit_s=20),
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_drains_cancels_past_the_grace_and_exits_0(sig: signal.Signals) -> None:
    """``optimizer serve`` with a long plan in flight: the signal stops new calls, the grace
    period passes, the plan is cancelled (its simulation stops) and the process exits 0."""
    grace_s = 1.0
    process = subprocess.Popen(
        [sys.executable, "-m", "optimizer.cli", "serve", "--address", "127.0.0.1:0"]
        + ["--grace", str(grace_s), "--log-format", "text"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        found = re.search(r"on 127\.0\.0\.1:(\d+)", banner)
        assert found, banner
        channel = grpc.insecure_channel(f"127.0.0.1:{found.group(1)}")
        stub = service_pb2_grpc.OptimizerServiceStub(channel)
        stream = stub.PlanStream(_stadium_request(replications=40), timeout=60)
        assert next(stream).WhichOneof("event") == "progress"
        signalled = time.monotonic()
        process.send_signal(sig)
        with pytest.raises(grpc.RpcError) as caught:
            list(stream)
        assert caught.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED)
        code = process.wait(timeout=grace_s + 10)
        stopped_s = time.monotonic() - signalled
        channel.close()
        _, err = process.communicate(timeout=5)
        assert code == 0, err[-2000:]
        assert "draining" in err
        print(f"{sig.name}: exited {stopped_s:.2f} s after the signal (grace {grace_s} s)")
        assert stopped_s < grace_s + STOP_BOUND_S
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_health_turns_not_serving_while_draining(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    slow = SlowPlan()
    with serve(plan_function=slow) as served:
        request = service_pb2.PlanRequest(plan=plan_from_dict(quickstart_dict))
        in_flight = served.stub.Plan.future(request, timeout=30)
        assert slow.started.wait(10)
        health = health_pb2_grpc.HealthStub(served.channel)
        watch = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=10)
        assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
        drained = threading.Thread(target=served.running.drain, args=(0.5,))
        drained.start()
        assert next(watch).status == health_pb2.HealthCheckResponse.NOT_SERVING
        drained.join(5)
        assert not drained.is_alive()
        # Past the grace period the in-flight call was cancelled, and that stopped its work.
        with pytest.raises(grpc.RpcError):
            in_flight.result(timeout=5)
        assert slow.stopped.wait(5)


def test_request_id_is_echoed_and_logged(
    serve: Any, quickstart_dict: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="optimizer.rpc")
    caplog.handler.addFilter(RequestIdFilter())
    with serve() as served:
        request = service_pb2.ValidateRequest(plan=plan_from_dict(quickstart_dict))
        _, call = served.stub.Validate.with_call(
            request, metadata=(("x-request-id", "tool-42"),), timeout=5
        )
        assert dict(call.initial_metadata())["x-request-id"] == "tool-42"
        _, call = served.stub.Validate.with_call(request, timeout=5)
        generated = dict(call.initial_metadata())["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{16}", generated)
    ends = [r for r in caplog.records if getattr(r, "method", None) == "Validate"]
    assert [getattr(r, "request_id", None) for r in ends] == ["tool-42", generated]
    line = json.loads(JsonFormatter().format(ends[0]))
    assert line["request_id"] == "tool-42"
    assert line["code"] == "OK" and line["method"] == "Validate"
    assert isinstance(line["duration_ms"], float)
