"""How often lanes fitted on one set of random numbers hold the wait target on fresh ones.

Run: ``python benchmarks/bench_robustness.py [--plan examples/stadium_match.yaml] [--seed 1]
[--sets 20] [--replications 10]``.

Derives the lanes as the pipeline does (``staff_lanes`` on ``--replications`` replications from
``--seed``), then re-simulates the event with those lanes on ``--sets`` fresh seeds (each with
``--replications`` replications, as verification does) and counts the sets in which every gate's
pooled quantile wait holds the target in every slot; per gate, the sets it missed in and the worst
wait. A set missing only by sampling error at the edge of the target is what the confidence
margin in ``staffing.lanes`` is there to prevent; misses clustered just after a sharp lane drop
point at the queue a slot inherits.

``--response`` checks the rapid-response units instead, on the generated match days of
``benchmarks/sweeps/families.yaml`` (6,000 and 12,000 spectators, 40 or 80 % late, medium or
high risk; ``--sets`` seeds each): requirements derived, covered exactly, and verified on fresh
replications, with and without the prediction margin of ``staffing.response.with_margin``. It
prints the runs whose "response units" check missed.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from optimizer.bench.families import stadium_document
from optimizer.domain.types import EventPlan, Requirement, Shift, Stint
from optimizer.risk import assess, gate_targets
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import load_plan_message, plan_from_dict
from optimizer.simulation import Simulator, simulate
from optimizer.staffing.lanes import staff_lanes
from optimizer.staffing.requirements import derive_requirements
from optimizer.verify import verify

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, default=ROOT / "examples" / "stadium_match.yaml")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sets", type=int, default=20)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--response", action="store_true", help="response units on families")
    args = parser.parse_args()
    if args.response:
        response_families(args.sets, args.replications)
        return
    plan = plan_from_pb(load_plan_message(args.plan))
    targets = assess(plan.risk).targets
    started = time.perf_counter()
    with Simulator(plan, args.replications, args.seed) as simulator:
        lanes = staff_lanes(plan, targets, simulator)
    fitted_s = time.perf_counter() - started
    chosen = {gate_id: g.lanes for gate_id, g in lanes.items()}
    total_lanes = sum(sum(g) for g in chosen.values())
    held = 0
    missed_by_gate: Counter[str] = Counter()
    missed_slots: Counter[int] = Counter()
    worst = 0.0
    for fresh in range(args.sets):
        result = simulate(plan, targets, chosen, args.replications, seed=10_000 + fresh)
        ok = True
        for stats in result.gates:
            own = gate_targets(plan, targets, plan.gate(stats.gate_id)).wait_target_min
            bad = [k for k, w in enumerate(stats.wait_quantile_min) if w > own]
            worst = max(worst, max(stats.wait_quantile_min, default=0.0))
            if bad:
                ok = False
                missed_by_gate[stats.gate_id] += 1
                missed_slots.update(bad)
        held += ok
    print(f"plan: {plan.name}; seed {args.seed}; {args.replications} replications per set")
    print(f"lane-slots chosen: {total_lanes} (fitted in {fitted_s:.1f} s)")
    print(f"fresh sets holding every gate and slot: {held} of {args.sets}")
    print(f"worst pooled wait on fresh sets: {worst:.2f} min (target {targets.wait_target_min:g})")
    print(f"sets missed per gate: {dict(missed_by_gate.most_common())}")
    print(f"missed slots (slot: sets): {dict(sorted(missed_slots.items()))}")


def response_families(seeds: int, replications: int) -> None:
    """Response-unit misses on the generated match days, with and without the margin."""
    misses = {True: 0, False: 0}
    runs = 0
    started = time.perf_counter()
    for attendance in (6000, 12000):
        for late in (0.4, 0.8):
            for risk in ("medium", "high"):
                for seed in range(seeds):
                    params = {
                        "gates": 4,
                        "public_order": 400,
                        "special_police": 80,
                        "attendance": attendance,
                        "peak_share": late,
                        "risk": risk,
                    }
                    plan = plan_from_pb(plan_from_dict(stadium_document(params, seed)))
                    runs += 1
                    for with_margin in (False, True):
                        missed = _response_misses(plan, replications, seed, with_margin)
                        misses[with_margin] += bool(missed)
                        if missed:
                            margin_text = "with" if with_margin else "without"
                            print(
                                f"  {attendance:,}, {late:.0%} late, {risk}, seed {seed},"
                                f" {margin_text} margin: {', '.join(missed)}"
                            )
    print(f"runs: {runs}; {replications} replications; {time.perf_counter() - started:.0f} s")
    print(f"runs missing 'response units': {misses[False]} without margin, {misses[True]} with")


def _response_misses(plan: EventPlan, replications: int, seed: int, margin: bool) -> list[str]:
    targets = assess(plan.risk).targets
    required, _ = derive_requirements(plan, targets, replications, seed, response_margin=margin)
    checks, _ = verify(plan, targets, _cover(plan, required), required, replications, seed)
    return [c.name for c in checks if c.name.startswith("response units") and not c.met]


def _cover(plan: EventPlan, requirements: tuple[Requirement, ...]) -> tuple[Shift, ...]:
    """One-slot shifts putting exactly the required officers on every post and slot."""
    grid = plan.grid
    shifts = []
    for req in requirements:
        for slot, count in enumerate(req.officers):
            start = grid.slot_start(slot)
            end = start + grid.slot_min
            for n in range(count):
                stint = Stint(req.post_id, start, end)
                shifts.append(
                    Shift(f"{req.post_id}-{slot}-{n}", req.officer_type, start, end, 0, 0, (stint,))
                )
    return tuple(shifts)


if __name__ == "__main__":
    main()
