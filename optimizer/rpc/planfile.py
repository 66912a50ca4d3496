"""Plan files in, result files out: the messages in their JSON form.

A plan file is the EventPlan message in its JSON form, or the same document written in YAML.
Both are read with protobuf's json_format, so a plan file and a gRPC request can never disagree
about what a plan is. Field names may be written as in the proto (``zone_id``) or in JSON's
lowerCamelCase (``zoneId``); enum values by name (``RING_CORE``).

The CLI's ``roster.json`` and ``simulate --json`` files are the ``PlanResult`` and
``SimulateResponse`` messages the service returns, written here so that only ``optimizer.rpc``
touches protobuf.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from google.protobuf import json_format
from google.protobuf.message import Message

from optimizer.errors import InvalidInput, Violation
from optimizer.rpc import convert
from optimizer.rpc.v1 import plan_pb2

if TYPE_CHECKING:
    from optimizer.pipeline import PlanOutcome, SimulateOutcome

_PATH_IN_MESSAGE = re.compile(r'at "?EventPlan\.?([^"\s]*?)"?\.*(?:\s|$)')


def load_plan_message(path: str | Path) -> plan_pb2.EventPlan:
    """The EventPlan in ``path`` (.json, .yaml, .yml); InvalidInput says what is wrong, where."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            [Violation("file", f"cannot read {str(path)!r}: {exc.strerror}")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput([Violation("file", f"{str(path)!r} is not UTF-8 text")]) from exc
    return parse_plan_text(text, json_only=path.suffix.lower() == ".json", source=str(path))


def parse_plan_text(text: str, json_only: bool = False, source: str = "plan") -> plan_pb2.EventPlan:
    try:
        document = json.loads(text) if json_only else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(
            [Violation("file", f"{source} is not valid {'JSON' if json_only else 'YAML'}: {exc}")]
        ) from exc
    if not isinstance(document, dict):
        raise InvalidInput(
            [
                Violation(
                    "file",
                    f"{source} must hold a mapping of plan fields, got {type(document).__name__}",
                )
            ]
        )
    return plan_from_dict(_plain(document))


def plan_from_dict(document: dict[str, Any]) -> plan_pb2.EventPlan:
    try:
        message: plan_pb2.EventPlan = json_format.ParseDict(document, plan_pb2.EventPlan())
        return message
    except json_format.ParseError as exc:
        raise InvalidInput([_violation_from_parse_error(str(exc))]) from exc


def plan_to_dict(msg: plan_pb2.EventPlan) -> dict[str, Any]:
    document: dict[str, Any] = json_format.MessageToDict(msg, preserving_proto_field_name=True)
    return document


def _violation_from_parse_error(message: str) -> Violation:
    """Turn json_format's nested 'Failed to parse X field: ...' message into a path and a reason."""
    match = _PATH_IN_MESSAGE.search(message)
    fields = re.findall(r"Failed to parse (\w+) field", message)
    if match and match.group(1):
        path = match.group(1)
    elif fields:
        path = ".".join(fields)
    else:
        path = "plan"
    reason = re.sub(r"^(Failed to parse \w+ field: )+", "", message).strip()
    reason = _PATH_IN_MESSAGE.sub(" ", reason).strip().rstrip(".")
    return Violation(path, reason.replace("\n", " "))


def _plain(value: Any) -> Any:
    """YAML turns unquoted timestamps into datetime objects; the schema wants strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _write_message(message: Message, path: str | Path) -> None:
    text = json_format.MessageToJson(message, preserving_proto_field_name=True)
    Path(path).write_text(text + "\n", encoding="utf-8")


def write_plan_result(outcome: PlanOutcome, path: str | Path) -> None:
    """``roster.json``: the ``PlanResult`` message ``Plan`` would return, with proto field names."""
    _write_message(convert.plan_result_to_pb(outcome), path)


def write_simulate_response(outcome: SimulateOutcome, path: str | Path) -> None:
    """The ``SimulateResponse`` message ``Simulate`` would return, with proto field names."""
    _write_message(convert.simulate_response_to_pb(outcome), path)
