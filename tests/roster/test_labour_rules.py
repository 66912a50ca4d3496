"""Post rules in the roster: rotation limit, minimum stint, travel, rest, and the re-plan hook.

The rules are checked three ways: small assignments whose answer is worked out by hand, the
independent checker (which must catch each broken rule on hand-made shifts and pass every roster
the solver makes), and, on tiny cases, an exhaustive search for the fewest officers any roster
obeying the rules needs (never more than the solver's, never less than its bound).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.domain.types import (
    EventPlan,
    LabourRules,
    Officer,
    OfficerTypeId,
    Post,
    PostId,
    PostKind,
    Requirement,
    Ring,
    RunOptions,
    Shift,
    SolveStatus,
    Stint,
    Supply,
    TimeGrid,
    Zone,
    ZoneId,
    ZoneTravel,
)
from optimizer.errors import InvalidInput
from optimizer.roster import check_roster, solve_roster
from optimizer.roster import solve as solve_module
from optimizer.roster.assign import Duty, assign_posts
from optimizer.roster.rules import PostRules, post_rules
from optimizer.roster.templates import Template, covered_slots, shift_templates
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import plan_from_dict

from .factories import PO, ROUTE, make_plan, requirement

GRID = TimeGrid(15, 240)
COVERS: dict[OfficerTypeId, tuple[OfficerTypeId, ...]] = {PO: (PO,)}
OPTIONS = RunOptions(time_limit_s=10.0)
NORTH, SOUTH = ZoneId("north"), ZoneId("south")


def _template(start: int, end: int, break_start: int | None = None, break_min: int = 0) -> Template:
    b_start = start if break_start is None else break_start
    slots = covered_slots(start, end, b_start, b_start + break_min, GRID)
    return Template(start, end - start, b_start, b_start + break_min, slots)


def _duties(n: int, template: Template | None = None) -> list[Duty]:
    t = template if template is not None else _template(0, 240)
    return [Duty(f"o{i}", PO, t, 0) for i in range(n)]


def _plan(
    labour: LabourRules,
    zones: dict[str, ZoneId] | None = None,
    kinds: dict[str, PostKind] | None = None,
    **kwargs: object,
) -> EventPlan:
    """Posts ``a``/``b`` (fixed, zone north unless ``zones`` says), with the post rules on."""
    names = sorted(set(zones or {}) | set(kinds or {}) | {"a", "b"})
    plan = make_plan(dict.fromkeys(names, PO), labour=labour, post_rules=True, **kwargs)  # type: ignore[arg-type]
    posts = tuple(
        Post(
            PostId(name),
            (kinds or {}).get(name, PostKind.FIXED),
            (zones or {}).get(name, NORTH),
            PO,
            0,
            plan.grid.horizon_min,
        )
        for name in names
    )
    zone_list = (Zone(NORTH, "north", Ring.CORE, 1e3), Zone(SOUTH, "south", Ring.INNER, 1e3))
    return dataclasses.replace(plan, posts=posts, zones=zone_list)


def _rules(plan: EventPlan, reqs: Sequence[Requirement]) -> PostRules:
    return post_rules(plan, reqs)


def _rule_errors(plan: EventPlan, shifts: Sequence[Shift]) -> list[str]:
    """The checker's post-rule findings (these hand-made duties ignore breaks and the pool)."""
    return [e for e in check_roster(plan, [], shifts) if e.startswith("officer ")]


def _stints(shift: Shift) -> list[tuple[str, int, int]]:
    return [(s.post_id, s.start_min, s.end_min) for s in shift.stints]


# ---- the re-planning hook -----------------------------------------------------------------------


def test_preferred_posts_are_kept_over_the_cheaper_default() -> None:
    """Without a preference o0 takes a and o1 b; published the other way round, they keep it."""
    reqs = [requirement("a", PO, [1] * 16), requirement("b", PO, [1] * 16)]
    plain = assign_posts(_duties(2), reqs, COVERS, GRID)
    assert [_stints(s)[0][0] for s in plain.shifts] == ["a", "b"]
    swapped = [dict.fromkeys(range(16), 1), dict.fromkeys(range(16), 0)]
    kept = assign_posts(_duties(2), reqs, COVERS, GRID, preferred=swapped)
    assert [_stints(s) for s in kept.shifts] == [[("b", 0, 240)], [("a", 0, 240)]]


def test_coverage_wins_over_the_preferred_post() -> None:
    """Published at b, which closes at slot 8: the officer goes to a, which needs him."""
    reqs = [requirement("a", PO, [0] * 8 + [1] * 8), requirement("b", PO, [1] * 8 + [0] * 8)]
    result = assign_posts(_duties(1), reqs, COVERS, GRID, preferred=[dict.fromkeys(range(16), 1)])
    assert _stints(result.shifts[0]) == [("b", 0, 120), ("a", 120, 240)]


def test_a_surplus_officer_stands_at_the_preferred_closed_post() -> None:
    reqs = [requirement("a", PO, [1] * 16), requirement("b", PO, [0] * 16)]
    result = assign_posts(
        _duties(2), reqs, COVERS, GRID, preferred=[{}, dict.fromkeys(range(16), 1)]
    )
    assert [_stints(s) for s in result.shifts] == [[("a", 0, 240)], [("b", 0, 240)]]


def test_the_rules_hold_against_the_preferred_post() -> None:
    """Preferred at a all shift long, but the rotation limit takes the officer off it at 2 h."""
    labour = LabourRules(max_continuous_post_min=120, min_stint_min=30)
    plan = _plan(labour)
    reqs = [requirement("a", PO, [1] * 16), requirement("b", PO, [0] * 16)]
    result = assign_posts(
        _duties(1),
        reqs,
        COVERS,
        GRID,
        preferred=[dict.fromkeys(range(16), 0)],
        rules=_rules(plan, reqs),
    )
    # A slot stood down is the relief; b, closed, is no better place to spend it.
    assert _stints(result.shifts[0]) == [("a", 0, 120), ("a", 135, 240)]
    assert _rule_errors(plan, result.shifts) == []


# ---- the rules in the assignment ----------------------------------------------------------------


def test_two_officers_swap_posts_at_the_rotation_limit() -> None:
    labour = LabourRules(max_continuous_post_min=60, min_stint_min=30)
    plan = _plan(labour)
    reqs = [requirement("a", PO, [1] * 16), requirement("b", PO, [1] * 16)]
    result = assign_posts(_duties(2), reqs, COVERS, GRID, rules=_rules(plan, reqs))
    assert result.staffed == {"a": (1,) * 16, "b": (1,) * 16}
    for shift in result.shifts:
        assert all(end - start == 60 for _, start, end in _stints(shift))
    assert result.rotations == 6  # each of 2 officers moves at 60, 120 and 180
    assert _rule_errors(dataclasses.replace(plan, grid=GRID), result.shifts) == []


def test_the_break_resets_the_continuous_time() -> None:
    """Two hours at a, the break, two more hours at a: no rotation needed."""
    labour = LabourRules(max_continuous_post_min=120, min_stint_min=30)
    plan = _plan(labour)
    reqs = [requirement("a", PO, [1] * 16), requirement("b", PO, [0] * 16)]
    duty = Duty("o", PO, _template(0, 270, 120, 30), 0)
    grid = TimeGrid(15, 270)
    reqs = [requirement("a", PO, [1] * 18), requirement("b", PO, [0] * 18)]
    result = assign_posts([duty], reqs, COVERS, grid, rules=_rules(plan, reqs))
    assert _stints(result.shifts[0]) == [("a", 0, 120), ("a", 150, 270)]
    assert result.rotations == 0


def test_the_minimum_stint_keeps_an_officer_from_hopping_every_slot() -> None:
    """Demand alternates between a and b every slot: with a 30-minute stint, every other slot."""
    pattern = [1, 0] * 8
    reqs = [requirement("a", PO, pattern), requirement("b", PO, [1 - n for n in pattern])]

    def covered(staffed: dict[PostId, tuple[int, ...]]) -> int:
        return sum(
            min(n, need)
            for r in reqs
            for n, need in zip(staffed[r.post_id], r.officers, strict=True)
        )

    hopping = assign_posts(_duties(1), reqs, COVERS, GRID)
    assert covered(dict(hopping.staffed)) == 16
    labour = LabourRules(max_continuous_post_min=120, min_stint_min=30)
    plan = _plan(labour)
    result = assign_posts(_duties(1), reqs, COVERS, GRID, rules=_rules(plan, reqs))
    stints = _stints(result.shifts[0])
    assert len(stints) > 1
    assert all(end - start >= 30 for _, start, end in stints[:-1])
    # A stint of k slots covers about half of them: at least 8 of 16, never all.
    assert 8 <= covered(dict(result.staffed)) < 16
    assert _rule_errors(dataclasses.replace(plan, grid=GRID), result.shifts) == []


def test_walking_to_another_zone_covers_nothing_for_whole_slots() -> None:
    """20 minutes from north to south: two 15-minute slots on the way."""
    labour = LabourRules(
        max_continuous_post_min=240,
        min_stint_min=30,
        travel=(ZoneTravel(NORTH, SOUTH, 20),),
    )
    plan = _plan(labour, zones={"a": NORTH, "b": SOUTH})
    reqs = [requirement("a", PO, [1] * 4 + [0] * 12), requirement("b", PO, [0] * 4 + [1] * 12)]
    result = assign_posts(_duties(1), reqs, COVERS, GRID, rules=_rules(plan, reqs))
    assert _stints(result.shifts[0]) == [("a", 0, 60), ("b", 90, 240)]
    assert result.staffed[PostId("b")] == (0,) * 6 + (1,) * 10
    assert result.travel_min == 20
    assert _rule_errors(dataclasses.replace(plan, grid=GRID), result.shifts) == []


def test_a_surplus_officer_walks_ahead_of_the_demand() -> None:
    """Two officers at a, one needed there after slot 2; b (south) needs one from slot 8."""
    labour = LabourRules(max_continuous_post_min=240, travel=(ZoneTravel(NORTH, SOUTH, 30),))
    plan = _plan(labour, zones={"a": NORTH, "b": SOUTH})
    reqs = [requirement("a", PO, [2] * 2 + [1] * 14), requirement("b", PO, [0] * 8 + [1] * 8)]
    result = assign_posts(_duties(2), reqs, COVERS, GRID, rules=_rules(plan, reqs))
    assert result.staffed[PostId("b")] == (0,) * 8 + (1,) * 8
    assert result.staffed[PostId("a")] == (2,) * 2 + (1,) * 14
    # One officer leaves a as the walk (two slots) ends when b opens; the spare one, stood down
    # since a needed one, takes over a.
    assert sorted(_stints(s) for s in result.shifts) == [
        [("a", 0, 30), ("a", 90, 240)],
        [("a", 0, 90), ("b", 120, 240)],
    ]
    assert result.travel_min == 30
    assert _rule_errors(dataclasses.replace(plan, grid=GRID), result.shifts) == []


# ---- the independent checker --------------------------------------------------------------------


def _shift(*stints: tuple[str, int, int], start: int = 0, end: int = 240) -> Shift:
    return Shift(
        "x", PO, start, end, start, start, tuple(Stint(PostId(p), a, b) for p, a, b in stints)
    )


def _check(plan: EventPlan, shift: Shift) -> list[str]:
    found = check_roster(plan, [], [shift])
    return [e for e in found if e.startswith("officer x") or "of rest are due" in e]


def test_checker_catches_a_stay_over_the_rotation_limit() -> None:
    plan = _plan(LabourRules(max_continuous_post_min=120))
    assert _check(plan, _shift(("a", 0, 120), ("b", 120, 240))) == []
    (error,) = _check(plan, _shift(("a", 0, 135), ("b", 135, 240)))
    assert "officer x" in error and "post a" in error and "135" in error and "rotation" in error


def test_checker_joins_stints_that_meet_and_lets_a_relief_restart_the_clock() -> None:
    plan = _plan(LabourRules(max_continuous_post_min=120))
    (error,) = _check(plan, _shift(("a", 0, 60), ("a", 60, 150), ("b", 150, 240)))
    assert "from minute 0 to 150" in error
    assert _check(plan, _shift(("a", 0, 60), ("a", 75, 195), ("b", 195, 240))) == []


def test_checker_takes_the_risk_level_limit_and_spares_patrols() -> None:
    """Low risk: 3 h at a fixed post; patrols have no limit."""
    plan = _plan(LabourRules(), kinds={"a": PostKind.FIXED, "p": PostKind.PATROL})
    assert _check(plan, _shift(("a", 0, 180), ("p", 180, 240))) == []
    assert _check(plan, _shift(("p", 0, 240))) == []
    (error,) = _check(plan, _shift(("a", 0, 195), ("p", 195, 240)))
    assert "180-minute rotation limit" in error


def test_checker_catches_a_stint_under_the_minimum() -> None:
    plan = _plan(LabourRules(max_continuous_post_min=120, min_stint_min=45))
    (error,) = _check(plan, _shift(("a", 0, 120), ("b", 120, 150), ("a", 150, 240)))
    assert "post b" in error and "30 min" in error and "45-minute minimum stint" in error
    # Short at the end of the shift is fine.
    assert _check(plan, _shift(("a", 0, 105), ("b", 105, 210), ("a", 210, 240))) == []


def test_checker_catches_a_walk_faster_than_the_travel_time() -> None:
    labour = LabourRules(max_continuous_post_min=240, travel=(ZoneTravel(SOUTH, NORTH, 20),))
    plan = _plan(labour, zones={"a": NORTH, "b": SOUTH})
    assert _check(plan, _shift(("a", 0, 60), ("b", 90, 240))) == []
    (error,) = _check(plan, _shift(("a", 0, 60), ("b", 75, 240)))
    assert "leaves post a at minute 60" in error and "post b at minute 75" in error
    assert "20 min" in error


def test_checker_lets_the_break_count_as_walking_time() -> None:
    labour = LabourRules(max_continuous_post_min=240, default_travel_min=30)
    plan = _plan(labour, zones={"a": NORTH, "b": SOUTH})
    shift = Shift(
        "x", PO, 0, 270, 120, 150, (Stint(PostId("a"), 0, 120), Stint(PostId("b"), 150, 270))
    )
    assert _check(plan, shift) == []


def test_checker_catches_a_named_officer_back_before_the_rest() -> None:
    officer = Officer("x", PO, 0, 0, previous_duty_end_min=-600)
    plan = _plan(LabourRules(max_continuous_post_min=240), officers=(officer,))
    (error,) = _check(plan, _shift(("a", 0, 240)))
    assert "600 min after the previous duty" in error and "660 min of rest" in error
    assert _check(plan, _shift(("a", 60, 300), start=60, end=300)) == []


# ---- rest in the solve --------------------------------------------------------------------------


def test_a_named_officer_starts_after_the_minimum_rest() -> None:
    """Off duty at -9:00 with 11 h rest: free from 2:00; the other officer takes 0:00-2:00."""
    officers = (
        Officer("late", PO, 0, 0, previous_duty_end_min=-540),
        Officer("early", PO, 0, 0),
    )
    plan = _plan(LabourRules(min_shift_min=120, max_shift_min=240), officers=officers)
    plan = dataclasses.replace(plan, posts=plan.posts[:1])
    reqs = [requirement("a", PO, [1] * 32)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    late = next(s for s in roster.shifts if s.officer_id == "late")
    assert late.start_min >= 120


# ---- the solve with the rules -------------------------------------------------------------------


def test_route_with_rotation_staggers_the_reliefs_of_its_one_traffic_post() -> None:
    """The route's one traffic post cannot rotate: officers leave it at 2 h (medium risk). The
    model's rotation reserve (optimizer.roster.model) lifts the bound above the plain 14, and
    the assignment's look-ahead staggers the stand-downs so the model's officers suffice."""
    plan = plan_from_pb(plan_from_dict(ROUTE))
    from optimizer.staffing.given import given_requirements

    reqs = list(given_requirements(plan))
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert roster.lower_bound == 15 == roster.headcount
    assert roster.rules_added_officers == 0 and roster.rules_resolves == 0
    assert roster.status is SolveStatus.OPTIMAL and roster.rotations > 0


def test_route_with_rotation_adds_officers_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the slot-by-slot flow alone, the rules leave the traffic post short: officers are
    added, the re-solves counted, and the roster is FEASIBLE with the model's bound."""
    plan = plan_from_pb(plan_from_dict(ROUTE))
    from optimizer.staffing.given import given_requirements

    monkeypatch.setattr(solve_module, "assign_posts", functools.partial(assign_posts, repair=False))
    reqs = list(given_requirements(plan))
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert roster.rules_added_officers > 0 and roster.rules_resolves > 0
    assert roster.lower_bound == 15 < roster.headcount
    assert roster.status is SolveStatus.FEASIBLE


# ---- validation -------------------------------------------------------------------------------


def _violations(
    labour: dict[str, object], officers: list[dict[str, object]] | None = None
) -> dict[str, str]:
    document = copy.deepcopy(ROUTE)
    document["labour"] = labour
    if officers is not None:
        document["pool"]["officers"] = officers
    with pytest.raises(InvalidInput) as raised:
        plan_from_pb(plan_from_dict(document))
    return {v.field: v.reason for v in raised.value.violations}


def test_bad_post_rules_are_reported_with_their_field_paths() -> None:
    found = _violations(
        {
            "max_continuous_post_min": 20,
            "min_rest_min": -1,
            "default_travel_min": -5,
            "travel": [
                {"from_zone_id": "km5", "to_zone_id": "nowhere", "minutes": 10},
                {"from_zone_id": "km5", "to_zone_id": "km5", "minutes": 10},
                {"from_zone_id": "km10", "to_zone_id": "km5", "minutes": -1},
                {"from_zone_id": "km5", "to_zone_id": "km10", "minutes": 3},
            ],
        }
    )
    assert "shorter than two 15-minute slots" in found["labour.max_continuous_post_min"]
    assert "-1" in found["labour.min_rest_min"]
    assert "-5" in found["labour.default_travel_min"]
    assert "unknown zone 'nowhere'" in found["labour.travel[0].to_zone_id"]
    assert "to itself" in found["labour.travel[1].to_zone_id"]
    assert "-1" in found["labour.travel[2].minutes"]
    assert "listed twice" in found["labour.travel[3]"]
    assert "min_stint_min" not in found


def test_a_stint_that_cannot_fit_the_rotation_limit_is_refused() -> None:
    found = _violations({"max_continuous_post_min": 120, "min_stint_min": 100})
    assert "120-minute rotation limit" in found["labour.min_stint_min"]


def test_proto_fields_reach_the_domain() -> None:
    document = copy.deepcopy(ROUTE)
    document["labour"] = {
        "max_continuous_post_min": 90,
        "min_stint_min": 45,
        "min_rest_min": 600,
        "default_travel_min": 10,
        "travel": [{"from_zone_id": "km5", "to_zone_id": "km10", "minutes": 25}],
    }
    document["pool"]["officers"] = [
        {"id": "p", "officer_type": "traffic", "previous_duty_end_min": -30},
        {"id": "q", "officer_type": "traffic"},
    ]
    plan = plan_from_pb(plan_from_dict(document))
    labour = plan.labour
    assert (labour.max_continuous_post_min, labour.min_stint_min, labour.min_rest_min) == (
        90,
        45,
        600,
    )
    assert labour.travel_min(ZoneId("km10"), ZoneId("km5")) == 25
    assert labour.travel_min(ZoneId("km5"), ZoneId("other")) == 10
    assert [o.previous_duty_end_min for o in plan.pool.officers] == [-30, None]
    defaults = plan_from_pb(plan_from_dict(ROUTE)).labour
    assert (defaults.min_stint_min, defaults.min_rest_min, defaults.default_travel_min) == (
        0,
        660,
        0,
    )


# ---- exhaustive search on tiny cases ------------------------------------------------------------

# 1 h to 2 h 30 shifts starting on the hour, no break, 30-minute slots over 2 h 30, two fixed
# posts; an officer may stand at most an hour at one.
TINY = LabourRules(
    min_shift_min=60,
    max_shift_min=150,
    shift_step_min=30,
    start_step_min=60,
    break_rules=(),
    max_continuous_post_min=60,
    min_stint_min=0,
)


def _patterns(plan: EventPlan, n_posts: int) -> set[tuple[int, ...]]:
    """Every coverage vector (post-major, slot-minor) one officer can give under the rules.

    Re-derived from the rules: per template, each working slot is at a post or idle; the time
    from arriving at a post to the end of the last slot there, idle slots between included, is
    at most the limit (no breaks here, no minimum stint, one zone).
    """
    grid = plan.grid
    limit = plan.labour.max_continuous_post_min
    vectors = set()
    for t in shift_templates(plan.labour, grid):
        for choice in itertools.product(range(-1, n_posts), repeat=len(t.slots)):
            ok = True
            run_post, run_start = -1, 0
            for slot, p in zip(t.slots, choice, strict=True):
                if p < 0:
                    continue
                if p != run_post:
                    run_post, run_start = p, slot
                if (slot + 1 - run_start) * grid.slot_min > limit:
                    ok = False
                    break
            if ok:
                vector = [0] * (n_posts * grid.n_slots)
                for slot, p in zip(t.slots, choice, strict=True):
                    if p >= 0:
                        vector[p * grid.n_slots + slot] = 1
                vectors.add(tuple(vector))
    return vectors


def _brute_force(plan: EventPlan, reqs: Sequence[Requirement], most: int) -> int | None:
    need = tuple(n for r in reqs for n in r.officers)
    vectors = _patterns(plan, len(reqs))
    states = {tuple(0 for _ in need)}
    for k in range(most + 1):
        if any(state == need for state in states):
            return k
        states = {
            tuple(min(n, s + v) for n, s, v in zip(need, state, vector, strict=True))
            for state in states
            for vector in vectors
        }
    return None


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 1, 2]), min_size=5, max_size=5),
    st.lists(st.sampled_from([0, 1]), min_size=5, max_size=5),
)
def test_headcount_with_rotation_matches_exhaustive_search(a: list[int], b: list[int]) -> None:
    plan = _plan(TINY, supply=(Supply(PO, 8, 0, 150),), slot_min=30, horizon_min=150)
    reqs = [requirement("a", PO, a), requirement("b", PO, b)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    best = _brute_force(plan, reqs, roster.headcount)
    assert best is not None
    assert roster.lower_bound <= best <= roster.headcount
    if roster.status is SolveStatus.OPTIMAL:
        assert roster.headcount == best


# ---- every roster with rules passes the checker -------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0, 1, 2, 3]), min_size=16, max_size=16),
    st.lists(st.sampled_from([0, 0, 1, 2]), min_size=16, max_size=16),
    st.lists(st.sampled_from([0, 1, 1]), min_size=16, max_size=16),
    st.sampled_from([0, 15, 20, 40]),
    st.sampled_from([60, 90, 120]),
    st.sampled_from([0, 30]),
)
def test_every_roster_with_post_rules_passes_the_checker(
    a: list[int], b: list[int], c: list[int], walk: int, limit: int, stint: int
) -> None:
    labour = LabourRules(
        min_shift_min=120,
        max_shift_min=240,
        max_continuous_post_min=limit,
        min_stint_min=stint,
        default_travel_min=walk,
    )
    plan = _plan(
        labour,
        zones={"a": NORTH, "b": NORTH, "c": SOUTH},
        kinds={"c": PostKind.SCREENING},
        supply=(Supply(PO, 30, 0, 480),),
        horizon_min=480,
        slot_min=30,
    )
    reqs = [requirement("a", PO, a), requirement("b", PO, b), requirement("c", PO, c)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert roster.lower_bound <= roster.headcount
    if roster.rules_resolves:
        proven = roster.headcount == roster.lower_bound
        assert (roster.status is SolveStatus.OPTIMAL) == proven


def test_a_pool_too_small_for_the_rules_gets_a_short_roster_with_its_gaps() -> None:
    """One officer, one post all shift: nobody is left to cover the stand-down."""
    plan = _plan(
        LabourRules(max_continuous_post_min=120, min_shift_min=240, max_shift_min=240),
        supply=(Supply(PO, 1, 0, 240),),
        horizon_min=240,
    )
    plan = dataclasses.replace(plan, posts=plan.posts[:1])
    reqs = [requirement("a", PO, [1] * 16)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.INFEASIBLE
    assert check_roster(plan, reqs, roster) == []
    # Two hours on, a slot stood down, on again: the slot at 2:00 is short as well as the break
    # (where the break falls in its window is a tie the solver may break either way).
    (shift,) = roster.shifts
    assert _stints(shift)[0] == ("a", 0, 120)
    gaps = [(f.post_id, f.start_min, f.end_min, f.officers) for f in roster.post_shortfalls]
    assert gaps[0] == ("a", 120, 135, 1)
    assert sum(end - start for _, start, end, _ in gaps) == 15 + shift.break_end_min - (
        shift.break_start_min
    )


def test_same_plan_and_seed_give_the_same_roster_under_the_rules() -> None:
    labour = LabourRules(
        min_shift_min=120, max_shift_min=240, max_continuous_post_min=60, default_travel_min=20
    )
    plan = _plan(
        labour,
        zones={"a": NORTH, "b": NORTH, "c": SOUTH},
        supply=(Supply(PO, 30, 0, 480),),
        horizon_min=480,
        slot_min=30,
    )
    reqs = [
        requirement("a", PO, [2, 3, 3, 1, 0, 0, 2, 2, 2, 1, 1, 0, 0, 0, 1, 1]),
        requirement("b", PO, [0, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1, 1, 0]),
        requirement("c", PO, [0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0]),
    ]
    first = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, first) == []
    assert first == solve_roster(plan, reqs, OPTIONS)
