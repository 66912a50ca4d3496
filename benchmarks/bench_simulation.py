"""Speed of the crowd simulation: arrivals per second at 10k, 40k and 100k attendance, and
40,000 arrivals x 30 replications through 8 gates (the issue's aim: under 10 s on 2 cores).

Run with ``python benchmarks/bench_simulation.py [--workers N] [--scale-replications R]``. Prints
one row per attendance (lanes scaled with it so the gates cope), then the 40k x 30 run with the
wall-clock seconds and the SimPy events processed per second. ``--exits`` gives each zone three
10 m exits, so egress queues at them (``simulation.exits``), to measure what that costs. Note the
machine's load (``uptime``) beside any figure: the runs are CPU-bound.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time

import simpy

from optimizer.domain.types import (
    CrowdForecast,
    EventPlan,
    Exit,
    Gate,
    GateId,
    OfficerPool,
    Ring,
    Risk,
    RiskLevel,
    RiskTargets,
    ScreeningLevel,
    TimeGrid,
    Wave,
    WaveShape,
    Zone,
    ZoneId,
)
from optimizer.simulation import simulate
from optimizer.simulation.model import ScreeningGate
from optimizer.simulation.sampling import draw_replication, replication_seeds

ATTENDANCE = 40_000
REPLICATIONS = 30
GATES = 8

TARGETS = RiskTargets(5.0, 0.9, 100.0, 1.7, 3.0, 0.2)


def stadium(attendance: int = ATTENDANCE) -> EventPlan:
    """Football-like arrivals (peak 30 min before kick-off) with the gates busy but coping.

    Lanes grow with the attendance (8 per gate at 40,000) so every size runs at the same load.
    """
    lanes = max(2, math.ceil(8 * attendance / ATTENDANCE))
    zones = (
        Zone(ZoneId("north"), "north", Ring.INNER, 8000.0),
        Zone(ZoneId("south"), "south", Ring.INNER, 8000.0),
    )
    gates = tuple(
        Gate(
            GateId(f"g{i}"),
            zones[i % 2].id,
            lanes=lanes,
            officers_per_lane=2,
            screening_level=ScreeningLevel.METAL_DETECTOR,
            service_mean_s=0.0,
            service_cv=0.0,
            share=1.0,
        )
        for i in range(GATES)
    )
    waves = (
        Wave("early", WaveShape.UNIFORM, 0.2, 0, 120),
        Wave("main", WaveShape.NORMAL, 0.8, 60, 180, peak_min=150, sd_min=25.0),
    )
    egress = (Wave("out", WaveShape.TRIANGULAR, 0.9, 300, 345, peak_min=305),)
    return EventPlan(
        name="bench",
        grid=TimeGrid(15, 360),
        zones=zones,
        gates=gates,
        posts=(),
        crowd=CrowdForecast(attendance, waves, egress),
        risk=Risk(RiskLevel.HIGH),
        pool=OfficerPool(()),
    )


def with_exits(plan: EventPlan) -> EventPlan:
    """``plan`` with three 10 m exits per zone at 66 persons per metre a minute."""
    exits = tuple(Exit(f"{z.id}_{i}", z.id, 10.0, 66.0) for z in plan.zones for i in range(3))
    return dataclasses.replace(plan, exits=exits)


def events_per_attendee(plan: EventPlan) -> float:
    """SimPy events per attendee, counted on one replication in a counting environment."""

    class Counting(simpy.Environment):
        steps = 0

        def step(self) -> None:
            self.steps += 1
            super().step()

    people = steps = 0
    for index, inputs in draw_replication(plan, replication_seeds(0, 1)[0]).items():
        gate = plan.gates[index]
        env = Counting()
        model = ScreeningGate(env, gate.lanes, [gate.lanes] * plan.grid.n_slots, 15)
        model.admit(inputs.arrival_min.tolist(), inputs.service_min.tolist())
        env.run()
        people += inputs.arrival_min.size
        steps += env.steps
    return steps / people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replications", type=int, default=REPLICATIONS)
    parser.add_argument(
        "--scale-replications", type=int, default=5, help="replications per attendance row"
    )
    parser.add_argument("--exits", action="store_true", help="egress through 3 exits per zone")
    args = parser.parse_args()
    shape = with_exits if args.exits else (lambda plan: plan)
    print(f"{'attendance':>10} {'lanes/gate':>10} {'reps':>5} {'seconds':>8} {'arrivals/s':>11}")
    for attendance in (10_000, 40_000, 100_000):
        sized = shape(stadium(attendance))
        started = time.perf_counter()
        run = simulate(sized, TARGETS, {}, args.scale_replications, seed=1, workers=args.workers)
        seconds = time.perf_counter() - started
        print(
            f"{attendance:>10,} {sized.gates[0].lanes:>10} {args.scale_replications:>5}"
            f" {seconds:>8.2f} {run.attendees_simulated / seconds:>11,.0f}"
        )
    print()
    plan = shape(stadium())
    started = time.perf_counter()
    result = simulate(plan, TARGETS, {}, args.replications, seed=1, workers=args.workers)
    seconds = time.perf_counter() - started
    per_attendee = events_per_attendee(plan)
    arrivals = result.attendees_simulated / args.replications
    events = per_attendee * result.attendees_simulated
    worst = max(max(g.wait_quantile_min) for g in result.gates)
    print(f"arrivals per replication: {arrivals:,.0f}")
    print(f"replications:             {args.replications} on {args.workers} worker(s)")
    print(f"seconds:                  {seconds:.2f}")
    print(f"attendees/s:              {result.attendees_simulated / seconds:,.0f}")
    print(f"events/s:                 {events / seconds:,.0f} ({per_attendee:.2f} per attendee)")
    print(f"worst slot P90 wait:      {worst:.2f} min")


if __name__ == "__main__":
    main()
