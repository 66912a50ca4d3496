"""Screening lanes per gate and slot that hold the wait target, found by simulation.

A simulation-based iterative staffing in the spirit of Feldman et al. (2008), adapted to a wait
quantile target and to lanes that change per slot (DOMAIN_RESEARCH.md 4.2):

1. Start from the exact iterative staffing of ``staffing.isa``: Erlang C per slot on the slot's
   arrival rate (SIPP), plus lanes where a busy slot hands a queue to a quieter one, computed for
   the M_t/M/s_t queue with the wait target adjusted to the gate's service variability. No cut
   goes below this start (see ``_exact_start``).
2. Raise: simulate all replications. A slot misses when the quantile wait of the attendees
   arriving in it exceeds the target, or when any of them is never screened (the lanes closed with
   them queueing). Add lanes to the slot where those attendees' waits crossed the target (usually
   their arrival slot; the next one when a queue carries over into fewer lanes). Repeat until
   every slot holds or no lane can help (capped at ``gate.lanes`` or outside the post's window).
3. Cut: take a lane from every slot that a fluid estimate says can spare one, simulate once, and
   give the lane back where the slot or a neighbour now misses. Each slot is tried once.
4. Raise again where cuts that would hold one by one miss together.

Gates are independent given the attendees (common random numbers), so each gate runs its own
search and a round re-simulates only the gates whose lanes changed (spill-over aside: a gate
re-runs with the gates that spill into it).

Confidence margin. A slot holds only if the *upper confidence bound* of its quantile wait is
within the target, not just the estimate. The replications are independent, so the spread of the
per-replication quantile waits measures the sampling error of the pooled one: the bound is the
pooled quantile plus ``t(CONFIDENCE, R - 1) * sd / sqrt(R)`` over the R replications' quantiles of
the slot (no margin with one replication, which has no spread). Without it, lanes fitted to one
set of random numbers hold the target on those numbers only: a re-simulation with fresh numbers
(verification) then misses by sampling error about half the time in slots fitted to the edge,
e.g. 5.3 min against 5.0 at the stadium example's VIP gate.

Confirmation. The margin measures the spread of the replications the search fitted to, but the
search ends where those replications happen to be kind (it cuts while they say a slot holds), so
right after a sharp drop in lanes their spread understates the true one. The lanes found are
therefore judged again on as many independent replications (``confirm_seed``) and raised where
those miss. Stadium example, seed 1, 20 fresh sets of 10 replications
(``benchmarks/bench_robustness.py``): 14 of 20 sets held every gate and slot without it (worst
P90 8.2 min against 5), 20 of 20 with it (worst 3.5 min), for 582 lane-slots instead of 581.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import EventPlan, Gate, GateId, PostKind, RiskTargets
from optimizer.risk import gate_targets
from optimizer.simulation import Simulator, service_cv, service_mean_s
from optimizer.simulation.arrivals import arrival_curve
from optimizer.simulation.records import GateRun
from optimizer.simulation.sampling import gate_shares
from optimizer.simulation.stats import ci_half_width, slot_quantiles
from optimizer.staffing.isa import iterative_staffing, sipp_staffing

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

# One-sided confidence of the bound a slot's quantile wait must hold the target in (see above).
CONFIDENCE = 0.95
# Lanes must also hold on independent replications (see ``_confirm``), drawn from this stream.
CONFIRM_ON_FRESH = True
CONFIRM_STREAM = 0x636F6E
# One-sided 95% Student t quantiles by degrees of freedom 1-30; the normal 1.645 beyond.
_T95 = (
    6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812,
    1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725,
    1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
)  # fmt: skip


@dataclass(frozen=True)
class GateLanes:
    """Lanes chosen for one gate.

    ``staffed`` is False for a gate without screening posts: its lanes are all open and no
    officer is derived for them. ``active[k]`` says whether a screening post of the gate is on duty
    in slot ``k`` (lanes are 0 otherwise). ``wait_quantile_min`` is the pooled quantile wait with
    the final lanes and ``wait_upper_min`` its upper confidence bound (see the module docstring),
    ``unscreened`` the attendees (over all replications) arriving in the slot
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
    wait_upper_min: tuple[float, ...] = ()
    # Half-width of the two-sided 95% confidence interval of wait_quantile_min.
    wait_ci_min: tuple[float, ...] = ()


@dataclass
class _Search:
    """One gate's lanes under search."""

    gate: Gate
    lanes: list[int]
    active: list[bool]
    # The gate's own targets (plan, zone and gate overrides applied).
    targets: RiskTargets
    # Lanes no cut goes below: the exact start (see ``_exact_start``).
    floor: list[int] = field(default_factory=list)
    # Slots not to cut: raised, or already tried.
    settled: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Judgement:
    """How one gate's lanes did over the replications."""

    runs: tuple[GateRun, ...]
    quantiles: FloatArray
    upper: FloatArray
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
        The plan level's targets; each gate holds its own ``wait_target_min`` at its own
        ``wait_quantile`` in every slot (``risk.gate_targets``: zone and gate overrides).
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
    own = {gate.id: gate_targets(plan, targets, gate) for gate in plan.gates}
    for gate in plan.gates:
        if not _has_screening_post(plan, gate):
            fixed[gate.id] = [gate.lanes] * n_slots
            active[gate.id] = [True] * n_slots
            continue
        active[gate.id] = _active_slots(plan, gate)
        start = _exact_start(plan, own[gate.id], gate)
        lanes = [
            min(n, gate.lanes) if on else 0 for n, on in zip(start, active[gate.id], strict=True)
        ]
        searches[gate.id] = _Search(gate, lanes, active[gate.id], own[gate.id], floor=list(lanes))

    def judge() -> dict[GateId, _Judgement]:
        lanes = dict(fixed)
        lanes.update({gate_id: s.lanes for gate_id, s in searches.items()})
        runs = simulator.gate_runs(lanes)
        return {
            gate_id: _judge(runs[gate_id], active[gate_id], plan.grid.slot_min, own[gate_id])
            for gate_id in lanes
        }

    _raise_until_held(searches, judge, plan.grid.slot_min)
    before = judge()
    cuts = {
        gate_id: _cut(search, before[gate_id], plan.grid.slot_min)
        for gate_id, search in searches.items()
    }
    if any(cuts.values()):
        after = judge()
        for gate_id, cut in cuts.items():
            harmed = after[gate_id].missed - before[gate_id].missed
            for k in cut:
                if harmed & {k - 1, k, k + 1}:
                    searches[gate_id].lanes[k] += 1
    _raise_until_held(searches, judge, plan.grid.slot_min)
    if CONFIRM_ON_FRESH and simulator.replications > 1 and searches:
        _confirm(plan, simulator, searches, fixed, active)

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
            wait_upper_min=tuple(float(u) for u in verdict.upper),
            wait_ci_min=tuple(
                float(h) for h in _ci(verdict.runs, len(active[gate.id]), own[gate.id])
            ),
        )
    return out


def confirm_seed(seed: int) -> int:
    """Seed of the confirmation replications: a stream of ``seed`` no other stage uses."""
    state = np.random.SeedSequence(seed, spawn_key=(CONFIRM_STREAM,)).generate_state(1)
    return int(state[0]) >> 1


def _confirm(
    plan: EventPlan,
    simulator: Simulator,
    searches: dict[GateId, _Search],
    fixed: dict[GateId, list[int]],
    active: dict[GateId, list[bool]],
) -> None:
    """Raise lanes until they also hold on replications the search never saw.

    The search keeps cutting a lane while its own replications say the slot holds, so it ends
    where those replications happen to be kind: right after a sharp drop in lanes the spread of
    the fitted replications understates the true one (stadium example, gate_s1 after kick-off:
    fitted P90 3.0 min, 95% bound 3.7, fresh sets up to 7.1). Judging the same lanes on an
    independent set and raising where it misses removes most of that selection bias.
    """
    with simulator.sibling(confirm_seed(simulator.seed)) as fresh:

        def judge() -> dict[GateId, _Judgement]:
            lanes = dict(fixed)
            lanes.update({gate_id: s.lanes for gate_id, s in searches.items()})
            runs = fresh.gate_runs(lanes)
            return {
                gate_id: _judge(runs[gate_id], active[gate_id], plan.grid.slot_min, s.targets)
                for gate_id, s in searches.items()
            }

        _raise_until_held(searches, judge, plan.grid.slot_min)


def _ci(runs: Sequence[GateRun], n_slots: int, targets: RiskTargets) -> FloatArray:
    """Half-width of the 95% confidence interval of each slot's quantile wait."""
    by_rep = np.array(
        [slot_quantiles(r.wait_min, r.arrival_slot, n_slots, targets.wait_quantile) for r in runs]
    )
    return ci_half_width(by_rep.reshape(len(runs), n_slots))


def _raise_until_held(searches: dict[GateId, _Search], judge: _JudgeFn, slot_min: int) -> None:
    """Raise lanes where slots miss until every slot holds or no lane can help."""
    pending = set(searches)
    for _ in range(MAX_RAISE_ROUNDS):
        if not pending:
            return
        verdicts = judge()
        pending = {
            gate_id for gate_id in pending if _raise(searches[gate_id], verdicts[gate_id], slot_min)
        }


def _raise(search: _Search, verdict: _Judgement, slot_min: int) -> bool:
    """Add lanes for each run of consecutive missed slots; False when none can be added."""
    targets = search.targets
    raised = False
    for first, last in _runs_of(sorted(verdict.missed)):
        for slot in range(first, last + 1):
            target = _slot_to_raise(search, verdict.runs, slot, targets, slot_min)
            if target is None:
                continue
            excess = min(float(verdict.upper[slot]) - targets.wait_target_min, slot_min)
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
    # No one crossed the target (a miss on the confidence bound only): a lane in the slot itself
    # is what helps.
    return slot if (capped or not crossings) and _can_raise(search, slot) else None


def _can_raise(search: _Search, slot: int) -> bool:
    return search.active[slot] and search.lanes[slot] < search.gate.lanes


def _cut(search: _Search, verdict: _Judgement, slot_min: int) -> set[int]:
    """Take a lane from each slot that can likely spare one; return those slots.

    Cutting neighbours at once piles their backlogs up, and cutting even and odd slots in two
    rounds avoids that; on the example stadiums it saved no more lanes and cost a round.
    """
    cuts = {
        k
        for k in range(len(search.lanes))
        if search.lanes[k] > (search.floor[k] if search.floor else 0)
        and k not in search.settled
        and not verdict.missed & {k - 1, k, k + 1}
        and _cut_may_hold(
            search.lanes[k] - 1, verdict.runs, k, search.targets.wait_target_min, slot_min
        )
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

    A slot misses when the upper confidence bound of its quantile wait exceeds the target (see
    ``wait_upper_bound``). Attendees never screened make their arrival slot miss only if lanes
    could have reached them: the target is crossed while a post is on duty. Those who arrive less
    than the target before the post ends are left to the plan (the post's window), not the lanes.
    """
    n_slots = len(active)
    waits = np.concatenate([r.wait_min for r in runs])
    slots = np.concatenate([r.arrival_slot for r in runs])
    crossed = np.concatenate([r.arrival_min for r in runs]) + targets.wait_target_min
    crossed_slot = np.minimum(crossed // slot_min, n_slots - 1).astype(np.int64)
    never = ~np.isfinite(waits)
    fixable = never & np.asarray(active, dtype=bool)[crossed_slot]
    quantiles = slot_quantiles(waits, slots, n_slots, targets.wait_quantile)
    by_rep = np.array(
        [slot_quantiles(r.wait_min, r.arrival_slot, n_slots, targets.wait_quantile) for r in runs]
    )
    upper = wait_upper_bound(quantiles, by_rep)
    unscreened = np.bincount(slots[never], minlength=n_slots)
    unfixed = np.bincount(slots[fixable], minlength=n_slots)
    missed = frozenset(
        k for k in range(n_slots) if upper[k] > targets.wait_target_min or unfixed[k] > 0
    )
    return _Judgement(runs, quantiles, upper, unscreened, missed)


def wait_upper_bound(pooled: FloatArray, by_rep: FloatArray) -> FloatArray:
    """Upper ``CONFIDENCE`` bound of each slot's pooled quantile wait.

    Parameters
    ----------
    pooled
        The quantile wait per slot over all replications' attendees, shape (n_slots,).
    by_rep
        The same quantile per replication, shape (replications, n_slots).

    Returns
    -------
    numpy.ndarray
        ``pooled + t * sd / sqrt(R)`` per slot, with ``sd`` the sample standard deviation of the
        replications' quantiles; ``pooled`` itself with one replication, and ``inf`` where any
        replication's quantile is infinite (attendees never screened).
    """
    reps = by_rep.shape[0]
    if reps < 2:
        return pooled.copy()
    t = _T95[reps - 2] if reps - 1 <= len(_T95) else 1.645
    finite = np.isfinite(by_rep).all(axis=0)
    safe = np.where(finite, by_rep, 0.0)
    margin = t * safe.std(axis=0, ddof=1) / math.sqrt(reps)
    bound: FloatArray = np.where(finite, pooled + margin, np.inf)
    return bound


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


def _exact_start(plan: EventPlan, targets: RiskTargets, gate: Gate) -> list[int]:
    """Lanes from the exact iterative staffing of ``staffing.isa``, a floor under every cut.

    The M_t/M/s_t model sees the queue a busy slot hands to a quieter one, which a set of
    replications sees only when one of them happens to build a long queue there (on the stadium
    example, one replication in twelve). Its exponential service is more variable than the
    gate's; the wait target is rescaled by the Allen-Cunneen factor 2 / (1 + cv^2) so that the
    M/M queue's waits stand for the gate's (waits in G/G/s scale by about (1 + cv^2) / 2).
    """
    share = gate_shares(plan)[plan.gates.index(gate)]
    rates = arrival_curve(plan.crowd, plan.grid) * share / plan.grid.slot_min
    cv = service_cv(gate)
    rate_list = [float(r) for r in rates]
    service_min = service_mean_s(gate) / 60.0
    target = targets.wait_target_min * 2.0 / (1.0 + cv**2)
    try:
        found = iterative_staffing(
            rate_list,
            plan.grid.slot_min,
            service_min,
            target,
            targets.wait_quantile,
            max_servers=gate.lanes,
        ).servers
    except ValueError:
        # A gate far too small for its crowd: its queue outgrows the exact model; the search
        # starts from SIPP and finds the slots capped.
        found = sipp_staffing(rate_list, service_min, target, targets.wait_quantile, gate.lanes)
    return list(found)
