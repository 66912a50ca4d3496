"""Patrols tighten their ratio as a zone's density passes the warning threshold."""

from __future__ import annotations

import dataclasses
import math

import pytest
from sim_factories import TARGETS, cover, gate, plan, post, uniform_wave, zone

from optimizer.domain.types import PostKind, ZoneId, ZoneSlotStats
from optimizer.staffing.posts import density_scale, patrol_requirement
from optimizer.staffing.requirements import derive_requirements
from optimizer.verify import verify

# Warning 1.7, critical 3.0 persons/m2; officers per attendee doubled at critical.
SCALED = dataclasses.replace(TARGETS, patrol_density_factor=2.0)


@pytest.mark.parametrize(
    ("density", "scale"), [(0.0, 1.0), (1.7, 1.0), (2.35, 1.5), (3.0, 2.0), (4.5, 2.0)]
)
def test_scale_rises_linearly_from_warning_to_critical(density: float, scale: float) -> None:
    assert density_scale(density, SCALED) == pytest.approx(scale)
    assert density_scale(density, TARGETS) == 1.0


def test_requirement_above_warning_has_more_officers_and_says_why() -> None:
    p = plan(posts=(post("patrol", PostKind.PATROL),))
    n = p.grid.n_slots
    dense = ZoneSlotStats(ZoneId("stand"), (4700.0,) * n, (4700.0,) * n, (2.35,) * n)
    req = patrol_requirement(p, p.posts[0], dense, SCALED)
    assert req.officers[0] == math.ceil(4700 * 1.5 / 100 * 1.2)
    assert req.reasons[0] == (
        "ratio 1:67 (1:100 x1.50 at 2.35 persons/m2, above warning 1.7)"
        " on 4,700 present in stand (+20% reserve)"
    )
    plain = patrol_requirement(p, p.posts[0], dense, TARGETS)
    assert plain.officers[0] == math.ceil(4700 / 100 * 1.2)


def test_verification_holds_the_scaled_ratio() -> None:
    """A crowd packed above the warning density: the unscaled roster is short, the scaled holds."""
    p = plan(
        zones=(zone("stand", area_m2=1000.0),),
        gates=(gate(lanes=10),),
        posts=(
            post("screen", PostKind.SCREENING, gate_id="north"),
            post("patrol", PostKind.PATROL),
        ),
        attendance=2500,
        arrival_waves=(uniform_wave(0, 60),),
    )
    scaled, _ = derive_requirements(p, SCALED, 3, seed=0)
    plain, _ = derive_requirements(p, TARGETS, 3, seed=0)
    assert sum(scaled[1].officers) > sum(plain[1].officers)
    checks, result = verify(p, SCALED, cover(scaled, p.grid), scaled, 3, seed=0)
    patrol = {c.name: c for c in checks}["patrol ratio stand"]
    assert patrol.met and "tightening to 1/2" in patrol.target
    assert max(result.zones[0].density_max) > SCALED.density_warning
    checks, _ = verify(p, SCALED, cover(plain, p.grid), scaled, 3, seed=0)
    assert not {c.name: c for c in checks}["patrol ratio stand"].met
