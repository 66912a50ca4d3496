"""Short labels shared by requirement reasons and verification checks."""

from __future__ import annotations


def quantile_label(q: float) -> str:
    """``0.9`` -> ``"P90"``, ``0.975`` -> ``"P97.5"``."""
    return f"P{q * 100:g}"


def people(count: float) -> str:
    """A head count with thousands separators: ``8420.4`` -> ``"8,420"``."""
    return f"{count:,.0f}"
