"""SimPy model of egress through a zone's exits: queues at exits of limited flow.

An exit of width w metres passes at most ``w * flow_per_m_min`` persons a minute (Green Guide and
Fruin figures, DOMAIN_RESEARCH.md 2: 82 persons per metre per minute on the level, 66 on steps),
so it is modelled as one server that lets a person through every ``1 / (w * flow)`` minutes,
first come, first served: a fluid width cut into persons. A leaving attendee reaches the exits at
their departure time (the egress waves' draw; the walk inside the zone is not modelled) and joins
the exit that will let them out soonest, counting the people already queueing there, and among
exits equally soon the one least used for its width: crowds spread over the exits they see.
Until they pass, they are still in the zone, so a narrow exit shows as occupancy and density that
linger after the final whistle.

Like the gate model, attendees are not processes: each departure is a timeout whose callback
requests the chosen exit, and the grant and the passage are callbacks too. ``simulate_exits`` is
that SimPy model, the reference; ``pass_exits``, which the simulation uses, follows the same rule
exit by exit without an event queue (a stadium's egress is tens of thousands of people per
replication, and the SimPy model doubled the simulation's time) and agrees with it in tests.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import simpy
from simpy.events import Event

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ExitPassage:
    """Who left through which exit and when, for the attendees handed to ``pass_exits``.

    ``pass_min[i]`` is when attendee ``i`` is through an exit (their departure itself when they
    do not leave within the horizon, i.e. do not egress), ``exit_index[i]`` the exit, -1 for
    those who did not egress.
    """

    pass_min: FloatArray
    exit_index: IntArray


def simulate_exits(
    departure_min: FloatArray, capacities_per_min: Sequence[float], horizon_min: float
) -> ExitPassage:
    """Run the attendees leaving before ``horizon_min`` through exits of the given capacities.

    The SimPy reference model; ``pass_exits`` computes the same passages faster.

    Parameters
    ----------
    departure_min
        When each attendee reaches the exits (any order; ties keep input order).
    capacities_per_min
        Persons per minute each exit lets through (width x flow); all positive.
    horizon_min
        Departures at or after this are not egress (attendees staying to the end) and keep their
        time.

    Returns
    -------
    ExitPassage
        Passage time and exit per attendee, in input order.
    """
    passed, chosen, order = _prepare(departure_min, capacities_per_min, horizon_min)
    if order.size == 0:
        return ExitPassage(passed, chosen)
    env = simpy.Environment()
    exits = [simpy.Resource(env, capacity=1) for _ in capacities_per_min]
    gaps = [1.0 / c for c in capacities_per_min]
    # Time each exit has spent letting people through (its use): breaks ties among exits
    # without queues in proportion to their width, as a crowd spreads over the exits it sees.
    used = [0.0] * len(exits)

    def arrive(event: Event) -> None:
        person = cast(int, event.value)
        # Soonest out: the exit whose queue (and the person in it) clears first.
        best = min(
            range(len(exits)),
            key=lambda e: ((len(exits[e].queue) + exits[e].count + 1) * gaps[e], used[e]),
        )
        used[best] += gaps[best]
        chosen[person] = best
        request = exits[best].request()
        request.callbacks.append(lambda granted: through(granted, person, best))

    def through(granted: Event, person: int, exit_: int) -> None:
        done = env.timeout(gaps[exit_])
        done.callbacks.append(lambda _: leave(granted, person, exit_))

    def leave(granted: Any, person: int, exit_: int) -> None:
        passed[person] = float(env.now)
        exits[exit_].release(granted)

    for person in order:
        event = env.timeout(float(departure_min[person]), value=int(person))
        event.callbacks.append(arrive)
    env.run()
    return ExitPassage(passed, chosen)


def pass_exits(
    departure_min: FloatArray, capacities_per_min: Sequence[float], horizon_min: float
) -> ExitPassage:
    """``simulate_exits`` without SimPy: the same rule, tracked exit by exit.

    Each exit lets people through at fixed gaps, first come first served, so the people at an
    exit at time t are those it has taken whose passage is after t, and a newcomer passes one
    gap after the later of t and the exit's last passage. Agrees with the SimPy model (tests),
    ties included. Parameters and result as ``simulate_exits``.
    """
    passed, chosen, order = _prepare(departure_min, capacities_per_min, horizon_min)
    gaps = [1.0 / c for c in capacities_per_min]
    count = len(gaps)
    if count == 1 and order.size:
        # One exit: the Lindley recursion through[k] = max(d[k], through[k - 1]) + gap, as a
        # running maximum: through[k] = (k + 1) gap + max over j <= k of (d[j] - j gap).
        times = departure_min[order]
        steps = np.arange(order.size) * gaps[0]
        passed[order] = np.maximum.accumulate(times - steps) + steps + gaps[0]
        chosen[order] = 0
        return ExitPassage(passed, chosen)
    queues: list[deque[float]] = [deque() for _ in gaps]
    last = [-math.inf] * count
    used = [0.0] * count
    for person in order.tolist():
        now = float(departure_min[person])
        for queue in queues:
            # Strictly before: at the same instant SimPy handles the departure first (it was
            # scheduled first), so someone passing right then still counts.
            while queue and queue[0] < now:
                queue.popleft()
        best = min(range(count), key=lambda e: ((len(queues[e]) + 1) * gaps[e], used[e]))
        through = max(now, last[best]) + gaps[best]
        last[best] = through
        queues[best].append(through)
        used[best] += gaps[best]
        passed[person] = through
        chosen[person] = best
    return ExitPassage(passed, chosen)


def _prepare(
    departure_min: FloatArray, capacities_per_min: Sequence[float], horizon_min: float
) -> tuple[FloatArray, IntArray, IntArray]:
    """Passages and exits before anyone egresses, and the egressing attendees in order."""
    if not capacities_per_min or min(capacities_per_min) <= 0:
        raise ValueError(f"exits need positive capacities, got {list(capacities_per_min)!r}")
    passed = departure_min.astype(np.float64, copy=True)
    chosen = np.full(departure_min.size, -1, dtype=np.int64)
    leaving = np.flatnonzero(np.isfinite(departure_min) & (departure_min < horizon_min))
    order = leaving[np.argsort(departure_min[leaving], kind="stable")].astype(np.int64)
    return passed, chosen, order
