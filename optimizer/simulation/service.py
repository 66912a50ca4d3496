"""Screening service times: the defaults per screening level and the random draw."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from optimizer.domain.types import Gate, ScreeningLevel

FloatArray = npt.NDArray[np.float64]

# Mean seconds per attendee and lane when the gate gives none. Sources: DOMAIN_RESEARCH.md 3.1 and
# the defaults table in 6: ticket gate 660/h (Green Guide practice, 11/min); walk-through metal
# detector 600/h (NFL stadium studies, 5-7 s); detector plus bag check 420/h (hand search with bags
# 4-7/min); plus real-name ID check 240/h (4/min, no measured rate exists, a judgement).
DEFAULT_SERVICE_MEAN_S: dict[ScreeningLevel, float] = {
    ScreeningLevel.TICKET_ONLY: 3600 / 660,  # 5.45 s
    ScreeningLevel.METAL_DETECTOR: 3600 / 600,  # 6.0 s
    ScreeningLevel.BAG_CHECK: 3600 / 420,  # 8.57 s
    ScreeningLevel.REAL_NAME_ID: 3600 / 240,  # 15.0 s
}

# Coefficient of variation when the gate gives none: a judgement; a gamma with cv 0.5 has the
# right-skew of observed screening times without the memoryless tail of cv 1.
DEFAULT_SERVICE_CV = 0.5


def service_mean_s(gate: Gate) -> float:
    """Mean screening time per attendee in seconds: the gate's own, or its level's default."""
    if gate.service_mean_s > 0:
        return gate.service_mean_s
    return DEFAULT_SERVICE_MEAN_S[gate.screening_level]


def service_cv(gate: Gate) -> float:
    """Coefficient of variation of the screening time: the gate's own, or the default."""
    return gate.service_cv if gate.service_cv > 0 else DEFAULT_SERVICE_CV


def draw_service_min(gate: Gate, people: int, rng: np.random.Generator) -> FloatArray:
    """Screening times in minutes for ``people`` attendees: gamma with the gate's mean and cv.

    A gamma with shape ``1 / cv**2`` and scale ``mean * cv**2`` has exactly that mean and cv; cv 1
    gives the exponential of the M/M/c model.
    """
    mean_min = service_mean_s(gate) / 60.0
    cv = service_cv(gate)
    return rng.gamma(1.0 / cv**2, mean_min * cv**2, size=people)
