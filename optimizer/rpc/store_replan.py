"""Re-planning a stored event against its published roster: the one flow behind
``optimizer replan``, ``optimizer replan --due`` and the ``Replan`` RPC.

The event's latest plan version is re-planned against the roster published for it, with the
plan's standing re-plan rules (``EventPlan.replan``) unless the caller replaces them, and with
the published roster's run options unless the caller gives others (same seed and workers, same
roster). The new roster is stored as a re-plan of the published one, with its diff and
conflicts, and published at once only when asked and clean (see ``store_ops``).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from optimizer import pipeline
from optimizer.domain.types import EventPlan, RunOptions, TimeGrid
from optimizer.errors import InvalidInput
from optimizer.rpc import convert, replan_convert, store_ops
from optimizer.rpc.v1 import plan_pb2, replan_pb2, result_pb2
from optimizer.store import PlanStore, PlanVersion, StoredRoster


def parse_now(text: str, grid: TimeGrid, field: str = "now") -> dt.datetime:
    """``text`` (ISO 8601) as an aware time; empty: the clock. A time without an offset is read
    in the plan's start-time offset when it has one, else in this machine's zone."""
    if not text:
        return dt.datetime.now(dt.UTC)
    moment = replan_convert.parse_time(text, grid.start(), field)
    return moment if moment.tzinfo is not None else moment.astimezone()


def clean(outcome: pipeline.ReplanOutcome) -> bool:
    """Covers every requirement and keeps every pin: safe to publish without a person."""
    return outcome.outcome.roster.status in store_ops.COVERED and not outcome.conflicts


def without_result(result: replan_pb2.ReplanResult) -> replan_pb2.ReplanResult:
    """The re-plan's diff and conflicts: what is stored beside the roster's own result."""
    kept = replan_pb2.ReplanResult()
    kept.CopyFrom(result)
    kept.ClearField("result")
    return kept


def replan_messages(
    plan: EventPlan,
    plan_message: plan_pb2.EventPlan,
    published: result_pb2.PlanResult,
    rules: replan_pb2.ReplanRules | None,
    options: RunOptions,
    now: dt.datetime,
    *,
    published_plan: EventPlan | None = None,
    on_progress: pipeline.ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
    deadline: float | None = None,
) -> tuple[pipeline.ReplanOutcome, replan_pb2.ReplanResult]:
    """Re-plan ``plan`` against the ``published`` result; ``rules`` replace the plan's own.

    ``published_plan`` is the plan the published roster was made for: when its time grid is the
    new plan's, the diff's reasons quote how the requirements changed.
    """
    # Violations name the request's rules, or the plan's own (EventPlan.replan).
    rules_message, path = (rules, "rules") if rules is not None else (plan_message.replan, "replan")
    domain_rules = replan_convert.rules_from_proto(rules_message, plan.grid, now, path)
    roster = replan_convert.roster_from_result(published)
    old_requirements = None
    if published_plan is not None and published_plan.grid == plan.grid:
        old_requirements = replan_convert.requirements_from_result(published, plan.grid)
    outcome = pipeline.replan(
        plan, roster, options, domain_rules, on_progress, stop_event, old_requirements, deadline
    )
    return outcome, replan_convert.replan_result_to_proto(outcome, domain_rules)


@dataclass(frozen=True)
class StoredReplan:
    """A stored event's re-plan: the plan version and published roster it started from, the
    outcome and its message, and the new roster as stored."""

    plan: PlanVersion
    base: StoredRoster
    outcome: pipeline.ReplanOutcome
    result: replan_pb2.ReplanResult
    roster: StoredRoster

    @property
    def clean(self) -> bool:
        return clean(self.outcome)


def replan_stored(
    store: PlanStore,
    event_id: str,
    *,
    rules: replan_pb2.ReplanRules | None = None,
    options: RunOptions | None = None,
    now: str = "",
    publish: bool = False,
    on_progress: pipeline.ProgressHandler | None = None,
    stop_event: threading.Event | None = None,
    deadline: float | None = None,
) -> StoredReplan:
    """Re-plan the event's latest plan version against its published roster and store it.

    Raises NotFound (unknown event), NothingPublished, InvalidInput (the stored plan or the rules
    break a rule), Cancelled.
    """
    base = store.published(event_id)
    version = store.latest_plan(event_id)
    message = store_ops.plan_message(version)
    plan = store_ops.checked_plan(message)
    published_plan = convert_stored(store, event_id, base.plan_version)
    outcome, result = replan_messages(
        plan,
        message,
        store_ops.result_message(base),
        rules,
        options if options is not None else store_ops.stored_options(base),
        parse_now(now, plan.grid),
        published_plan=published_plan,
        on_progress=on_progress,
        stop_event=stop_event,
        deadline=deadline,
    )
    record = store_ops.roster_record(
        result.result, outcome.outcome, base_roster_id=base.roster_id, replan=without_result(result)
    )
    roster = store.add_roster(event_id, version.version, record, publish=publish and clean(outcome))
    return StoredReplan(version, base, outcome, result, roster)


def convert_stored(store: PlanStore, event_id: str, version: int) -> EventPlan | None:
    """A stored plan version in domain form, or None when it no longer converts (it was stored
    by an older release whose rules were looser): the diff then quotes the published roster."""
    try:
        return convert.plan_from_pb(store_ops.plan_message(store.plan_version(event_id, version)))
    except InvalidInput:
        return None
