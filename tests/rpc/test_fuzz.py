"""Random bytes and mutated valid messages to every RPC: a defined status, never INTERNAL or
UNKNOWN, and the server keeps serving."""

from __future__ import annotations

from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.rpc.limits import Limits
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import result_pb2, service_pb2

SERVICE = "/optimizer.rpc.v1.OptimizerService/"
UNARY = ["Plan", "Simulate", "Validate", "SubmitJob", "GetJob", "CancelJob", "ListJobs"]
STREAMING = ["PlanStream"]
NEVER = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}
# Enough to cover every RPC with both kinds of input while the suite stays quick.
EXAMPLES = 60


def _call(channel: grpc.Channel, method: str, body: bytes) -> grpc.StatusCode:
    identity = {"request_serializer": None, "response_deserializer": None}
    try:
        if method in STREAMING:
            for _ in channel.unary_stream(SERVICE + method, **identity)(body, timeout=3):
                pass
        else:
            channel.unary_unary(SERVICE + method, **identity)(body, timeout=3)
    except grpc.RpcError as error:
        return error.code()  # type: ignore[no-any-return]
    return grpc.StatusCode.OK


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if out:
            out[position % len(out)] = value
    return bytes(out[: max(0, len(out) - cut)])


def test_every_rpc_answers_garbage_with_a_defined_status(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    valid = service_pb2.PlanRequest(
        plan=plan_from_dict(quickstart_dict),
        options=result_pb2.RunOptions(replications=1, time_limit_s=1),
    ).SerializeToString()
    seen: dict[grpc.StatusCode, int] = {}
    with serve(limits=Limits(max_solves=1)) as served:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(
            method=st.sampled_from(UNARY + STREAMING),
            body=st.one_of(
                st.binary(max_size=512),
                st.builds(
                    _mutate,
                    st.just(valid),
                    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
                    st.integers(0, 64),
                ),
            ),
        )
        def check(method: str, body: bytes) -> None:
            code = _call(served.channel, method, body)
            seen[code] = seen.get(code, 0) + 1
            assert code not in NEVER, (method, body[:80])

        check()
        served.servicer.jobs.shutdown(0)
        health = health_pb2_grpc.HealthStub(served.channel)
        reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        assert (
            served.stub.Validate(
                service_pb2.ValidateRequest(plan=plan_from_dict(quickstart_dict)), timeout=5
            ).posts
            == 7
        )
    assert grpc.StatusCode.INVALID_ARGUMENT in seen


def _scalar_fields(message: Any, path: str = "") -> list[tuple[Any, Any, str]]:
    """Every set-able scalar field under ``message``: (owner, field descriptor, path)."""
    found = []
    for field in message.DESCRIPTOR.fields:
        name = f"{path}.{field.name}" if path else field.name
        repeated = field.is_repeated
        if field.message_type is not None:
            if field.message_type.GetOptions().map_entry:
                continue
            children = getattr(message, field.name) if repeated else [getattr(message, field.name)]
            for index, child in enumerate(children):
                found.extend(_scalar_fields(child, f"{name}[{index}]" if repeated else name))
        elif not repeated:
            found.append((message, field, name))
    return found


_VALUES = {
    "int32": st.integers(-(2**31), 2**31 - 1),
    "int64": st.integers(-(2**63), 2**63 - 1),
    "uint32": st.integers(0, 2**32 - 1),
    "double": st.floats(allow_nan=True, allow_infinity=True),
    "float": st.floats(allow_nan=True, allow_infinity=True, width=32),
    "bool": st.booleans(),
    "string": st.text(max_size=12),
}


def _value_strategy(field: Any) -> st.SearchStrategy[Any]:
    if field.enum_type is not None:
        return st.integers(-3, len(field.enum_type.values) + 2)
    kind = {
        field.TYPE_INT32: "int32",
        field.TYPE_SINT32: "int32",
        field.TYPE_INT64: "int64",
        field.TYPE_UINT32: "uint32",
        field.TYPE_DOUBLE: "double",
        field.TYPE_FLOAT: "float",
        field.TYPE_BOOL: "bool",
        field.TYPE_STRING: "string",
    }.get(field.type, "int32")
    return _VALUES[kind]


def test_mutated_fields_of_a_valid_plan_are_answered_never_internal(
    serve: Any, quickstart_dict: dict[str, Any]
) -> None:
    """Validation is the path every plan RPC takes first: random values in random fields of the
    quickstart, sent to Validate, must come back valid or INVALID_ARGUMENT with violations."""
    base = service_pb2.ValidateRequest(plan=plan_from_dict(quickstart_dict))
    with serve() as served:

        @settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=True)
        @given(data=st.data(), count=st.integers(1, 3))
        def check(data: st.DataObject, count: int) -> None:
            request = service_pb2.ValidateRequest()
            request.CopyFrom(base)
            for _ in range(count):
                owner, field, path = data.draw(st.sampled_from(_scalar_fields(request)))
                value = data.draw(_value_strategy(field), label=path)
                setattr(owner, field.name, value)
            try:
                served.stub.Validate(request, timeout=5)
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()

        check()
