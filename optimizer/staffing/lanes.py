"""Screening lanes per gate and slot that hold the wait target, found by simulation.

A simulation-based iterative staffing in the spirit of Feldman et al. (2008), adapted to a wait
quantile target and to lanes that change per slot (DOMAIN_RESEARCH.md 4.2):

1. Start from the stationary estimate: Erlang C per slot on the slot's arrival rate (SIPP), which
   is close for screening because service takes seconds and slots take minutes.
2. Raise: simulate all replications. A slot misses when the quantile wait of the attendees
   arriving in it exceeds the target, or when any of them is never screened (the lanes closed with
   them queueing). Add lanes to the slot where those attendees' waits crossed the target (usually
   their arrival slot; the next one when a queue carries over into fewer lanes). Repeat until
   every slot holds or no lane can help (capped at ``gate.lanes`` or outside the post's window).
3. Cut: take a lane from every slot that a fluid estimate says can spare one, simulate once, and
   give the lane back where the slot or a neighbour now misses. Each slot is tried once.
4. Raise again where cuts that would hold one by one miss together.

Gates are independent given the attendees (common random numbers), so each gate runs its own
search and a round re-simulates only the gates whose lanes changed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import EventPlan, Gate, GateId, PostKind, RiskTargets
from optimizer.simulation import Simulator, service_mean_s
from optimizer.simulation.arrivals import arrival_curve
from optimizer.simulation.records import GateRun
from optimizer.simulation.sampling import gate_shares
from optimizer.simulation.stats import slot_quantiles
from optimizer.staffing.erlang import min_servers_for_wait_quantile

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Raise rounds per phase; steps grow with the miss, so a handful suffices and this is a safety net.
MAX_RAISE_ROUNDS = 30

# A cut is tried only if, by a fluid estimate, the lanes left clear the slot's excess work in this
# share of the wait target; the rest of the target absorbs randomness. Larger shares try more cuts,
# most of which fail and cost rounds: on a 30,000-attendee stadium 0.25 kept nearly all the saving
# of 0.5 and 1.0 at half the rounds. Cutting saves 4-5% of screening officer-slots on the example
# stadiums and takes two to three times as long as the stationary start alone.
CUT_BACKLOG_SHARE = 0.25


@dataclass(frozen=True)
class GateLanes:
    """Lanes chosen for one gate.

    ``staffed`` is False for a gate without screening posts: its lanes are all open and no
    officer is derived for them. ``active[k]`` says whether a screening post of the gate is on duty
    in slot ``k`` (lanes are 0 otherwise). ``wait_quantile_min`` is the pooled quantile wait with
    the final lanes, ``unscreened`` the attendees (over all replications) arriving in the slot
    who were never screened because the lanes closed with them still queueing, and ``missed`` the
    slots that miss the target (see ``_judge``).
    """

    gate_id: GateId
    lanes: tuple[int, ...]
    staffed: bool
    active: tuple[bool, ...]
    wait_quantile_min: tuple[float, ...]
    unscreened: tuple[int, ...]
    missed: frozenset[int]


@dataclass
class _Search:
    """One gate's lanes under search."""

    gate: Gate
    lanes: list[int]
    active: list[bool]
    # Slots not to cut: raised, or already tried.
    settled: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Judgement:
    """How one gate's lanes did over the replications."""

    runs: tuple[GateRun, ...]
    quantiles: FloatArray
    unscreened: IntArray
    missed: frozenset[int]


_JudgeFn = Callable[[], dict[GateId, _Judgement]]


def staff_lanes(
    plan: EventPlan, targets: RiskTargets, simulator: Simulator
) -> dict[GateId, GateLanes]:
    """Lanes per slot for every gate of ``plan`` (see the module docstring).

    Parameters
    ----------
    plan
        The event; a gate's screening posts decide the slots its lanes may be open.
    targets
        ``wait_target_min`` and ``wait_quantile`` are the target each slot must hold.
    simulator
        Replications to judge lanes by; its cache keeps every gate's last few settings.

    Returns
    -------
    dict
        One ``GateLanes`` per gate, in plan order.
    """
    n_slots = plan.grid.n_slots
    fixed: dict[GateId, list[int]] = {}
    searches: dict[GateId, _Search] = {}
    active: dict[GateId, list[bool]] = {}
    for gate in plan.gates:
        if not _has_screening_post(plan, gate):
            fixed[gate.id] = [gate.lanes] * n_slots
            active[gate.id] = [True] * n_slots
            continue
        active[gate.id] = _active_slots(plan, gate)
        start = _erlang_start(plan, targets, gate)
        lanes = [
            min(n, gate.lanes) if on else 0 for n, on in zip(start, active[gate.id], strict=True)
        ]
        searches[gate.id] = _Search(gate, lanes, active[gate.id])

    def judge() -> dict[GateId, _Judgement]:
        lanes = dict(fixed)
        lanes.update({gate_id: s.lanes for gate_id, s in searches.items()})
        runs = simulator.gate_runs(lanes)
        return {
            gate_id: _judge(runs[gate_id], active[gate_id], plan.grid.slot_min, targets)
            for gate_id in lanes
        }

    _raise_until_held(searches, judge, targets, plan.grid.slot_min)
    before = judge()
    cuts = {
        gate_id: _cut(search, before[gate_id], targets, plan.grid.slot_min)
        for gate_id, search in searches.items()
    }
    if any(cuts.values()):
        after = judge()
        for gate_id, cut in cuts.items():
            harmed = after[gate_id].missed - before[gate_id].missed
            for k in cut:
                if harmed & {k - 1, k, k + 1}:
                    searches[gate_id].lanes[k] += 1
    _raise_until_held(searches, judge, targets, plan.grid.slot_min)

    final = judge()
    out = {}
    for gate in plan.gates:
        found = searches.get(gate.id)
        verdict = final[gate.id]
        out[gate.id] = GateLanes(
            gate_id=gate.id,
            lanes=tuple(found.lanes if found else fixed[gate.id]),
            staffed=found is not None,
            active=tuple(active[gate.id]),
            wait_quantile_min=tuple(float(q) for q in verdict.quantiles),
            unscreened=tuple(int(n) for n in verdict.unscreened),
            missed=verdict.missed,
        )
    return out


def _raise_until_held(
    searches: dict[GateId, _Search],
    judge: _JudgeFn,
    targets: RiskTargets,
    slot_min: int,
) -> None:
    """Raise lanes where slots miss until every slot holds or no lane can help."""
    pending = set(searches)
    for _ in range(MAX_RAISE_ROUNDS):
        if not pending:
            return
        verdicts = judge()
        pending = {
            gate_id
            for gate_id in pending
            if _raise(searches[gate_id], verdicts[gate_id], targets, slot_min)
        }


def _raise(search: _Search, verdict: _Judgement, targets: RiskTargets, slot_min: int) -> bool:
    """Add lanes for each run of consecutive missed slots; False when none can be added."""
    raised = False
    for first, last in _runs_of(sorted(verdict.missed)):
        for slot in range(first, last + 1):
            target = _slot_to_raise(search, verdict.runs, slot, targets, slot_min)
            if target is None:
                continue
            excess = min(float(verdict.quantiles[slot]) - targets.wait_target_min, slot_min)
            # The backlog behind an excess wait of e minutes at L lanes is about e * L lane-minutes;
            # spreading it over a slot takes e * L / slot_min more lanes. Small misses step by one,
            # a queue that never clears about doubles the lanes.
            step = max(1, math.floor(excess * search.lanes[target] / slot_min))
            search.lanes[target] = min(search.gate.lanes, search.lanes[target] + step)
            search.settled.add(target)
            raised = True
            break
    return raised


def _slot_to_raise(
    search: _Search, runs: tuple[GateRun, ...], slot: int, targets: RiskTargets, slot_min: int
) -> int | None:
    """Where attendees arriving in ``slot`` who wait too long cross the target, most often first.

    Only slots that can take another lane (active, below the gate's lanes) qualify. When the
    crossings fall in slots at the gate's lanes, the arrival slot itself if it qualifies: a lane
    there shortens the queue that meets the capped slot. None when no extra lane could help.
    """
    crossings: Counter[int] = Counter()
    n_slots = len(search.lanes)
    for run in runs:
        late = (run.arrival_slot == slot) & (run.wait_min > targets.wait_target_min)
        crossed = (run.arrival_min[late] + targets.wait_target_min) // slot_min
        crossings.update(min(int(k), n_slots - 1) for k in crossed)
    capped = False
    for candidate, _ in sorted(crossings.items(), key=lambda kv: (-kv[1], kv[0])):
        if _can_raise(search, candidate):
            return candidate
        capped = capped or search.active[candidate]
    return slot if capped and _can_raise(search, slot) else None


def _can_raise(search: _Search, slot: int) -> bool:
    return search.active[slot] and search.lanes[slot] < search.gate.lanes


def _cut(search: _Search, verdict: _Judgement, targets: RiskTargets, slot_min: int) -> set[int]:
    """Take a lane from each slot that can likely spare one; return those slots.

    Cutting neighbours at once piles their backlogs up, and cutting even and odd slots in two
    rounds avoids that; on the example stadiums it saved no more lanes and cost a round.
    """
    cuts = {
        k
        for k in range(len(search.lanes))
        if search.lanes[k] > 0
        and k not in search.settled
        and not verdict.missed & {k - 1, k, k + 1}
        and _cut_may_hold(search.lanes[k] - 1, verdict.runs, k, targets.wait_target_min, slot_min)
    }
    for k in cuts:
        search.lanes[k] -= 1
    search.settled |= cuts
    return cuts


def _cut_may_hold(
    lanes: int, runs: tuple[GateRun, ...], slot: int, target_min: float, slot_min: int
) -> bool:
    """Whether ``lanes`` could keep up in ``slot`` by a fluid estimate of the simulated work.

    Work beyond what the lanes do in the slot queues up; if clearing it would take more than
    ``CUT_BACKLOG_SHARE`` of the wait target, the cut is likely to fail and not worth a round.
    """
    arrived = sum(int((run.arrival_slot == slot).sum()) for run in runs)
    if lanes == 0:
        return arrived == 0
    work = sum(float(run.busy_lane_min[slot]) for run in runs) / len(runs)
    backlog = max(0.0, work - lanes * slot_min)
    return backlog / lanes <= CUT_BACKLOG_SHARE * target_min


def _judge(
    runs: tuple[GateRun, ...], active: Sequence[bool], slot_min: int, targets: RiskTargets
) -> _Judgement:
    """Pooled quantile wait per arrival slot, who was never screened, and the slots that miss.

    Attendees never screened make their arrival slot miss only if lanes could have reached them:
    the target is crossed while a post is on duty. Those who arrive less than the target before
    the post ends are left to the plan (the post's window), not the lanes.
    """
    n_slots = len(active)
    waits = np.concatenate([r.wait_min for r in runs])
    slots = np.concatenate([r.arrival_slot for r in runs])
    crossed = np.concatenate([r.arrival_min for r in runs]) + targets.wait_target_min
    crossed_slot = np.minimum(crossed // slot_min, n_slots - 1).astype(np.int64)
    never = ~np.isfinite(waits)
    fixable = never & np.asarray(active, dtype=bool)[crossed_slot]
    quantiles = slot_quantiles(waits, slots, n_slots, targets.wait_quantile)
    unscreened = np.bincount(slots[never], minlength=n_slots)
    unfixed = np.bincount(slots[fixable], minlength=n_slots)
    missed = frozenset(
        k for k in range(n_slots) if quantiles[k] > targets.wait_target_min or unfixed[k] > 0
    )
    return _Judgement(runs, quantiles, unscreened, missed)


def _runs_of(slots: list[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive integers in sorted ``slots`` as (first, last)."""
    runs: list[tuple[int, int]] = []
    for k in slots:
        if runs and k == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def _has_screening_post(plan: EventPlan, gate: Gate) -> bool:
    return any(p.kind is PostKind.SCREENING and p.gate_id == gate.id for p in plan.posts)


def _active_slots(plan: EventPlan, gate: Gate) -> list[bool]:
    active = [False] * plan.grid.n_slots
    for post in plan.posts:
        if post.kind is PostKind.SCREENING and post.gate_id == gate.id:
            for slot in plan.grid.slots_in(post.active_start_min, post.active_end_min):
                active[slot] = True
    return active


def _erlang_start(plan: EventPlan, targets: RiskTargets, gate: Gate) -> list[int]:
    """Stationary (SIPP) lanes per slot from the expected arrival rate at the gate."""
    share = gate_shares(plan)[plan.gates.index(gate)]
    expected = arrival_curve(plan.crowd, plan.grid) * share
    service_min = service_mean_s(gate) / 60.0
    return [
        min_servers_for_wait_quantile(
            float(people) / plan.grid.slot_min,
            service_min,
            targets.wait_target_min,
            targets.wait_quantile,
        )
        for people in expected
    ]
