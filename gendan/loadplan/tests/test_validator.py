"""The validator itself must reject faulty plans."""

from __future__ import annotations

import copy

import pytest

from .validator import validate

LINE = {"reference": "A", "length": 400, "width": 300, "height": 200, "count": 2, "weight": 10.0,
        "orientation": "this_side_up", "stackable": True, "max_load": None, "bottom_only": False,
        "unloading_group": 1}
CONTAINER = {"code": "C", "length": 1000, "width": 1000, "height": 1000, "max_payload": 100}


def good():
    return {
        "lines": [dict(LINE)],
        "containers": [{"container": dict(CONTAINER), "placements": [
            {"line": 0, "x": 0, "y": 0, "z": 0, "dx": 400, "dy": 300, "dz": 200, "seq": 1, "step": 1},
            {"line": 0, "x": 0, "y": 0, "z": 200, "dx": 400, "dy": 300, "dz": 200, "seq": 2, "step": 2},
        ]}],
        "not_fitted": [],
    }


def test_good_plan_passes():
    validate(good())


def broken(fn):
    d = copy.deepcopy(good())
    fn(d)
    return d


@pytest.mark.parametrize("fault, message", [
    (lambda d: d["containers"][0]["placements"][1].update(z=250), "supported"),
    (lambda d: d["containers"][0]["placements"][1].update(z=100), "overlap"),
    (lambda d: d["containers"][0]["placements"][1].update(dx=200, dz=300, dy=400), "orientation"),
    (lambda d: d["containers"][0]["placements"][1].update(x=700), "outside"),
    (lambda d: d["lines"][0].update(stackable=False), "non-stackable"),
    (lambda d: d["lines"][0].update(max_load=5), "carries"),
    (lambda d: d["lines"][0].update(count=3), "placed 2"),
    (lambda d: d["containers"][0]["container"].update(max_payload=15), "payload"),
    (lambda d: [d["containers"][0]["placements"][0].update(seq=2),
                d["containers"][0]["placements"][1].update(seq=1)], "stands on"),
])
def test_faults_are_caught(fault, message):
    with pytest.raises(AssertionError, match=message):
        validate(broken(fault))


def test_blocked_from_the_door_is_caught():
    d = good()
    d["containers"][0]["placements"] = [
        {"line": 0, "x": 600, "y": 0, "z": 0, "dx": 400, "dy": 300, "dz": 200, "seq": 1, "step": 1},
        {"line": 0, "x": 0, "y": 0, "z": 0, "dx": 400, "dy": 300, "dz": 200, "seq": 2, "step": 2},
    ]
    with pytest.raises(AssertionError, match="blocks the way"):
        validate(d)


def test_group_order_is_caught():
    d = good()
    d["lines"] = [dict(LINE, count=1, unloading_group=1), dict(LINE, reference="B", count=1, unloading_group=2)]
    d["containers"][0]["placements"] = [
        {"line": 0, "x": 0, "y": 0, "z": 0, "dx": 400, "dy": 300, "dz": 200, "seq": 1, "step": 1},
        {"line": 1, "x": 400, "y": 0, "z": 0, "dx": 400, "dy": 300, "dz": 200, "seq": 2, "step": 2},
    ]
    with pytest.raises(AssertionError, match="group"):
        validate(d)
