"""Scenario families: generated plans are valid, seeded, and sized so policies can differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.bench.families import make_plan, stadium_document
from optimizer.domain.types import PostKind
from optimizer.domain.validate import ensure_valid
from optimizer.errors import InvalidInput

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_stadium_plans_are_valid_and_depend_only_on_params_and_seed() -> None:
    plan = make_plan("stadium", {"attendance": 5000, "gates": 3}, 4, Path("."))
    ensure_valid(plan)
    assert plan == make_plan("stadium", {"attendance": 5000, "gates": 3}, 4, Path("."))
    other = make_plan("stadium", {"attendance": 5000, "gates": 3}, 5, Path("."))
    assert [g.share for g in plan.gates] != [g.share for g in other.gates]


def test_peakier_crowds_and_higher_risk_get_more_lanes() -> None:
    def lanes(**params: object) -> int:
        return sum(g["lanes"] for g in stadium_document({"attendance": 8000, **params}, 0)["gates"])

    assert lanes(peak_share=0.8) > lanes(peak_share=0.4)
    assert lanes(risk="high") > lanes(risk="low")


def test_high_risk_gets_the_response_points_it_requires() -> None:
    plan = make_plan("stadium", {"attendance": 12000, "risk": "high"}, 0, Path("."))
    points = [p for p in plan.posts if p.kind is PostKind.RAPID_RESPONSE]
    low = make_plan("stadium", {"attendance": 12000, "risk": "low"}, 0, Path("."))
    assert len(points) > sum(p.kind is PostKind.RAPID_RESPONSE for p in low.posts)


def test_example_family_loads_a_plan_file_relative_to_the_spec() -> None:
    plan = make_plan("example", {"file": "quickstart.yaml"}, 0, EXAMPLES)
    assert plan.crowd.attendance == 4000


@pytest.mark.parametrize(
    ("family", "params"),
    [("nope", {}), ("stadium", {"atendance": 1}), ("example", {})],
)
def test_bad_family_or_parameter_is_invalid_input(family: str, params: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        make_plan(family, params, 0, Path("."))
