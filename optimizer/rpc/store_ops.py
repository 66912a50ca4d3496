"""What the CLI and the service do with the plan store: messages in, text and figures stored.

The store keeps JSON text; this module is where messages become that text and back, so the
command line and the service store exactly the same things:

- a plan version is the EventPlan message as canonical JSON (proto field names, keys sorted,
  default values left out), so the same plan written in YAML or JSON, or sent over gRPC, hashes
  the same;
- a roster is the PlanResult message as JSON, beside the figures listings show.

A roster is published automatically (``publish=True``) only when it is clean: it covers every
requirement (status optimal or feasible) and a re-plan kept every pin and the frozen window
without a shortfall. Anything else is stored for a person to look at and publish by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from optimizer import pipeline
from optimizer.domain.replan import PinConflict, RosterDiff
from optimizer.domain.types import EventPlan, RunOptions, SolveStatus
from optimizer.domain.validate import ensure_valid
from optimizer.errors import InvalidInput, Violation
from optimizer.rpc import convert, replan_convert
from optimizer.rpc.planfile import plan_from_dict
from optimizer.rpc.v1 import plan_pb2, replan_pb2, result_pb2
from optimizer.store import PlanStore, PlanVersion, RosterRecord, StoredRoster, check_event_id

COVERED = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def message_json(message: Message) -> str:
    """``message`` as compact JSON with proto field names and sorted keys."""
    document = json_format.MessageToDict(message, preserving_proto_field_name=True)
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plan_message(version: PlanVersion) -> plan_pb2.EventPlan:
    """The EventPlan message of a stored plan version."""
    document: dict[str, Any] = json.loads(version.plan_json)
    return plan_from_dict(document)


def result_message(roster: StoredRoster) -> result_pb2.PlanResult:
    """The PlanResult message of a stored roster (loaded with its result)."""
    if not roster.result_json:
        raise ValueError(f"roster {roster.roster_id} was loaded without its result")
    return json_format.Parse(roster.result_json, result_pb2.PlanResult())


def checked_plan(message: plan_pb2.EventPlan) -> EventPlan:
    """The domain plan of ``message``, checked against every rule (InvalidInput otherwise):
    a plan is stored only if it could be planned."""
    return ensure_valid(convert.plan_from_pb(message))


def put_plan(
    store: PlanStore, event_id: str, message: plan_pb2.EventPlan
) -> tuple[PlanVersion, bool]:
    """Store a valid plan as the event's next version; False when equal to the latest one."""
    check_event_id(event_id)
    checked_plan(message)
    return store.add_plan(event_id, message_json(message), name=message.name)


def stored_options(roster: StoredRoster) -> RunOptions:
    """The run options a stored roster was made with: re-plans reuse them by default, so that
    the same seed and worker count give the same roster."""
    return RunOptions(
        seed=roster.seed,
        replications=roster.replications,
        time_limit_s=roster.time_limit_s,
        workers=roster.workers,
    )


def roster_record(
    result: result_pb2.PlanResult,
    outcome: pipeline.PlanOutcome,
    *,
    base_roster_id: int | None = None,
    replan: Message | None = None,
) -> RosterRecord:
    """What the store keeps of a roster: ``result`` as JSON and the outcome's figures.

    A re-plan passes the published roster it started from and its diff and conflicts message.
    """
    roster = outcome.roster
    options = outcome.options
    return RosterRecord(
        result_json=message_json(result),
        status=roster.status.value,
        headcount=roster.headcount,
        lower_bound=roster.lower_bound,
        gap=roster.gap,
        seed=options.seed,
        workers=options.workers,
        time_limit_s=options.time_limit_s,
        replications=options.replications,
        versions=outcome.versions,
        origin="plan" if base_roster_id is None else "replan",
        base_roster_id=base_roster_id,
        replan_json=None if replan is None else message_json(replan),
    )


@dataclass(frozen=True)
class Recorded:
    """A plan run as stored: its plan version and its roster, and whether it was published."""

    plan: PlanVersion
    plan_created: bool
    roster: StoredRoster

    @property
    def published(self) -> bool:
        return self.roster.published


def record_plan(
    store: PlanStore,
    event_id: str,
    version: PlanVersion,
    plan_created: bool,
    outcome: pipeline.PlanOutcome,
    publish: bool,
) -> Recorded:
    """Store ``outcome`` as a roster of ``version``; published if asked and it covers everything."""
    result = convert.plan_result_to_pb(outcome)
    clean = outcome.roster.status in COVERED
    roster = store.add_roster(
        event_id, version.version, roster_record(result, outcome), publish=publish and clean
    )
    return Recorded(version, plan_created, roster)


def event_from_file_name(stem: str) -> str:
    """An event id made from a plan file's name: characters outside the id rule become '-'."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "._:-") else "-" for c in stem)
    cleaned = cleaned.lstrip("._:-")[:128]
    if not cleaned:
        raise InvalidInput(
            [Violation("--event", f"cannot make an event id from {stem!r}: give --event")]
        )
    return cleaned


def stored_clean(roster: StoredRoster) -> bool:
    """Whether a stored roster covers its plan and, for a re-plan, kept every pin: what an
    automatic publication requires."""
    if roster.status not in {s.value for s in COVERED}:
        return False
    if not roster.replan_json:
        return True
    return not json.loads(roster.replan_json).get("conflicts")


def stored_diff(roster: StoredRoster) -> tuple[RosterDiff, tuple[PinConflict, ...]]:
    """A stored re-plan's diff and conflicts in domain form (empty for a plain plan)."""
    if not roster.replan_json:
        return RosterDiff((), 0), ()
    message = json_format.Parse(roster.replan_json, replan_pb2.ReplanResult())
    return (
        replan_convert.diff_from_pb(message.diff),
        replan_convert.conflicts_from_pb(message.conflicts),
    )
