"""Erlang C (M/M/s) formulas for stationary staffing of screening lanes.

Computed through the Erlang B recursion, B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), which stays
in [0, 1] and so neither overflows nor loses precision for hundreds of servers, unlike the textbook
sums of A**k / k!. Any time unit works as long as rates and times share it; names say minutes
because the rest of the optimiser uses minutes.
"""

from __future__ import annotations

import math


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/s/s with ``offered_load`` = arrival rate x mean service time."""
    if servers < 0:
        raise ValueError(f"Negative number of servers {servers}")
    if offered_load < 0:
        raise ValueError(f"Negative offered load {offered_load}")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in M/M/s; 1 when ``servers <= offered_load`` (unstable)."""
    if offered_load == 0:
        return 0.0
    if servers <= offered_load:
        return 1.0
    blocking = erlang_b(servers, offered_load)
    return servers * blocking / (servers - offered_load * (1.0 - blocking))


def prob_empty(servers: int, offered_load: float) -> float:
    """Stationary probability p0 that M/M/s is empty; 0 when unstable."""
    if offered_load == 0:
        return 1.0
    if servers <= offered_load:
        return 0.0
    # p0 = 1 / (sum_{k<s} A^k/k! + A^s/s! * s/(s-A)), summed in log space against overflow.
    logs = [k * math.log(offered_load) - math.lgamma(k + 1) for k in range(servers)]
    logs.append(
        servers * math.log(offered_load)
        - math.lgamma(servers + 1)
        + math.log(servers / (servers - offered_load))
    )
    top = max(logs)
    return math.exp(-top - math.log(sum(math.exp(v - top) for v in logs)))


def service_level(
    servers: int, rate_per_min: float, mean_service_min: float, wait_min: float
) -> float:
    """P(W <= wait_min) in M/M/s: 1 - C e^{-(s mu - lambda) t}; 0 when unstable."""
    load = rate_per_min * mean_service_min
    if load == 0:
        return 1.0
    if servers <= load:
        return 0.0
    decay = (servers / mean_service_min - rate_per_min) * wait_min
    return 1.0 - erlang_c(servers, load) * math.exp(-decay)


def mean_wait(servers: int, rate_per_min: float, mean_service_min: float) -> float:
    """Mean time in queue (ASA) in M/M/s: C / (s mu - lambda); ``inf`` when unstable."""
    load = rate_per_min * mean_service_min
    if load == 0:
        return 0.0
    if servers <= load:
        return math.inf
    return erlang_c(servers, load) / (servers / mean_service_min - rate_per_min)


def min_servers_for_wait_quantile(
    rate_per_min: float, mean_service_min: float, wait_target_min: float, quantile: float
) -> int:
    """Fewest servers with P(W <= wait_target_min) >= quantile in M/M/s (0 with no arrivals).

    Raises
    ------
    ValueError
        ``quantile`` is not in (0, 1) (no finite staffing reaches 1), or a rate or time is
        negative.
    """
    if not 0.0 < quantile < 1.0:
        raise ValueError(f"Wait quantile {quantile} is not in (0, 1)")
    if rate_per_min < 0 or mean_service_min < 0 or wait_target_min < 0:
        raise ValueError(
            f"Negative rate {rate_per_min}, service {mean_service_min} or wait {wait_target_min}"
        )
    load = rate_per_min * mean_service_min
    if load == 0:
        return 0
    servers = math.floor(load) + 1
    while service_level(servers, rate_per_min, mean_service_min, wait_target_min) < quantile:
        servers += 1
    return servers
