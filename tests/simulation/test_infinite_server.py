"""M(t)/G/inf simulated in SimPy against the closed forms, and against the staffing's MOL load.

Starting empty, the number in an M(t)/G/inf system at time t is Poisson with mean
m(t) = integral over u of rate(t - u) P(S > u) (Eick, Massey and Whitt 1993), so the mean of R
replications has standard deviation sqrt(m(t) / R): the checks below are z-scores.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest

from optimizer.simulation.infinite import infinite_server_counts
from optimizer.staffing.response import modified_offered_load

A, B, PERIOD = 1.0, 0.8, 120.0  # arrivals per minute: A + B sin(c t)
C = 2 * math.pi / PERIOD
SERVICE = 10.0  # mean service minutes
REPS = 60
TIMES = np.arange(150.0, 450.0, 5.0)  # past the start-up transient from empty

FloatArray = npt.NDArray[np.float64]


def rate(t: float) -> float:
    return A + B * math.sin(C * t)


def simulated_mean(service: str, seed: int) -> FloatArray:
    def draw(rng: np.random.Generator) -> float:
        return float(rng.exponential(SERVICE)) if service == "exponential" else SERVICE

    rng = np.random.default_rng(seed)
    runs = [infinite_server_counts(rate, A + B, draw, TIMES.tolist(), rng) for _ in range(REPS)]
    mean: FloatArray = np.mean(runs, axis=0)
    return mean


def z_scores(mean: FloatArray, expected: FloatArray) -> FloatArray:
    scores: FloatArray = (mean - expected) / np.sqrt(expected / REPS)
    return scores


def exponential_mean(t: FloatArray) -> FloatArray:
    """Eick, Massey & Whitt: m(t) = a/mu + b (mu sin ct - c cos ct) / (mu^2 + c^2)."""
    mu = 1 / SERVICE
    m: FloatArray = A / mu + B * (mu * np.sin(C * t) - C * np.cos(C * t)) / (mu**2 + C**2)
    return m


def deterministic_mean(t: FloatArray) -> FloatArray:
    """Fixed service D: m(t) = integral of the rate over (t - D, t]."""
    m: FloatArray = A * SERVICE + B / C * (np.cos(C * (t - SERVICE)) - np.cos(C * t))
    return m


@pytest.mark.parametrize(
    ("service", "closed_form"),
    [("exponential", exponential_mean), ("deterministic", deterministic_mean)],
)
def test_simulated_mean_number_in_system_matches_the_closed_form(
    service: str, closed_form: object
) -> None:
    assert callable(closed_form)
    mean = simulated_mean(service, seed=11)
    scores = z_scores(mean, closed_form(TIMES))
    assert np.abs(scores).max() < 4.5
    # Errors scatter around 0 instead of leaning one way (e.g. a lag the closed form lacks).
    assert abs(scores.mean()) < 1.0


def test_the_stationary_shortcut_is_rejected_by_the_same_test() -> None:
    """rate(t) x E[S] (SIPP) ignores the lag; with 10-minute services on a 2-hour cycle it is
    off by several standard errors, so the test above has the power to tell them apart."""
    mean = simulated_mean("deterministic", seed=11)
    sipp = np.array([rate(float(t)) * SERVICE for t in TIMES])
    assert np.abs(z_scores(mean, sipp)).max() > 6


def test_the_staffing_mol_load_follows_the_simulated_system() -> None:
    """The MOL ODE that sizes response units (exponential service, rate constant per step) is the
    simulated exponential system's mean, within the same sampling error."""
    step = 0.25
    grid = np.arange(0.0, TIMES[-1] + step, step)
    rates = [
        A + B * (math.cos(C * t) - math.cos(C * (t + step))) / (C * step) for t in grid.tolist()
    ]
    # modified_offered_load gives each step's largest value: its end on the way up, its start
    # on the way down; within a 0.25-minute step the two differ by well under the error.
    loads = modified_offered_load(rates, SERVICE, step)
    at_times = loads[np.searchsorted(grid, TIMES)]
    scores = z_scores(simulated_mean("exponential", seed=12), at_times)
    assert np.abs(scores).max() < 4.5


def test_thinning_rejects_a_rate_above_its_bound() -> None:
    with pytest.raises(ValueError, match="exceeds rate_max"):
        infinite_server_counts(lambda t: 2.0, 1.0, lambda rng: 1.0, [5.0], np.random.default_rng())
