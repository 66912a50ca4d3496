"""Grid minutes as the clock times a planner reads: one rendering for reports, reasons and diffs."""

from __future__ import annotations

import datetime as dt
import math

from optimizer.domain.types import Minutes, TimeGrid


class Clock:
    """Grid minutes as wall-clock "HH:MM" (with the date on multi-day grids or past midnight) when
    the grid has a start time, "+H:MM" from the horizon start otherwise."""

    def __init__(self, grid: TimeGrid) -> None:
        self.start = grid.start()
        self.multi_day = grid.horizon_min > 24 * 60

    def __call__(self, minute: float) -> str:
        # Whole minutes, rounded down: a simulated moment (a runner at 83.4) reads as 83.
        whole = math.floor(minute)
        if self.start is None:
            sign = "-" if whole < 0 else "+"
            return f"{sign}{abs(whole) // 60:d}:{abs(whole) % 60:02d}"
        moment = self.start + dt.timedelta(minutes=whole)
        if self.multi_day or moment.date() != self.start.date():
            return moment.strftime("%m-%d %H:%M")
        return moment.strftime("%H:%M")

    def span(self, start: Minutes, end: Minutes) -> str:
        return f"{self(start)}-{self(end)}"
