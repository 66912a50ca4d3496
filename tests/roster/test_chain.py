"""Several duties per officer: the chaining, its count against brute force, and its bounds."""

from __future__ import annotations

import copy
import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.domain.types import (
    LabourRules,
    Officer,
    OfficerTypeId,
    RunOptions,
    Shift,
    SolveStatus,
    Supply,
)
from optimizer.roster import check_roster, solve_roster
from optimizer.roster.bounds import most_slots_per_officer
from optimizer.roster.chain import chain_duties, max_overlap
from optimizer.roster.problem import build_problem
from optimizer.roster.solve import raises_people
from optimizer.roster.templates import OfficerGroup
from optimizer.rpc.convert import plan_from_pb
from optimizer.rpc.planfile import plan_from_dict
from optimizer.staffing.given import given_requirements

from .factories import PO, ROUTE, SP, flat, make_plan, requirement

DAY = 24 * 60
# Two days in hours; shifts of 4 or 8 h starting every 8 h, no breaks, 11 h of rest.
LABOUR = LabourRules(
    min_shift_min=240,
    max_shift_min=480,
    shift_step_min=240,
    start_step_min=480,
    break_rules=(),
    min_rest_min=660,
)
HORIZON = 2 * DAY
OPTIONS = RunOptions(time_limit_s=10.0)


def _shift(officer_id: str, start: int, end: int, officer_type: OfficerTypeId = PO) -> Shift:
    return Shift(officer_id, officer_type, start, end, start, start)


# ---- chaining ----------------------------------------------------------------------------------


def _rested(shifts: tuple[Shift, ...], rest: int) -> bool:
    by_id: dict[str, list[Shift]] = {}
    for s in shifts:
        by_id.setdefault(s.officer_id, []).append(s)
    for duties in by_id.values():
        for a, b in itertools.combinations(duties, 2):
            if not (a.end_min + rest <= b.start_min or b.end_min + rest <= a.start_min):
                return False
    return True


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda t: (60 * t[0], 60 * sum(t))),
    min_size=1,
    max_size=14,
)


@settings(deadline=None)
@given(spans, st.sampled_from([60, 300, 660]))
def test_greedy_chaining_reaches_the_most_overlapping_duties(
    intervals: list[tuple[int, int]], rest: int
) -> None:
    """With no cap, the officers are exactly the most duties overlapping with the rest after
    each; and no fewer can do: that many duties clash pairwise, and on small cases no split
    into fewer officers keeps the rest."""
    shifts = tuple(_shift(f"d{k}", a, b) for k, (a, b) in enumerate(intervals))
    group = OfficerGroup(PO, 0, 100 * 60, anonymous=len(shifts))
    chained = chain_duties(shifts, [0] * len(shifts), [group], rest, 0)
    people = len({s.officer_id for s in chained})
    assert people == max_overlap(intervals, rest)
    assert _rested(chained, rest)
    assert [(s.start_min, s.end_min, s.stints) for s in chained] == [
        (s.start_min, s.end_min, s.stints) for s in shifts
    ]
    clique = max(
        ([s for s in shifts if s.start_min <= t.start_min < s.end_min + rest] for t in shifts),
        key=len,
    )
    assert len(clique) == people
    assert all(
        not _rested((a, dataclasses.replace(b, officer_id=a.officer_id)), rest)
        for a, b in itertools.combinations(clique, 2)
    )
    if len(shifts) <= 6 and 1 < people <= 4:
        # Brute force: no assignment of the duties to people - 1 officers keeps the rest.
        for labels in itertools.product(range(people - 1), repeat=len(shifts)):
            trial = tuple(
                dataclasses.replace(s, officer_id=str(lab))
                for s, lab in zip(shifts, labels, strict=True)
            )
            assert not _rested(trial, rest)


def test_no_rest_means_one_duty_each_numbered_as_before() -> None:
    """With no rest given nothing chains, and ids follow ``name_duties``' order."""
    shifts = (_shift("x", 0, 240), _shift("y", 1200, 1440), _shift("z", 0, 480))
    group = OfficerGroup(PO, 0, 2000, ("amy",), anonymous=5)
    ids = [s.officer_id for s in chain_duties(shifts, [0, 0, 0], [group], 0, 0)]
    # Order: start, then length: (0, 240) amy, (0, 480) the first number, (1200, 1440) next.
    assert ids == ["amy", "public_order-0002", "public_order-0001"]


def test_named_ids_first_then_numbers_skipping_named_ones() -> None:
    shifts = tuple(_shift(f"d{k}", k * 60, k * 60 + 240) for k in range(3))
    group = OfficerGroup(PO, 0, 2000, ("public_order-0001", "zed"), anonymous=5)
    ids = [s.officer_id for s in chain_duties(shifts, [0, 0, 0], [group], 660, 0)]
    assert ids == ["public_order-0001", "zed", "public_order-0002"]


def test_work_cap_starts_a_new_officer_and_best_fit_packs() -> None:
    # Three 4-hour duties a day apart; a 9-hour cap allows two per officer.
    shifts = tuple(_shift(f"d{k}", k * DAY, k * DAY + 240) for k in range(3))
    group = OfficerGroup(PO, 0, 4 * DAY, ("ann", "bob"), work_left=540)
    chained = chain_duties(shifts, [0, 0, 0], [group], 660, 0)
    assert [s.officer_id for s in chained] == ["ann", "ann", "bob"]
    uncapped = chain_duties(shifts, [0, 0, 0], [dataclasses.replace(group, work_left=None)], 660, 0)
    assert {s.officer_id for s in uncapped} == {"ann"}
    # The labour rules' cap holds unnamed officers too.
    anonymous = OfficerGroup(PO, 0, 4 * DAY, anonymous=3)
    ids = [s.officer_id for s in chain_duties(shifts, [0, 0, 0], [anonymous], 660, 300)]
    assert len(set(ids)) == 3


def test_groups_never_share_an_officer() -> None:
    shifts = (_shift("a", 0, 240), _shift("b", DAY, DAY + 240, SP))
    groups = [OfficerGroup(PO, 0, 2 * DAY, anonymous=2), OfficerGroup(SP, 0, 2 * DAY, anonymous=2)]
    chained = chain_duties(shifts, [0, 1], groups, 660, 0)
    assert [s.officer_id for s in chained] == ["public_order-0001", "special_police-0001"]


def test_kept_ids_stay_and_new_duties_join_only_where_rest_allows() -> None:
    shifts = (
        _shift("new-early", 0, 240),
        _shift("kept", 600, 840),
        _shift("new-late", 2 * DAY, 2 * DAY + 240),
        _shift("new-mid", DAY, DAY + 240),
    )
    group = OfficerGroup(PO, 0, 3 * DAY, ("ann",), anonymous=3)
    chained = chain_duties(shifts, [0] * 4, [group], 660, 0, keep_ids={1: "public_order-0001"})
    ids = [s.officer_id for s in chained]
    assert ids[1] == "public_order-0001"
    # 0-240 is too close to the kept duty at 600: a new officer, the group's named one first.
    assert ids[0] == "ann"
    # The later duties chain on, onto whichever officer fits best; the kept id stays unique
    # to its officer and the next number skips it.
    assert _rested(chained, 660)
    assert len(set(ids)) == 2
    again = chain_duties(shifts, [0] * 4, [group], 660, 0, keep_ids={1: "public_order-0001"})
    assert again == chained


def test_a_new_duty_joining_a_kept_officer_carries_the_kept_id() -> None:
    shifts = (_shift("kept", 600, 840), _shift("new", DAY + 600, DAY + 840))
    group = OfficerGroup(PO, 0, 2 * DAY, (), anonymous=2)
    chained = chain_duties(shifts, [0, 0], [group], 660, 0, keep_ids={0: "public_order-0007"})
    assert [s.officer_id for s in chained] == ["public_order-0007"] * 2


def test_mismatched_groups_are_refused() -> None:
    group = OfficerGroup(PO, 0, 2000, anonymous=1)
    try:
        chain_duties((_shift("a", 0, 240),), [], [group], 660, 0)
    except ValueError as e:
        assert "groups_of_shifts" in str(e)
    else:
        raise AssertionError("no error")


# ---- the per-officer workload bound ------------------------------------------------------------


@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(1, 8), st.integers(0, 8)),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([0, 120, 660]),
    st.sampled_from([None, 300, 600, 900]),
)
def test_most_slots_per_officer_bounds_every_chain(
    raw: list[tuple[int, int, int]], rest: int, cap: int | None
) -> None:
    """Against every subset of shifts one officer could work: never below the best, and equal
    to it with no cap."""
    slot = 60
    shifts = [(60 * a, 60 * (a + n), min(n, c)) for a, n, c in raw]
    best = 0
    for r in range(1, len(shifts) + 1):
        for subset in itertools.combinations(shifts, r):
            ordered = sorted(subset)
            if any(x[1] + rest > y[0] for x, y in itertools.pairwise(ordered)):
                continue
            if cap is not None and sum(x[1] - x[0] for x in subset) > cap:
                continue
            best = max(best, sum(x[2] for x in subset))
    most = most_slots_per_officer(shifts, rest, cap, slot)
    assert most >= best
    if cap is None:
        assert most == best


# ---- the roster against brute force ------------------------------------------------------------


def _templates() -> list[tuple[int, int]]:
    return [
        (start, start + length)
        for start in range(0, HORIZON, LABOUR.start_step_min)
        for length in (240, 480)
        if start + length <= HORIZON
    ]


def _fewest_people(demand: list[int], cap: int | None) -> int:
    """The fewest officers covering ``demand`` (per hour), by exhaustive search over what each
    officer works: any set of templates apart by the rest, within the cap."""
    templates = _templates()
    schedules: list[frozenset[int]] = []
    for r in (1, 2, 3):
        for subset in itertools.combinations(templates, r):
            if any(a[1] + LABOUR.min_rest_min > b[0] for a, b in itertools.pairwise(subset)):
                continue
            if cap is not None and sum(b - a for a, b in subset) > cap:
                continue
            schedules.append(frozenset(h for a, b in subset for h in range(a // 60, b // 60)))
    # Only schedules no other one covers a superset of matter.
    schedules = [s for s in schedules if not any(s < t for t in schedules)]

    def search(left: list[int], k: int) -> bool:
        gap = next((h for h, n in enumerate(left) if n > 0), None)
        if gap is None:
            return True
        if k == 0 or max(left) > k:
            return False
        for s in schedules:
            if gap in s:
                after = [n - 1 if h in s and n > 0 else n for h, n in enumerate(left)]
                if search(after, k - 1):
                    return True
        return False

    k = 0
    while not search(list(demand), k):
        k += 1
    return k


day_window = st.tuples(st.integers(0, 20), st.integers(1, 10), st.integers(0, 2))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day_window, day_window, st.sampled_from([None, 720]))
def test_people_headcount_is_the_true_minimum(
    first: tuple[int, int, int], second: tuple[int, int, int], cap: int | None
) -> None:
    hours = HORIZON // 60
    demand = [0] * hours
    for day, (start, length, n) in enumerate((first, second)):
        for h in range(day * 24 + start, min(day * 24 + start + length, hours)):
            demand[h] = n
    labour = dataclasses.replace(LABOUR, max_work_min=cap or 0)
    plan = make_plan(
        {"p": PO},
        slot_min=60,
        horizon_min=HORIZON,
        supply=(Supply(PO, 8, 0, HORIZON),),
        labour=labour,
    )
    reqs = [requirement("p", PO, demand)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    truth = _fewest_people(demand, cap)
    assert roster.lower_bound <= truth <= roster.headcount
    # The cheap bounds alone (peak; workload over the most one officer can work in two days).
    bounds = build_problem(plan, reqs).bounds
    assert bounds.headcount <= truth and bounds.by_type[PO] <= truth
    if cap is None:
        assert roster.headcount == truth
        assert roster.status is SolveStatus.OPTIMAL
    if roster.status is SolveStatus.OPTIMAL:
        assert roster.headcount == truth
    assert roster.duties == len(roster.shifts) >= roster.headcount


def test_festival_like_days_chain_into_one_officer_per_post() -> None:
    """One officer needed 14:00-22:00 on each of two days: one person works both duties."""
    demand = flat(48, 1, 14, 22)
    demand[24 + 14 : 24 + 22] = [1] * 8
    plan = make_plan(
        {"p": PO},
        slot_min=60,
        horizon_min=HORIZON,
        supply=(Supply(PO, 1, 0, HORIZON),),
        labour=dataclasses.replace(LABOUR, start_step_min=60),
    )
    reqs = [requirement("p", PO, demand)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert (roster.headcount, roster.duties, roster.status) == (1, 2, SolveStatus.OPTIMAL)
    assert {s.officer_id for s in roster.shifts} == {"public_order-0001"}
    assert roster.by_type[0].headcount == 1 and roster.by_type[0].duties == 2
    # 16 officer-hours over an 8-hour longest shift would claim 2 officers; one officer works
    # both days, so the workload bound divides by what one officer can do: 16 hours.
    assert build_problem(plan, reqs).bounds.headcount == 1


def test_a_pool_of_one_is_enough_when_duties_chain_but_not_when_they_clash() -> None:
    demand = flat(48, 1, 14, 22)
    demand[24 + 2 : 24 + 6] = [1] * 4  # 02:00 next day: only 4 h after the first duty ends
    plan = make_plan(
        {"p": PO},
        slot_min=60,
        horizon_min=HORIZON,
        supply=(Supply(PO, 1, 0, HORIZON),),
        labour=dataclasses.replace(LABOUR, start_step_min=60),
    )
    reqs = [requirement("p", PO, demand)]
    roster = solve_roster(plan, reqs, OPTIONS)
    assert roster.status is SolveStatus.INFEASIBLE
    assert check_roster(plan, reqs, roster) == []
    assert roster.headcount <= 1


# ---- named officers, hypothesis ----------------------------------------------------------------


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 20), st.integers(2, 10), st.integers(1, 2)),
        min_size=1,
        max_size=3,
    ),
    st.lists(
        st.tuples(
            st.integers(0, 24),
            st.integers(24, 48),
            st.sampled_from([0, 300, 600, 1200]),
            st.sampled_from([0, 120, 480]),
        ),
        max_size=3,
    ),
    st.integers(0, 4),
    st.sampled_from([0, 960]),
)
def test_chained_rosters_pass_the_checker(
    windows: list[tuple[int, int, int, int]],
    named: list[tuple[int, int, int, int]],
    anonymous: int,
    max_work: int,
) -> None:
    """Three days, named officers with windows, caps and hours worked, some unnamed: every
    roster passes the independent checker (rest, overlap, cap, window, type, pool) and the
    same inputs give the same ids."""
    horizon = 3 * DAY
    hours = horizon // 60
    demand = [0] * hours
    for day, start, length, n in windows:
        for h in range(day * 24 + start, min(day * 24 + start + length, hours)):
            demand[h] = max(demand[h], n)
    officers = tuple(
        Officer(f"n{k}", PO, 60 * a, 60 * b, worked_min=w, max_work_min=m)
        for k, (a, b, m, w) in enumerate(named)
    )
    plan = make_plan(
        {"p": PO},
        slot_min=60,
        horizon_min=horizon,
        supply=(Supply(PO, anonymous, 0, horizon),) if anonymous else (),
        officers=officers,
        labour=dataclasses.replace(LABOUR, max_work_min=max_work),
    )
    reqs = [requirement("p", PO, demand)]
    roster = solve_roster(plan, reqs, RunOptions(time_limit_s=5.0))
    assert check_roster(plan, reqs, roster) == []
    again = solve_roster(plan, reqs, RunOptions(time_limit_s=5.0))
    assert [s.officer_id for s in again.shifts] == [s.officer_id for s in roster.shifts]


# ---- single-day plans are as before -------------------------------------------------------------


def test_single_day_plan_keeps_one_duty_per_officer() -> None:
    """A day's plan builds the model it always did: the route plan of ``test_given`` (10 h, no
    rotation limit) keeps its 14 officers, one duty each, proven, with the ids of old."""
    document = copy.deepcopy(ROUTE)
    document["labour"] = {"max_continuous_post_min": 24 * 60}
    plan = plan_from_pb(plan_from_dict(document))
    reqs = list(given_requirements(plan))
    problem = build_problem(plan, reqs)
    assert problem.cover.chained_groups() == frozenset()
    roster = solve_roster(plan, reqs, OPTIONS)
    assert check_roster(plan, reqs, roster) == []
    assert (roster.headcount, roster.duties, roster.status) == (14, 14, SolveStatus.OPTIMAL)
    assert roster.lower_bound == 14
    assert len({s.officer_id for s in roster.shifts}) == len(roster.shifts)
    # Chaining these duties with any rest changes no id: nothing is 11 h apart in 10 h.
    groups = [0 if s.officer_type == "public_order" else 1 for s in roster.shifts]
    assert chain_duties(roster.shifts, groups, _two_groups(), 660, 0) == roster.shifts


def _two_groups() -> list[OfficerGroup]:
    return [
        OfficerGroup(OfficerTypeId("public_order"), 0, 600, anonymous=40),
        OfficerGroup(OfficerTypeId("traffic"), 0, 600, anonymous=10),
    ]


# ---- the checker with several duties per officer ------------------------------------------------


def _checked(shifts: tuple[Shift, ...], **labour: int) -> list[str]:
    demand = [0] * (HORIZON // 60)
    plan = make_plan(
        {"p": PO},
        slot_min=60,
        horizon_min=HORIZON,
        supply=(Supply(PO, 1, 0, HORIZON),),
        officers=(Officer("ann", PO, 0, HORIZON, worked_min=60, max_work_min=600),),
        labour=dataclasses.replace(LABOUR, **labour),
    )
    return check_roster(plan, [requirement("p", PO, demand)], shifts)


def test_checker_holds_each_officer_to_rest_cap_and_the_pool_in_people() -> None:
    day1, day2 = (0, 240), (DAY, DAY + 240)
    rested = (_shift("public_order-0001", *day1), _shift("public_order-0001", *day2))
    # One unnamed officer on two duties a day apart fits a pool of one.
    assert _checked(rested) == []
    # Two unnamed officers do not.
    two = (rested[0], dataclasses.replace(rested[1], officer_id="public_order-0002"))
    assert any("do not fit the supply" in e for e in _checked(two))
    close = (rested[0], _shift("public_order-0001", 720, 960))
    assert any("480 min after" in e and "660 min of rest" in e for e in _checked(close))
    assert any(
        "overlaps duty" in e for e in _checked((rested[0], _shift(rested[0].officer_id, 0, 480)))
    )
    # The labour rules' cap holds an unnamed officer over all duties.
    assert any("480 working minutes over 2 duties" in e for e in _checked(rested, max_work_min=300))
    # A named officer's cap counts what he has worked already: 60 + 2 x 480 > 600.
    named = (_shift("ann", 0, 480), _shift("ann", DAY, DAY + 480))
    assert any("officer ann: 960 working minutes" in e for e in _checked(named))
    assert _checked(named[:1]) == []


def test_relief_counts_a_duty_that_chains_onto_an_officer_as_no_one_more() -> None:
    demand = flat(48, 1, 14, 22)
    plan = make_plan(
        {"p": PO},
        slot_min=60,
        horizon_min=HORIZON,
        supply=(Supply(PO, 1, 0, HORIZON),),
        labour=dataclasses.replace(LABOUR, start_step_min=60),
    )
    problem = build_problem(plan, [requirement("p", PO, demand)])
    columns = problem.cover.columns
    chained = problem.cover.chained_groups()
    assert chained == frozenset({0})
    counts = [0] * len(columns)
    on_day_one = next(j for j, c in enumerate(columns) if (c.start_min, c.end_min) == (840, 1320))
    counts[on_day_one] = 1
    raises = raises_people(problem, counts, chained)
    for j, c in enumerate(columns):
        # Rested after 22:00 + 11 h, or ending 11 h before 14:00: the same officer.
        apart = c.start_min >= 1320 + 660 or c.end_min + 660 <= 840
        assert raises[j] is not apart, (c.start_min, c.end_min)
    # Under a work cap the rest alone does not decide: every duty counts as one more.
    capped = dataclasses.replace(
        problem, cover=dataclasses.replace(problem.cover, work_caps=(600,))
    )
    assert all(raises_people(capped, counts, chained))
