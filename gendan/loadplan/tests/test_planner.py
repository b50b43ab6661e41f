"""Plans for real cargo, each checked by the independent validator."""

from __future__ import annotations

import json
import time

import pytest

from gendan.loadplan import (
    CargoLine,
    ContainerType,
    LoadPlanError,
    OrientationRule,
    PlanOptions,
    container_svg,
    instruction_rows,
    plan,
)

from .validator import validate

FAST = PlanOptions(time_limit=0.5, max_iterations=2)
BOX = ContainerType("BOX", 2000, 1000, 1000, max_payload=2000)


def run(lines, containers=None, **kw):
    p = plan(lines, containers=containers or [BOX], options=kw.pop("options", FAST), **kw)
    d = json.loads(json.dumps(p.to_dict()))  # plain JSON data
    validate(d)
    return p, d


def test_exact_fit_single_line():
    p, d = run([CargoLine("A", 500, 500, 500, 16, weight=5)])
    assert len(p.containers) == 1
    assert len(p.containers[0].placements) == 16
    assert p.containers[0].volume_utilisation == pytest.approx(1.0)
    assert not p.not_fitted


def test_this_side_up_and_lengthwise_respected():
    lines = [CargoLine("U", 300, 200, 400, 20, weight=3, orientation=OrientationRule("this_side_up")),
             CargoLine("L", 600, 250, 150, 10, weight=4, orientation=OrientationRule("lengthwise"))]
    p, d = run(lines)
    for c in p.containers:
        for q in c.placements:
            if q.reference == "U":
                assert q.dz == 400
            else:
                assert (q.dx, q.dy, q.dz) == (600, 250, 150)


def test_upright_dimensions():
    lines = [CargoLine("V", 400, 300, 200, 30, weight=2, orientation=OrientationRule("upright", ("width", "height")))]
    p, d = run(lines)
    assert all(q.dz in (300, 200) for c in p.containers for q in c.placements)


def test_non_stackable_bottom_only_and_max_load():
    lines = [CargoLine("heavy", 500, 500, 300, 8, weight=80, bottom_only=True, max_load=40),
             CargoLine("glass", 500, 500, 300, 8, weight=10, stackable=False),
             CargoLine("light", 250, 250, 250, 40, weight=5, max_load=30)]
    p, d = run(lines)
    for c in p.containers:
        for q in c.placements:
            if q.reference == "heavy":
                assert q.z == 0


def test_payload_respected_per_container():
    small = ContainerType("SMALL", 2000, 1000, 1000, max_payload=100)
    p, d = run([CargoLine("brick", 200, 200, 200, 50, weight=9)], containers=[small])
    assert all(len(c.placements) <= 11 for c in p.containers)
    assert sum(len(c.placements) for c in p.containers) + sum(nf.count for nf in p.not_fitted) == 50


def test_not_fitted_listed_with_reason():
    # non-stackable plates: only two per container floor, far fewer than the volume suggests
    p, d = run([CargoLine("plate", 1000, 1000, 100, 40, weight=1, stackable=False,
                          orientation=OrientationRule("this_side_up"))])
    placed = sum(len(c.placements) for c in p.containers)
    assert p.not_fitted and p.not_fitted[0].count == 40 - placed
    assert "no space" in p.not_fitted[0].reason
    assert (p.not_fitted[0].cause, p.not_fitted[0].containers) == ("space", ["BOX"])


def test_unloading_groups_last_unloaded_loaded_first():
    lines = [CargoLine("stop1", 400, 400, 400, 20, weight=5, unloading_group=1),
             CargoLine("stop2", 400, 400, 400, 20, weight=5, unloading_group=2)]
    p, d = run(lines)
    c = p.containers[0]
    first = min(c.placements, key=lambda q: q.seq)
    assert first.reference == "stop2"


def test_several_containers_cheapest_mix():
    small = ContainerType("S", 1000, 1000, 1000, max_payload=5000)
    big = ContainerType("B", 2000, 1000, 1000, max_payload=5000)
    lines = [CargoLine("A", 500, 500, 500, 20, weight=1)]  # 2.5 m³: one B + one S is cheapest
    p, d = run(lines, containers=[small, big], rates={"S": 100, "B": 150})
    assert sorted(c.container.code for c in p.containers) == ["B", "S"]
    assert p.freight_cost == 250
    assert not p.not_fitted


def test_lcl_comparison():
    lines = [CargoLine("A", 500, 500, 500, 4, weight=10)]  # 0.5 m³ -> W/M 1 (minimum)
    p, _ = run(lines, rates={"BOX": 1000, "LCL": 60})
    assert p.lcl["wm"] == 1.0 and p.lcl["cost"] == 60.0 and p.recommendation == "LCL"


def test_same_seed_same_plan():
    lines = [CargoLine("A", 430, 310, 270, 40, weight=4), CargoLine("B", 520, 260, 330, 25, weight=6)]
    opts = PlanOptions(time_limit=30, max_iterations=3, seed=7)
    a = plan(lines, containers=[BOX], options=opts).to_dict()
    b = plan(lines, containers=[BOX], options=opts).to_dict()
    assert a["containers"] == b["containers"] or [c["placements"] for c in a["containers"]] == \
        [c["placements"] for c in b["containers"]]


def test_centre_of_gravity_warning():
    lines = [CargoLine("A", 500, 1000, 1000, 1, weight=500)]
    p, _ = run(lines)
    c = p.containers[0]
    q = c.placements[0]
    assert c.cog_along == pytest.approx((q.x + q.dx / 2) / 2000)
    assert abs(c.cog_along - 0.5) >= 0.25
    assert any("centre of gravity" in w for w in c.warnings)


def test_svg_and_instructions():
    import xml.etree.ElementTree as ET

    lines = [CargoLine("A", 500, 500, 250, 30, weight=5), CargoLine("B", 400, 300, 200, 20, weight=3)]
    p, _ = run(lines)
    c = p.containers[0]
    svg = container_svg(c, p.lines)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Legend" in svg and "Loading steps" in svg
    rows = instruction_rows(c, p.lines)
    assert sum(r["cartons"] for r in rows) == len(c.placements)
    assert [r["step"] for r in rows] == sorted(r["step"] for r in rows)
    assert all("row " in r["position"] and "layer " in r["position"] for r in rows)


@pytest.mark.parametrize("line, message", [
    (CargoLine("zero", 0, 100, 100, 1), "length must be positive"),
    (CargoLine("neg", 100, -5, 100, 1), "width must be positive"),
    (CargoLine("huge", 3000, 100, 100, 1, orientation=OrientationRule("lengthwise")), "does not fit"),
    (CargoLine("lead", 100, 100, 100, 1, weight=5000), "more than the payload"),
])
def test_bad_lines_name_the_line(line, message):
    with pytest.raises(LoadPlanError) as e:
        plan([CargoLine("ok", 100, 100, 100, 1), line], containers=[BOX], options=FAST)
    assert message in str(e.value)
    assert "cargo line 2" in str(e.value) and repr(line.reference) in str(e.value)


def test_unknown_container_type():
    with pytest.raises(LoadPlanError, match="unknown container type"):
        plan([CargoLine("ok", 100, 100, 100, 1)], containers="20GP,50XX", options=FAST)


def test_door_limits_orientation():
    door = ContainerType("DOOR", 2000, 1000, 1000, door_width=1000, door_height=800, max_payload=1000)
    with pytest.raises(LoadPlanError, match="through the door"):
        plan([CargoLine("tall", 900, 500, 900, 1, orientation=OrientationRule("lengthwise"))],
             containers=[door], options=FAST)
    p, _ = run([CargoLine("turn", 900, 500, 900, 2)], containers=[door])
    assert all(q.dz <= 800 for c in p.containers for q in c.placements)


def test_a_shipment_whose_cartons_all_fit_stops_searching_once_every_carton_is_placed():
    """Mixed cartons, far less than a 40HQ holds, with a 20-second limit and no iteration cap: the first plan
    places everything, so the search ends there instead of running to the limit (it used to take ~9.6 s)."""
    lines = [CargoLine("A", 600, 400, 300, 120, weight=12), CargoLine("B", 500, 350, 250, 80, weight=8),
             CargoLine("C", 450, 300, 300, 60, weight=6, orientation=OrientationRule("this_side_up"))]
    started = time.monotonic()
    p, d = run(lines, containers=["40HQ"], options=PlanOptions(time_limit=20))
    assert time.monotonic() - started < 5
    assert sum(len(c.placements) for c in p.containers) == 260 and not p.not_fitted
    assert p.containers[0].stats["iterations"] <= 1

