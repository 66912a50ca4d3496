"""Readable output of an outcome: the summary a planner reads and the roster CSV they publish."""

from __future__ import annotations

import csv
import io

from optimizer.domain.clock import Clock
from optimizer.domain.types import EventPlan, SolveStatus
from optimizer.pipeline import PlanOutcome, SimulateOutcome
from optimizer.risk import gate_targets

# Post shortfalls listed in the summary; the rest are in roster.json.
POST_SHORTFALL_LINES = 20


def _hours(minutes: float) -> str:
    return f"{minutes / 60:,.1f}"


def requirement_lines(outcome: SimulateOutcome | PlanOutcome) -> list[str]:
    plan = outcome.plan
    clock = Clock(plan.grid)
    n = plan.grid.n_slots
    totals = [sum(r.officers[s] for r in outcome.requirements) for s in range(n)]
    peak_slot = max(range(n), key=lambda s: totals[s]) if n else 0
    officer_min = sum(totals) * plan.grid.slot_min
    lines = [
        f"Requirements: {len(outcome.requirements)} posts, peak {totals[peak_slot] if n else 0} "
        f"officers at {clock(plan.grid.slot_start(peak_slot))}, {_hours(officer_min)} officer-hours"
    ]
    for gate in outcome.simulation.gates:
        worst = max(gate.wait_quantile_min, default=0.0)
        quantile = gate_targets(plan, outcome.risk.targets, plan.gate(gate.gate_id)).wait_quantile
        lines.append(
            f"  gate {gate.gate_id}: {sum(gate.arrivals_mean):,.0f} arrivals, "
            f"up to {max(gate.lanes_open, default=0)} lanes, worst slot "
            f"P{round(quantile * 100)} wait {worst:.1f} min"
        )
    for exit_ in outcome.simulation.exits:
        lines.append(
            f"  exit {exit_.exit_id} ({exit_.zone_id}): {exit_.passed_mean:,.0f} out, "
            f"P90 wait {exit_.wait_quantile_min:.1f} min, longest {exit_.wait_max_min:.1f} min"
        )
    return lines


def plan_summary(outcome: PlanOutcome, short_cause: str = "pool short") -> str:
    """The summary a planner reads; ``short_cause`` says why a roster that falls short does (a
    re-plan held back by pins or a frozen window is short for that reason, not the pool)."""
    plan: EventPlan = outcome.plan
    roster = outcome.roster
    duties = roster.duties or len(roster.shifts)
    # On a multi-day event one officer may work several duties: say so only when one does.
    several = bool(roster.shifts) and duties != roster.headcount
    lines = [
        f"Plan: {plan.name or '(unnamed)'}",
        f"Risk: {outcome.risk.level.name} ({outcome.risk.reason})",
        *requirement_lines(outcome),
        "",
        f"Roster: {roster.status.name}  "
        + (
            f"officers {roster.headcount} working {duties} duties  "
            if several
            else f"headcount {roster.headcount}  "
        )
        + (
            f"({short_cause}; full coverage needs at least {roster.lower_bound})"
            if roster.status is SolveStatus.INFEASIBLE
            else f"lower bound {roster.lower_bound}  gap {roster.gap:.1%}"
        ),
        f"  officer-hours {_hours(roster.officer_minutes)} "
        f"(lower bound {_hours(roster.officer_minutes_lower_bound)})",
        f"  post rules: {roster.rotations} rotations, "
        f"{_hours(roster.travel_officer_min)} officer-hours walking between zones"
        + (
            f"; {roster.rules_added_officers} officers added by the rules "
            f"({roster.rules_resolves} re-solves)"
            if roster.rules_resolves or roster.rules_added_officers
            else ""
        ),
        f"  {'officer type':<20}{'headcount':>10}{'bound':>8}{'pool':>8}{'hours':>10}"
        + (f"{'duties':>8}" if several else ""),
    ]
    for t in roster.by_type:
        lines.append(
            f"  {t.officer_type:<20}{t.headcount:>10}{t.lower_bound:>8}{t.available:>8}"
            f"{_hours(t.officer_minutes):>10}"
            + (f"{t.duties or t.headcount:>8}" if several else "")
        )
    if roster.shortfalls:
        clock = Clock(plan.grid)
        lines.append(f"  Short ({short_cause}): not every requirement is covered:")
        for s in roster.shortfalls:
            span = f"{clock(s.start_min)}-{clock(s.end_min)}"
            lines.append(f"    {s.officers} x {s.officer_type} missing {span}")
        least = (
            "proven least"
            if roster.weighted_shortfall_bound >= roster.weighted_shortfall
            else f"lower bound {roster.weighted_shortfall_bound}"
        )
        lines.append(
            f"  Posts short (risk-weighted officer-slots missing {roster.weighted_shortfall},"
            f" {least}; heaviest first):"
        )
        for f in roster.post_shortfalls[:POST_SHORTFALL_LINES]:
            span = f"{clock(f.start_min)}-{clock(f.end_min)}"
            lines.append(
                f"    {f.post_id} (weight {f.weight}): {f.officers} x {f.officer_type} {span}"
            )
        if len(roster.post_shortfalls) > POST_SHORTFALL_LINES:
            more = len(roster.post_shortfalls) - POST_SHORTFALL_LINES
            lines.append(f"    ... and {more} more in roster.json")
        proven = "proven smallest" if roster.pool_proven else "not proven smallest"
        lines.append(f"  Pool that covers everything ({proven}):")
        for n in roster.pool_needed:
            lines.append(f"    {n.officer_type}: {n.needed} (has {n.available})")
    if outcome.simulation.replications > 0:
        how = f"re-simulated, {outcome.options.replications} replications"
    else:
        how = "coverage of the requirements given by the plan; nothing to simulate"
    lines += ["", f"Verification ({how}):"]
    for check in outcome.verification:
        mark = "met   " if check.met else "MISSED"
        lines.append(
            f"  [{mark}] {check.name}: {check.target}; worst {check.value:.2f} {check.unit}"
            f" ({check.replications_met:.0%} of replications)"
            + (" (not at the 95% confidence bound)" if check.met_at_bound is False else "")
            + (f" - {check.detail}" if check.detail and not check.met else "")
        )
    lines.append("")
    lines.append("Timings: " + ", ".join(f"{name} {sec:.2f}s" for name, sec in outcome.timings))
    return "\n".join(lines)


def simulate_summary(outcome: SimulateOutcome) -> str:
    return "\n".join(
        [
            f"Plan: {outcome.plan.name or '(unnamed)'}",
            f"Risk: {outcome.risk.level.name} ({outcome.risk.reason})",
            f"Simulated {outcome.simulation.attendees_simulated:,} attendees over "
            f"{outcome.simulation.replications} replications",
            *requirement_lines(outcome),
        ]
    )


CSV_COLUMNS = (
    "officer_id",
    "officer_type",
    "post_id",
    "start",
    "end",
    "break",
    "start_min",
    "end_min",
    "shift_start_min",
    "shift_end_min",
    "break_start_min",
    "break_end_min",
)


def roster_csv(outcome: PlanOutcome) -> str:
    """One row per officer per post stint, in roster order, an officer's duties together (in
    order of start) where one works several."""
    clock = Clock(outcome.plan.grid)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    first: dict[str, int] = {}
    for k, shift in enumerate(outcome.roster.shifts):
        first.setdefault(shift.officer_id, k)
    ordered = sorted(
        outcome.roster.shifts, key=lambda s: (first[s.officer_id], s.start_min, s.end_min)
    )
    for shift in ordered:
        has_break = shift.break_end_min > shift.break_start_min
        pause = f"{clock(shift.break_start_min)}-{clock(shift.break_end_min)}" if has_break else ""
        for stint in shift.stints:
            writer.writerow(
                (
                    shift.officer_id,
                    shift.officer_type,
                    stint.post_id,
                    clock(stint.start_min),
                    clock(stint.end_min),
                    pause,
                    stint.start_min,
                    stint.end_min,
                    shift.start_min,
                    shift.end_min,
                    shift.break_start_min,
                    shift.break_end_min,
                )
            )
    return out.getvalue()


def exit_code(outcome: PlanOutcome) -> int:
    """0 when a roster covers every requirement, 3 when the pool is short or no roster was found."""
    return 0 if outcome.roster.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) else 3
