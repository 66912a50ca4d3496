"""SimPy model of one gate: attendees queue for screening lanes whose number changes per slot.

The lanes are one ``PriorityResource`` with capacity ``gate.lanes``. A ``closer`` process holds the
lanes that are closed in the current slot with requests of higher priority than any attendee's, so
a lane closes when its current attendee is done (no pre-emption) and re-opens when the closer lets
it go. Attendees are served first come, first served. With ``spill_queue`` set, an attendee
who finds that many others waiting does not join: they go on to another gate (``records`` hands
them to it), so the gate records them as spilled rather than screened.

Speed matters (tens of thousands of attendees per replication), so attendees are not processes:
each arrival is a timeout whose callback requests a lane, and the grant and the end of screening
are callbacks too. That costs four SimPy events per attendee and no generator switches.
"""

from __future__ import annotations

import bisect
from collections.abc import Generator, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import simpy
from simpy.events import Event
from simpy.resources.resource import PriorityRequest, PriorityResource, SortedQueue

from optimizer.domain.types import Minutes

FloatArray = npt.NDArray[np.float64]

CLOSER_PRIORITY = 0
ATTENDEE_PRIORITY = 1


class _KeyedQueue(SortedQueue):
    """Request queue kept in key order by binary insertion.

    SimPy's ``SortedQueue`` re-sorts the whole list on every append, which is quadratic in the
    queue length; long queues are exactly what this model must handle.
    """

    def append(self, item: PriorityRequest) -> None:
        if self.maxlen is not None and len(self) >= self.maxlen:
            raise RuntimeError("Cannot append event. Queue is full.")
        bisect.insort_right(self, item, key=_request_key)


def _request_key(request: PriorityRequest) -> tuple[int, float, bool]:
    return request.key


class LaneResource(PriorityResource):
    """A ``PriorityResource`` whose queue insertion is O(log n)."""

    PutQueue = _KeyedQueue


class _Screening(PriorityRequest):
    """An attendee's request for a lane, carrying the attendee's index."""

    def __init__(self, resource: LaneResource, index: int) -> None:
        self.index = index
        super().__init__(resource, priority=ATTENDEE_PRIORITY, preempt=False)


class ScreeningGate:
    """Screening lanes of one gate in ``env``, open per slot as ``lanes_per_slot`` says.

    Parameters
    ----------
    env
        The environment; time is in minutes.
    lanes_max
        Physical lanes (the resource's capacity), at least 1.
    lanes_per_slot
        Lanes open in each slot; after the last slot the last value holds until the queue empties.
    slot_min
        Slot length in minutes.
    spill_queue
        Arrivals who find at least this many waiting (not yet in a lane) leave; 0 never.
    """

    def __init__(
        self,
        env: simpy.Environment,
        lanes_max: int,
        lanes_per_slot: Sequence[int],
        slot_min: Minutes,
        spill_queue: int = 0,
    ) -> None:
        if lanes_max < 1:
            raise ValueError(f"A gate model needs at least one lane, got {lanes_max}")
        self.env = env
        self.lanes = LaneResource(env, capacity=lanes_max)
        self.lanes_per_slot = [min(max(n, 0), lanes_max) for n in lanes_per_slot]
        self.slot_min = slot_min
        self.spill_queue = spill_queue
        self.waiting = 0
        self.spilled: list[int] = []
        self.start_min: list[float] = []
        self._arrival_min: Sequence[float] = ()
        self._service_min: Sequence[float] = ()
        self._timeout = env.timeout
        self._on_arrival = self._arrive
        self._on_grant = self._start_screening
        self._on_done = self._finish_screening
        # Started before any arrival so the first slot's closed lanes are held from time 0.
        env.process(self.closer())

    def closer(self) -> Generator[Event, Any, None]:
        """Hold closed lanes at each slot boundary, and hand lanes back when they re-open."""
        holds: list[PriorityRequest] = []
        capacity = self.lanes.capacity
        for slot, open_lanes in enumerate(self.lanes_per_slot):
            closed = capacity - open_lanes
            while len(holds) < closed:
                holds.append(self.lanes.request(priority=CLOSER_PRIORITY, preempt=False))
            while len(holds) > closed:
                # Newest first: those not yet granted are cancelled before granted ones go back.
                hold = holds.pop()
                if hold.triggered:
                    self.lanes.release(hold)
                else:
                    hold.cancel()
            if slot + 1 < len(self.lanes_per_slot):
                yield self.env.timeout((slot + 1) * self.slot_min - self.env._now)

    def admit(self, arrival_min: Sequence[float], service_min: Sequence[float]) -> list[float]:
        """Schedule attendees arriving at ``arrival_min`` (sorted) needing ``service_min``.

        Returns the list that the run fills with each attendee's screening start (NaN until then,
        and after the run for attendees never screened).
        """
        self._arrival_min = arrival_min
        self._service_min = service_min
        self.start_min = [float("nan")] * len(arrival_min)
        if len(arrival_min):
            first = self.env.timeout(arrival_min[0] - self.env.now, value=0)
            first.callbacks.append(self._on_arrival)
        return self.start_min

    # NOTE: the three callbacks below run once per attendee and are inlined for performance: bound
    # methods and ``env.timeout`` are looked up once in ``__init__``, and they read SimPy's
    # ``Event._value`` and ``Environment._now`` (stable since SimPy 3) instead of the checking
    # properties. Together that is 10% of a run.

    def _arrive(self, event: Event) -> None:
        index: int = event._value
        if self.spill_queue and self.waiting >= self.spill_queue:
            self.spilled.append(index)
        else:
            self.waiting += 1
            request = _Screening(self.lanes, index)
            request.callbacks.append(self._on_grant)
        nxt = index + 1
        if nxt < len(self._arrival_min):
            # One pending arrival at a time keeps the event heap small.
            arrival = self._timeout(self._arrival_min[nxt] - self.env._now, nxt)
            arrival.callbacks.append(self._on_arrival)

    def _start_screening(self, event: Event) -> None:
        index = cast(_Screening, event).index
        self.waiting -= 1
        self.start_min[index] = self.env._now
        done = self._timeout(self._service_min[index], event)
        done.callbacks.append(self._on_done)

    def _finish_screening(self, event: Event) -> None:
        self.lanes.release(event._value)


def screen(
    arrival_min: FloatArray,
    service_min: FloatArray,
    lanes_per_slot: Sequence[int],
    lanes_max: int,
    slot_min: Minutes,
    spill_queue: int = 0,
) -> FloatArray:
    """Run one gate and return each attendee's screening start in minutes.

    Attendees never screened (no lane open from their arrival to the end) get ``inf``; those who
    left for another gate on finding ``spill_queue`` or more waiting get ``nan``. A gate with no
    lanes at all screens nobody (nobody waits there either, so nobody spills).
    """
    if lanes_max < 1 or arrival_min.size == 0:
        return np.full(arrival_min.size, np.inf)
    env = simpy.Environment()
    gate = ScreeningGate(env, lanes_max, lanes_per_slot, slot_min, spill_queue)
    start = gate.admit(arrival_min.tolist(), service_min.tolist())
    env.run()
    starts = np.array(start, dtype=np.float64)
    starts = np.where(np.isnan(starts), np.inf, starts)
    starts[gate.spilled] = np.nan
    return starts
