"""Property-based tests: random cargo, every plan checked by the independent validator."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.loadplan import CargoLine, ContainerType, OrientationRule, PlanOptions, plan

from .validator import validate

RULES = st.sampled_from([
    OrientationRule("any"), OrientationRule("this_side_up"), OrientationRule("lengthwise"),
    OrientationRule("upright", ("width",)), OrientationRule("upright", ("length", "height")),
])


@st.composite
def cargo_line(draw, i):
    return CargoLine(
        reference=f"L{i}",
        length=draw(st.integers(150, 900)),
        width=draw(st.integers(150, 700)),
        height=draw(st.integers(100, 600)),
        count=draw(st.integers(0, 30)),
        weight=draw(st.sampled_from([0, 1.5, 5, 12, 40])),
        orientation=draw(RULES),
        stackable=draw(st.booleans()) if draw(st.integers(0, 3)) == 0 else True,
        max_load=draw(st.sampled_from([None, None, 0, 20, 60, 200])),
        bottom_only=draw(st.integers(0, 5)) == 0,
        unloading_group=draw(st.sampled_from([1, 1, 1, 2, 3])),
    )


@st.composite
def cargo(draw):
    n = draw(st.integers(1, 4))
    return [draw(cargo_line(i)) for i in range(n)]


CONTAINERS = [ContainerType("BOX", 2400, 1200, 1100, max_payload=900),
              ContainerType("VAN", 3200, 1700, 1500, max_payload=1500)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cargo(), st.integers(0, 3))
def test_random_cargo_gives_valid_plans(lines, seed):
    p = plan(lines, containers=CONTAINERS, rates={"BOX": 300, "VAN": 450},
             options=PlanOptions(time_limit=0.3, max_iterations=1, seed=seed))
    validate(json.loads(json.dumps(p.to_dict())))
