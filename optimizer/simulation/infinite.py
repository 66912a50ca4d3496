"""The infinite-server queue M(t)/G/inf in SimPy: the model behind the response-load formula.

``staffing.response`` sizes rapid-response units on the modified offered load, the mean number
busy in an infinite-server system fed by the incident rate (Eick, Massey and Whitt 1993:
m(t) = E[integral of the rate over the service's equilibrium residual], which for a rate that
changes within a service time lags and flattens the stationary ``rate x service``). This module
simulates that system directly, so tests can check the closed forms, and the ODE the staffing
integrates, against the project's simulation engine rather than against each other.

Arrivals are a non-homogeneous Poisson process drawn by thinning (Lewis and Shedler 1979):
candidates at the constant ``rate_max`` are kept with probability ``rate(t) / rate_max``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence

import numpy as np
import numpy.typing as npt
import simpy

FloatArray = npt.NDArray[np.float64]


def infinite_server_counts(
    rate: Callable[[float], float],
    rate_max: float,
    service: Callable[[np.random.Generator], float],
    times: Sequence[float],
    rng: np.random.Generator,
) -> FloatArray:
    """Number in system at each of ``times`` in one replication, starting empty at time 0.

    Parameters
    ----------
    rate
        Arrival rate per unit time at time t; must stay within [0, ``rate_max``].
    rate_max
        A bound on ``rate`` for thinning; positive.
    service
        Draws one service time (the same unit as the times) from ``rng``.
    times
        Increasing observation times, at least 0.
    rng
        The replication's random numbers: thinning, gaps and service times all come from it.

    Returns
    -------
    numpy.ndarray
        The count at each of ``times``.
    """
    if rate_max <= 0:
        raise ValueError(f"rate_max must be positive, got {rate_max!r}")
    env = simpy.Environment()
    busy = [0]
    counts = np.zeros(len(times))

    def customer() -> Generator[simpy.Event, None, None]:
        busy[0] += 1
        yield env.timeout(service(rng))
        busy[0] -= 1

    def arrivals() -> Generator[simpy.Event, None, None]:
        while True:
            yield env.timeout(rng.exponential(1.0 / rate_max))
            now = float(env.now)
            kept = rate(now)
            if kept > rate_max * (1 + 1e-12):
                raise ValueError(f"rate {kept!r} at {now:g} exceeds rate_max {rate_max!r}")
            if rng.random() * rate_max < kept:
                env.process(customer())

    def observer() -> Generator[simpy.Event, None, None]:
        for k, at in enumerate(times):
            yield env.timeout(max(0.0, at - float(env.now)))
            counts[k] = busy[0]

    env.process(arrivals())
    done = env.process(observer())
    env.run(until=done)
    return counts
