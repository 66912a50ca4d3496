"""Speed of the crowd simulation: 40,000 arrivals x 30 replications through 8 gates.

Run with ``python benchmarks/bench_simulation.py [--workers N]``. Prints the arrivals simulated,
the replications, the wall-clock seconds and the SimPy events processed per second.
"""

from __future__ import annotations

import argparse
import time

import simpy

from optimizer.domain.types import (
    CrowdForecast,
    EventPlan,
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


def stadium() -> EventPlan:
    """Football-like arrivals (peak 30 min before kick-off) with the gates busy but coping."""
    zones = (
        Zone(ZoneId("north"), "north", Ring.INNER, 8000.0),
        Zone(ZoneId("south"), "south", Ring.INNER, 8000.0),
    )
    gates = tuple(
        Gate(
            GateId(f"g{i}"),
            zones[i % 2].id,
            lanes=8,
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
        crowd=CrowdForecast(ATTENDANCE, waves, egress),
        risk=Risk(RiskLevel.HIGH),
        pool=OfficerPool(()),
    )


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
    args = parser.parse_args()
    plan = stadium()
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
