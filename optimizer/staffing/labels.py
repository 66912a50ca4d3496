"""Short labels shared by requirement reasons and verification checks."""

from __future__ import annotations

import datetime as dt


def quantile_label(q: float) -> str:
    """``0.9`` -> ``"P90"``, ``0.975`` -> ``"P97.5"``."""
    return f"P{q * 100:g}"


def people(count: float) -> str:
    """A head count with thousands separators: ``8420.4`` -> ``"8,420"``."""
    return f"{count:,.0f}"


def clock(start_time: str, minute: float) -> str:
    """``minute`` of the horizon as wall-clock HH:MM when ``start_time`` is ISO 8601, else +H:MM."""
    whole = int(minute // 1)
    try:
        start = dt.datetime.fromisoformat(start_time)
    except ValueError:
        sign = "-" if whole < 0 else "+"
        return f"{sign}{abs(whole) // 60}:{abs(whole) % 60:02d}"
    return (start + dt.timedelta(minutes=whole)).strftime("%H:%M")
