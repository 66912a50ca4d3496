"""Small event plans built straight from the domain dataclasses, for simulation tests."""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.domain.types import (
    CrowdForecast,
    EventPlan,
    Gate,
    GateId,
    OfficerPool,
    OfficerType,
    OfficerTypeId,
    Post,
    PostId,
    PostKind,
    Requirement,
    Ring,
    Risk,
    RiskLevel,
    RiskTargets,
    ScreeningLevel,
    Shift,
    Stint,
    TimeGrid,
    Wave,
    WaveShape,
    Zone,
    ZoneId,
)

POLICE = OfficerTypeId("police")

TARGETS = RiskTargets(
    wait_target_min=5.0,
    wait_quantile=0.9,
    attendees_per_officer=100.0,
    density_warning=1.7,
    density_critical=3.0,
    reserve_share=0.2,
)


def zone(zone_id: str = "stand", area_m2: float = 2000.0) -> Zone:
    return Zone(ZoneId(zone_id), zone_id, Ring.INNER, area_m2)


def gate(
    gate_id: str = "north",
    *,
    zone_id: str = "stand",
    lanes: int = 10,
    officers_per_lane: int = 2,
    level: ScreeningLevel = ScreeningLevel.METAL_DETECTOR,
    service_mean_s: float = 0.0,
    service_cv: float = 0.0,
    share: float = 1.0,
) -> Gate:
    return Gate(
        GateId(gate_id),
        ZoneId(zone_id),
        lanes,
        officers_per_lane,
        level,
        service_mean_s,
        service_cv,
        share,
    )


def post(
    post_id: str,
    kind: PostKind,
    *,
    zone_id: str = "stand",
    start_min: int = 0,
    end_min: int = 240,
    min_officers: int = 0,
    gate_id: str | None = None,
    attendees_per_officer: float = 0.0,
) -> Post:
    return Post(
        PostId(post_id),
        kind,
        ZoneId(zone_id),
        POLICE,
        start_min,
        end_min,
        min_officers,
        GateId(gate_id) if gate_id is not None else None,
        attendees_per_officer,
    )


def uniform_wave(start_min: int, end_min: int, share: float = 1.0) -> Wave:
    return Wave("wave", WaveShape.UNIFORM, share, start_min, end_min)


def plan(
    *,
    gates: tuple[Gate, ...] = (),
    zones: tuple[Zone, ...] = (),
    posts: tuple[Post, ...] = (),
    attendance: int = 1000,
    arrival_waves: tuple[Wave, ...] = (),
    egress_waves: tuple[Wave, ...] = (),
    slot_min: int = 15,
    horizon_min: int = 240,
) -> EventPlan:
    return EventPlan(
        name="test",
        grid=TimeGrid(slot_min, horizon_min),
        zones=zones or (zone(),),
        gates=gates or (gate(),),
        posts=posts,
        crowd=CrowdForecast(
            attendance, arrival_waves or (uniform_wave(0, horizon_min),), egress_waves
        ),
        risk=Risk(RiskLevel.HIGH),
        pool=OfficerPool((OfficerType(POLICE, "police"),)),
    )


def cover(requirements: Sequence[Requirement], grid: TimeGrid) -> tuple[Shift, ...]:
    """One-slot shifts that put exactly the required officers on every post and slot."""
    shifts = []
    for req in requirements:
        for slot, count in enumerate(req.officers):
            start = grid.slot_start(slot)
            end = start + grid.slot_min
            for n in range(count):
                stint = Stint(req.post_id, start, end)
                shifts.append(
                    Shift(f"{req.post_id}-{slot}-{n}", req.officer_type, start, end, 0, 0, (stint,))
                )
    return tuple(shifts)
