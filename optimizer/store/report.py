"""Lines a planner reads about what the store holds (``optimizer store ...``)."""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.store.store import EventState, EventStatus, PlanVersion, Publication, StoredRoster


def event_line(state: EventState) -> str:
    """One event: its plan versions, published roster and what should happen next."""
    head = f"{state.event_id}: {state.name or '(unnamed)'}; plan v{state.latest_version}"
    if state.published_roster_id is None:
        return f"{head}; nothing published"
    published = (
        f"published roster {state.published_roster_id} (plan v{state.published_plan_version})"
    )
    if state.status is EventStatus.UP_TO_DATE:
        return f"{head}; {published}; up to date"
    if state.status is EventStatus.AWAITING_PUBLICATION:
        return f"{head}; {published}; re-plan roster {state.pending_roster_id} awaits publication"
    return f"{head}; {published}; re-plan due"


_ROSTER_FORMAT = "{:>6}  {:<24}  {:>4}  {:<18}  {:<10}  {:>9}  {:>5}  {:>6}  {:>6}  {}"


def roster_header() -> str:
    return _ROSTER_FORMAT.format(
        "roster",
        "created (UTC)",
        "plan",
        "origin",
        "status",
        "headcount",
        "bound",
        "gap",
        "seed",
        "published",
    )


def _origin(roster: StoredRoster) -> str:
    if roster.origin == "replan":
        return f"replan of {roster.base_roster_id}"
    return roster.origin


def roster_row(roster: StoredRoster) -> str:
    return _ROSTER_FORMAT.format(
        roster.roster_id,
        roster.created_at[:23],
        f"v{roster.plan_version}",
        _origin(roster),
        roster.status,
        roster.headcount,
        roster.lower_bound,
        f"{roster.gap:.1%}",
        roster.seed,
        "yes" if roster.published else "",
    )


def roster_details(roster: StoredRoster) -> str:
    lines = [
        f"Roster {roster.roster_id} of event {roster.event_id}, plan version "
        f"{roster.plan_version} (hash {roster.plan_hash[:12]})",
        f"  created {roster.created_at}; {_origin(roster)}"
        + ("; published" if roster.published else "; not published"),
        f"  {roster.status}: headcount {roster.headcount}, lower bound {roster.lower_bound}, "
        f"gap {roster.gap:.1%}",
        f"  seed {roster.seed}, workers {roster.workers}, replications {roster.replications}, "
        f"time limit {roster.time_limit_s:g} s",
        "  versions: " + ", ".join(f"{name} {version}" for name, version in roster.versions),
    ]
    return "\n".join(lines)


def history_lines(
    versions: Sequence[PlanVersion], publications: Sequence[Publication]
) -> list[str]:
    lines = ["Plan versions:"]
    for v in versions:
        lines.append(f"  v{v.version}  {v.created_at}  {v.plan_hash[:12]}  {v.name}")
    lines.append("Publications:")
    if not publications:
        lines.append("  none")
    for p in publications:
        lines.append(f"  {p.published_at}  roster {p.roster_id}")
    return lines
