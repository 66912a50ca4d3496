"""Iterative staffing of a time-varying M_t/M/s_t queue, evaluated exactly, against SIPP.

SIPP (stationary independent period by period) staffs each slot by Erlang C on the slot's own
arrival rate, as if the queue had always been in that slot's steady state. It ignores what a slot
inherits: the queue left by a busy slot is served by the next slot's lanes, so when the load falls
fast the first arrivals of the quieter slot wait behind it and the slot misses its target
(DOMAIN_RESEARCH.md 4.2; Green, Kolesar & Whitt 2007).

The iterative staffing here follows the iterative staffing algorithm of Feldman, Mandelbaum,
Massey & Whitt (2008) in judging each slot by the distribution of the number in system that the
staffing itself produces, but computes that distribution exactly for exponential service instead
of simulating it:

1. Start from SIPP: Erlang C per slot on the slot's arrival rate.
2. Judge a slot by the share of its arrivals that wait longer than the target: with the
   distribution ``p(t)`` of the number in system from the Kolmogorov forward equations (solved by
   uniformisation, so without time steps), an arrival at ``t`` who finds ``n >= s`` in system
   waits for ``n - s + 1`` departures at rate ``s mu``, so P(W > tau | n) = P(Poisson(s mu tau)
   <= n - s) (PASTA). The slot's share is that averaged over the slot (the rate is constant in it).
3. Raise a slot that misses by one server and judge again; raising a slot only shortens the queue
   it hands on, so the later slots never need more. Going slot by slot in time order therefore
   reaches the fixed point of "raise every missed slot" in one sweep.

It never goes below SIPP. On a stationary load the start already holds (the distribution is the
stationary one, and the share of step 2 is exactly Erlang C's ``C e^{-(s mu - lambda) tau}``), so
the result **is** the Erlang C staffing; below it a slot could hold only on the transient of a
better state it inherited. (The textbook ISA update ``min{s : P(L(t) >= s) <= alpha}`` with
``L`` from the previous iterate does *not* have Erlang C as its stationary fixed point exactly: for
A = 100 erlangs and alpha = 0.5 it gives 105 servers against Erlang C's 106; hence this form.)

Approximations, all exact in the stationary case: an arrival's wait is judged with the servers of
its arrival slot; servers leaving at a slot boundary hand their attendee back to the queue (the
SimPy model lets them finish); the state space is cut at ``n_max`` (checked).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from optimizer.staffing.erlang import min_servers_for_wait_quantile

FloatArray = npt.NDArray[np.float64]

# Uniformisation keeps Poisson terms until this much of the weight is left (the error bound).
_TAIL = 1e-13
# Probability allowed in the highest state of the truncated chain before it counts as too small.
_EDGE_MASS = 1e-9
# A slot without arrivals still gets lanes while more people than this are expected in system.
_BACKLOG_MIN = 0.01
# Largest state space solved; a queue that could grow beyond it (a gate far too small for its
# crowd) raises ValueError rather than taking minutes.
MAX_STATES = 20_000


@dataclass(frozen=True)
class Staffing:
    """Servers per slot and how each slot does with them.

    ``wait_tail[k]`` is P(W > target) of the attendees arriving in slot ``k`` (0 with none),
    ``held[k]`` whether it is at most ``1 - quantile``; a slot can miss only at ``max_servers``.
    """

    servers: tuple[int, ...]
    wait_tail: tuple[float, ...]
    held: tuple[bool, ...]


def sipp_staffing(
    rates_per_min: Sequence[float],
    mean_service_min: float,
    wait_target_min: float,
    quantile: float,
    max_servers: int | None = None,
) -> tuple[int, ...]:
    """Erlang C per slot on the slot's own arrival rate (capped at ``max_servers``)."""
    cap = max_servers if max_servers is not None else math.inf
    return tuple(
        int(min(cap, min_servers_for_wait_quantile(r, mean_service_min, wait_target_min, quantile)))
        for r in rates_per_min
    )


def iterative_staffing(
    rates_per_min: Sequence[float],
    slot_min: float,
    mean_service_min: float,
    wait_target_min: float,
    quantile: float,
    *,
    max_servers: int | None = None,
    stationary_start: bool = False,
) -> Staffing:
    """Fewest servers per slot, from SIPP up, that hold P(W > target) <= 1 - quantile per slot.

    Parameters
    ----------
    rates_per_min
        Poisson arrival rate in each slot (constant inside a slot).
    slot_min, mean_service_min, wait_target_min
        Slot length, mean of the exponential service time and the wait target, in minutes.
    quantile
        Share of each slot's arrivals that must wait at most the target, in (0, 1).
    max_servers
        Servers available (lanes of the gate); slots that need more miss at this cap.
    stationary_start
        Start in the steady state of the first slot's staffing instead of empty: the queue has
        run at this load for ever (for the stationary checks); events open empty.

    Returns
    -------
    Staffing
        Servers and the wait tail of each slot with them.

    Raises
    ------
    ValueError
        The queue could outgrow ``MAX_STATES`` (servers far too few for the load).
    """
    sipp = sipp_staffing(rates_per_min, mean_service_min, wait_target_min, quantile, max_servers)
    cap = max_servers if max_servers is not None else max(sipp, default=0) * 4 + 10
    mu = 1.0 / mean_service_min
    alpha = 1.0 - quantile
    n_max = _states(rates_per_min, slot_min, mean_service_min, cap, sipp)
    if n_max > MAX_STATES:
        raise ValueError(f"A queue of up to {n_max} needs more than {MAX_STATES} states")
    p = np.zeros(n_max + 1)
    p[0] = 1.0
    servers: list[int] = []
    tails: list[float] = []
    held: list[bool] = []
    for k, rate in enumerate(rates_per_min):
        s = sipp[k]
        if rate <= 0:
            backlog = float(np.arange(n_max + 1) @ p)
            s = min(cap, max(servers[-1] if servers else 0, 1)) if backlog > _BACKLOG_MIN else 0
        while True:
            start = (
                stationary_distribution(rate, mu, s, n_max) if stationary_start and k == 0 else p
            )
            tail, end = _slot(start, rate, mu, s, slot_min, wait_target_min)
            if tail <= alpha or s >= cap or rate <= 0:
                break
            s += 1
        if end[-1] > _EDGE_MASS:
            raise ValueError(f"State space of {n_max} too small in slot {k}; queue runs away")
        servers.append(s)
        tails.append(tail if rate > 0 else 0.0)
        held.append(rate <= 0 or tail <= alpha)
        p = end
    return Staffing(tuple(servers), tuple(tails), tuple(held))


def slot_wait_tail(
    start: FloatArray,
    rate_per_min: float,
    mean_service_min: float,
    servers: int,
    slot_min: float,
    wait_target_min: float,
) -> tuple[float, FloatArray]:
    """P(W > target) of a slot's arrivals and the distribution at its end, from ``start``.

    ``start[n]`` is the probability of ``n`` in system as the slot begins (the last state is the
    truncation).
    """
    return _slot(start, rate_per_min, 1.0 / mean_service_min, servers, slot_min, wait_target_min)


def _slot(
    start: FloatArray, rate: float, mu: float, s: int, slot_min: float, tau: float
) -> tuple[float, FloatArray]:
    n = start.size - 1
    states = np.arange(n + 1)
    births = np.full(n + 1, rate)
    births[-1] = 0.0  # arrivals finding the (negligible) last state are lost
    deaths = mu * np.minimum(states, s)
    total = rate + mu * s
    if total <= 0:
        return (1.0 if rate > 0 else 0.0), start.copy()
    # Uniformisation: p(t) = sum_k Poisson(k; L t) v P^k with P = I + Q / L, and the time
    # integral of p over [0, h] = (1 / L) sum_k P(Poisson(L h) > k) v P^k.
    stay = 1.0 - (births + deaths) / total
    up = births[:-1] / total
    down = deaths[1:] / total
    mean = total * slot_min
    k_max = int(mean + 10.0 * math.sqrt(mean) + 30)
    ks = np.arange(k_max + 1)
    log_w = -mean + ks * math.log(mean) - np.array([math.lgamma(k + 1.0) for k in ks])
    weights = np.exp(log_w)
    beyond = 1.0 - np.cumsum(weights)
    v = start.copy()
    end = np.zeros(n + 1)
    integral = np.zeros(n + 1)
    for k in range(k_max + 1):
        end += weights[k] * v
        integral += max(beyond[k], 0.0) * v
        if beyond[k] < _TAIL and k > mean:
            break
        nxt = v * stay
        nxt[1:] += v[:-1] * up
        nxt[:-1] += v[1:] * down
        v = nxt
    average = integral / (total * slot_min)
    if rate <= 0:
        return 0.0, end
    return float(average @ _wait_tail_given_n(n, s, mu, tau)), end


def _wait_tail_given_n(n: int, s: int, mu: float, tau: float) -> FloatArray:
    """P(W > tau) for an arrival finding each number in system 0..n with ``s`` servers."""
    tail = np.zeros(n + 1)
    if s <= 0:
        tail[:] = 1.0
        return tail
    ahead = np.arange(n + 1) - s  # P(W > tau) = P(Poisson(s mu tau) <= ahead) when ahead >= 0
    x = s * mu * tau
    if x == 0:
        tail[ahead >= 0] = 1.0
        return tail
    j = np.arange(n + 1)
    pmf = np.exp(-x + j * math.log(x) - np.array([math.lgamma(i + 1.0) for i in j]))
    cdf = np.minimum(np.cumsum(pmf), 1.0)
    busy = ahead >= 0
    tail[busy] = cdf[ahead[busy]]
    return tail


def stationary_distribution(rate: float, mu: float, s: int, n_max: int) -> FloatArray:
    """Steady state of M/M/s cut at ``n_max`` (empty when nothing arrives, all-in-last if s=0)."""
    p = np.zeros(n_max + 1)
    if rate <= 0:
        p[0] = 1.0
        return p
    if s <= 0:
        p[-1] = 1.0
        return p
    log_p = np.zeros(n_max + 1)
    for n in range(1, n_max + 1):
        log_p[n] = log_p[n - 1] + math.log(rate / (mu * min(n, s)))
    p = np.exp(log_p - log_p.max())
    result: FloatArray = p / p.sum()
    return result


def _states(
    rates: Sequence[float],
    slot_min: float,
    mean_service_min: float,
    cap: int,
    sipp: Sequence[int],
) -> int:
    """A state space that holds the queue: the servers plus a generous queue allowance.

    The allowance covers a slot's arrivals piling up, the fluid backlog of slots that all
    ``cap`` servers cannot keep up with, and the geometric tail of the stationary queue at the
    SIPP staffing down to 1e-12 (long near saturation: ratio A/s close to 1).
    """
    backlog = worst = 0.0
    for rate in rates:
        backlog = max(0.0, backlog + (rate - cap / mean_service_min) * slot_min)
        worst = max(worst, backlog)
    peak = max((r * slot_min for r in rates), default=0.0) + worst
    load = max((r * mean_service_min for r in rates), default=0.0)
    tail = 0.0
    for rate, servers in zip(rates, sipp, strict=True):
        ratio = rate * mean_service_min / servers if servers else 0.0
        if 0.0 < ratio < 1.0:
            tail = max(tail, math.log(1e-12) / math.log(ratio))
    return int(cap + load + max(peak, tail) + 10.0 * math.sqrt(peak + load) + 50)
