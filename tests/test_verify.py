from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sim_factories import TARGETS, cover, gate, plan, post, uniform_wave, zone

from optimizer.domain.coverage import officers_by_post
from optimizer.domain.types import (
    EventPlan,
    PostId,
    PostKind,
    Requirement,
    Shift,
    SimulationResult,
    TargetCheck,
)
from optimizer.simulation.stats import ci_half_width
from optimizer.staffing.requirements import derive_requirements
from optimizer.verify import _bound_text, _mean_bound, rostered_lanes, verification_seed, verify

REPS = 3


@pytest.fixture(scope="module")
def event() -> EventPlan:
    """A gate with ample lanes, a patrolled stand, a fixed post; 2,000 arrive over two hours."""
    return plan(
        zones=(zone("stand", area_m2=1500.0),),
        gates=(gate(lanes=8),),
        posts=(
            post("screen", PostKind.SCREENING, gate_id="north"),
            post("patrol", PostKind.PATROL),
            post("fixed", PostKind.FIXED, min_officers=2),
        ),
        attendance=2000,
        arrival_waves=(uniform_wave(0, 120),),
    )


@pytest.fixture(scope="module")
def required(event: EventPlan) -> tuple[Requirement, ...]:
    requirements, _ = derive_requirements(event, TARGETS, REPS, seed=0)
    return requirements


def checks_by_name(
    event: EventPlan, requirements: tuple[Requirement, ...], shifts: tuple[Shift, ...]
) -> tuple[dict[str, TargetCheck], SimulationResult]:
    checks, result = verify(event, TARGETS, shifts, requirements, REPS, seed=0)
    return {c.name: c for c in checks}, result


def without(shifts: tuple[Shift, ...], post_id: str, slot_start: int) -> tuple[Shift, ...]:
    """The shifts less every officer on ``post_id`` in the slot starting at ``slot_start``."""
    return tuple(
        s for s in shifts if not (s.stints[0].post_id == post_id and s.start_min == slot_start)
    )


def test_a_roster_covering_the_requirements_meets_every_target(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    checks, result = checks_by_name(event, required, cover(required, event.grid))
    assert set(checks) == {
        "screening wait north",
        "patrol ratio stand",
        "density stand",
        "minimum posts",
    }
    assert all(c.met for c in checks.values()), checks
    wait = checks["screening wait north"]
    assert wait.target == "P90 wait <= 5.0 min" and wait.unit == "min"
    assert wait.value == max(result.gates[0].wait_quantile_min)
    assert checks["minimum posts"].value == 0
    # The worst slot's 95% confidence interval over the replications comes with the value.
    stats = result.gates[0]
    worst = stats.wait_quantile_min.index(wait.value)
    assert wait.value_ci == stats.wait_quantile_ci_min[worst] > 0
    assert "95% CI" in wait.detail


def test_verification_draws_its_own_random_numbers(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    _, result = verify(event, TARGETS, cover(required, event.grid), required, REPS, seed=0)
    _, fitted = derive_requirements(event, TARGETS, REPS, seed=0)
    assert result.seed == verification_seed(0) != 0
    assert result.gates[0].arrivals_mean != fitted.gates[0].arrivals_mean
    assert 0 <= verification_seed(12345) < 2**31


def test_lanes_follow_the_rostered_screening_officers(event: EventPlan) -> None:
    """2 officers per lane: 5 officers staff 2 lanes; more than 8 lanes' worth is capped."""
    on_post = {PostId("screen"): [5, 0, 17] + [2] * 13}
    assert rostered_lanes(event, on_post)["north"][:4] == [2, 0, 8, 1]


def test_missing_screening_officers_miss_the_wait(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    """No screening from 30 to 45: those arrivals wait for the next slot."""
    checks, _ = checks_by_name(event, required, without(cover(required, event.grid), "screen", 30))
    wait = checks["screening wait north"]
    assert not wait.met
    assert wait.value > 5.0
    assert wait.replications_met == 0.0
    assert "+0:30" in wait.detail


def test_patrol_short_of_the_ratio(event: EventPlan, required: tuple[Requirement, ...]) -> None:
    last = event.grid.slot_start(event.grid.n_slots - 1)
    checks, _ = checks_by_name(
        event, required, without(cover(required, event.grid), "patrol", last)
    )
    patrol = checks["patrol ratio stand"]
    assert not patrol.met
    assert patrol.value == float("inf")  # nobody on patrol with the stand full
    assert patrol.detail.startswith("above the ratio in +3:45 (2,")
    assert checks["minimum posts"].value == 1


def test_fixed_post_short(event: EventPlan, required: tuple[Requirement, ...]) -> None:
    shifts = cover(required, event.grid)
    one_short = tuple(s for s in shifts if s.officer_id != "fixed-0-0")
    check = checks_by_name(event, required, one_short)[0]["minimum posts"]
    assert not check.met and check.value == 1.0 and check.replications_met == 0.0
    assert check.detail == "fixed short in 1 slot from +0:00"


def test_density_above_critical_names_warning_slots(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    small = dataclasses.replace(event, zones=(zone("stand", area_m2=500.0),))
    checks, result = checks_by_name(small, required, cover(required, small.grid))
    density = checks["density stand"]
    assert density.value == max(result.zones[0].density_max) > 3.0
    assert not density.met and density.replications_met == 0.0
    assert density.detail.startswith("above warning 1.7 persons/m2 in +")


def test_wall_clock_labels_when_the_plan_has_a_start_time(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    timed = dataclasses.replace(
        event, grid=dataclasses.replace(event.grid, start_time="2025-05-01T18:00")
    )
    checks, _ = checks_by_name(timed, required, without(cover(required, timed.grid), "screen", 30))
    assert "18:30" in checks["screening wait north"].detail


def test_checks_carry_the_confidence_interval_of_the_mean_over_replications(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    checks, result = checks_by_name(event, required, cover(required, event.grid))
    density = checks["density stand"]
    by_rep = np.array([[p / 1500.0 for p in peaks] for peaks in _peaks_by_rep(event, required)])
    upper = by_rep.mean(axis=0) + ci_half_width(by_rep)
    worst = int(np.argmax(upper))
    assert density.value_ci == pytest.approx(ci_half_width(by_rep)[worst])
    assert density.met_at_bound is bool((upper < 3.0).all()) is True
    assert "95% CI" in density.detail and "met at the 95% confidence bound" in density.detail
    assert result.zones[0].density_peak_ci[worst] == pytest.approx(density.value_ci)
    patrol = checks["patrol ratio stand"]
    assert patrol.value_ci > 0 and patrol.met_at_bound is not None
    wait = checks["screening wait north"]
    stats = result.gates[0]
    held = all(
        w + h <= 5.0
        for w, h in zip(stats.wait_quantile_min, stats.wait_quantile_ci_min, strict=True)
    )
    assert wait.met_at_bound is held


def _peaks_by_rep(event: EventPlan, required: tuple[Requirement, ...]) -> np.ndarray:
    from optimizer.simulation import simulate_detailed

    on_post = officers_by_post(cover(required, event.grid), event.grid)
    run = simulate_detailed(
        event, TARGETS, rostered_lanes(event, on_post), REPS, verification_seed(0)
    )
    peaks: np.ndarray = run.occupancy_max_by_rep["stand"]
    return peaks


def test_a_target_met_by_the_worst_replication_can_miss_at_the_bound() -> None:
    """Two replications far apart: the mean is within the limit, its 95% bound is not."""
    by_rep = np.array([[1.0, 2.0], [3.0, 2.0]])
    bound = _mean_bound(event_without_start(), by_rep, [0, 1], 2.5, "{:.1f}".format)
    # sd of (1, 3) is sqrt(2); t(0.975, 1) = 12.706, / sqrt(2): 12.706 around the mean 2.
    assert bound.ci == pytest.approx(12.706) and bound.met is False
    assert "mean over replications 2.0 at +0:00 (95% CI 0.0-14.7)" in bound.text
    steady = _mean_bound(event_without_start(), np.full((3, 2), 2.0), [0, 1], 2.5, str)
    assert steady.met is True and steady.ci == 0.0
    assert _mean_bound(event_without_start(), by_rep[:1], [0, 1], 2.5, str).met is None
    assert _bound_text(False, True).startswith("; met, but not at the 95% confidence bound")
    assert _bound_text(False, False) == ""


def event_without_start() -> EventPlan:
    return plan(zones=(zone("stand"),))


def test_checks_and_zone_intervals_reach_the_result_message(
    event: EventPlan, required: tuple[Requirement, ...]
) -> None:
    from optimizer.rpc.convert import check_to_pb, simulation_to_pb

    checks, result = checks_by_name(event, required, cover(required, event.grid))
    msg = check_to_pb(checks["density stand"])
    assert msg.HasField("met_at_bound") and msg.met_at_bound
    assert not check_to_pb(checks["minimum posts"]).HasField("met_at_bound")
    report = simulation_to_pb(result, event.grid)
    slot = report.zones[0].slots[4]
    stats = result.zones[0]
    assert slot.occupancy_peak_ci == pytest.approx(stats.occupancy_peak_ci[4])
    assert slot.occupancy_mean_ci == pytest.approx(stats.occupancy_mean_ci[4])
    assert slot.occupancy_peak_mean == pytest.approx(stats.occupancy_peak_mean[4])
    assert slot.density_peak_ci == pytest.approx(stats.density_peak_ci[4])
