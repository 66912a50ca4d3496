"""Shift templates follow the labour rules and count coverage like optimizer.domain.coverage."""

from __future__ import annotations

from optimizer.domain.coverage import working_slots
from optimizer.domain.types import (
    BreakRule,
    LabourRules,
    Officer,
    OfficerPool,
    OfficerType,
    Shift,
    Supply,
    TimeGrid,
)
from optimizer.roster.templates import (
    break_options,
    officer_groups,
    shift_templates,
    start_step,
    template_set,
)

from .factories import PO, SP

GRID = TimeGrid(15, 600)


def test_default_templates_obey_the_rules() -> None:
    labour = LabourRules()
    templates = shift_templates(labour, GRID)
    assert templates
    for t in templates:
        assert t.start_min % 15 == 0
        assert labour.min_shift_min <= t.length_min <= labour.max_shift_min
        assert (t.length_min - labour.min_shift_min) % labour.shift_step_min == 0
        assert t.end_min <= GRID.horizon_min
        assert t.break_end_min - t.break_start_min == labour.break_for(t.length_min)
        offset = t.break_start_min - t.start_min
        assert labour.break_window_start_min <= offset <= labour.break_window_end_min
        assert offset % GRID.slot_min == 0
        assert t.break_end_min < t.end_min


def test_template_slots_match_the_domain_coverage_rule() -> None:
    # 35- and 45-minute breaks end mid-slot: the slot they touch must not count.
    for t in shift_templates(LabourRules(), GRID):
        shift = Shift("x", PO, t.start_min, t.end_min, t.break_start_min, t.break_end_min)
        assert list(t.slots) == working_slots(shift, t.start_min, t.end_min, GRID)


def test_start_step_is_rounded_up_to_whole_slots() -> None:
    assert start_step(LabourRules(start_step_min=20), GRID) == 30
    assert start_step(LabourRules(start_step_min=5), GRID) == 15


def test_short_shift_takes_the_latest_break_that_fits() -> None:
    """A 4 h shift with a 60-minute break cannot start it at 3 h (it would end with the shift)."""
    labour = LabourRules(break_rules=(BreakRule(240, 60),))
    assert break_options(labour, GRID, 240) == ((165, 60),)


def test_length_without_a_fitting_break_is_dropped() -> None:
    labour = LabourRules(min_shift_min=120, break_rules=(BreakRule(120, 60),))
    assert break_options(labour, TimeGrid(60, 600), 120) == ()
    assert all(t.length_min != 120 for t in shift_templates(labour, TimeGrid(60, 600)))


def test_shift_without_a_due_break_has_none() -> None:
    labour = LabourRules(min_shift_min=120, break_rules=(BreakRule(240, 30),))
    t = next(t for t in shift_templates(labour, GRID) if t.length_min == 120)
    assert t.break_start_min == t.break_end_min == t.start_min
    assert len(t.slots) == 8


def test_groups_pool_supply_and_named_officers_by_type_and_window() -> None:
    pool = OfficerPool(
        types=(OfficerType(PO, "po"), OfficerType(SP, "sp", (PO,))),
        supply=(Supply(PO, 3, 0, 0), Supply(PO, 2, 0, 600), Supply(SP, 1, 60, 300)),
        officers=(Officer("zed", PO, 0, 600), Officer("amy", PO, 0, 0), Officer("bo", SP, 0, 300)),
    )
    groups = officer_groups(pool, GRID)
    assert [
        (g.officer_type, g.start_min, g.end_min, g.officer_ids, g.anonymous) for g in groups
    ] == [
        (PO, 0, 600, ("amy", "zed"), 5),
        (SP, 0, 300, ("bo",), 0),
        (SP, 60, 300, (), 1),
    ]


def test_groups_only_get_templates_inside_their_window() -> None:
    pool = OfficerPool(types=(OfficerType(PO, "po"),), supply=(Supply(PO, 4, 60, 420),))
    result = template_set(LabourRules(), GRID, pool)
    allowed = [result.templates[j] for j in result.allowed[0]]
    assert allowed
    assert all(t.start_min >= 60 and t.end_min <= 420 for t in allowed)


def test_break_starts_are_thinned_when_the_model_would_be_large() -> None:
    pool = OfficerPool(types=(OfficerType(PO, "po"),), supply=(Supply(PO, 4, 0, 600),))
    full = template_set(LabourRules(), GRID, pool)
    thinned = template_set(LabourRules(), GRID, pool, max_columns=full.n_columns - 1)
    assert full.break_step_min == 15
    assert thinned.break_step_min == 30
    assert thinned.n_columns < full.n_columns
    assert {t.break_start_min - t.start_min for t in thinned.templates} <= {
        180,
        210,
        240,
        270,
        300,
        330,
        360,
    }
