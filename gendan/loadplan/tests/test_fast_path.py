"""The fast path: a cargo that the greedy plan of simple blocks puts wholly into the cheapest mix, one container,
is answered with that plan, without combined blocks or search; anything else goes through the full search."""

from __future__ import annotations

import json

import pytest

from gendan.loadplan import CargoLine, ContainerType, OrientationRule, PlanOptions, multi, plan

from .validator import validate

RATES = {"20GP": 1800, "40GP": 3000, "40HQ": 3200}
BOX = ContainerType("BOX", 2000, 1000, 1000, max_payload=2000)


def chain_order():
    """A whole-chain order of the benchmark (bench/chain.py): 5 lines of 1–5 cartons of 40×30×25 cm, 13.2 kg."""
    return [CargoLine(f"PO-{n}", 400, 300, 250, n, weight=13.2) for n in range(1, 6)]


@pytest.fixture
def packed(monkeypatch):
    """The containers pack_container is asked to fill, with whether only the greedy plan of simple blocks."""
    calls = []
    real = multi.pack_container

    def spy(lines, counts, container, opts, until=None, *, greedy_only=False):
        calls.append((container.code, greedy_only))
        return real(lines, counts, container, opts, until, greedy_only=greedy_only)

    monkeypatch.setattr(multi, "pack_container", spy)
    return calls


def checked(p):
    d = json.loads(json.dumps(p.to_dict()))
    validate(d)
    return d


def test_a_small_cargo_is_planned_by_the_fast_path(packed):
    p = plan(chain_order(), containers="20GP,40GP,40HQ", rates=RATES, options=PlanOptions(time_limit=10))
    d = checked(p)
    assert packed == [("20GP", True)]  # one greedy plan, no search of any container
    [c] = d["containers"]
    assert c["container"]["code"] == "20GP" and d["freight_cost"] == 1800 and d["not_fitted"] == []
    assert len(c["placements"]) == 15
    assert sorted(q["seq"] for q in c["placements"]) == list(range(1, 16))
    assert c["stats"]["fast_path"] is True and c["stats"]["iterations"] == 0
    # simple blocks only: every loading step is cartons of one line in one orientation
    steps = {}
    for q in c["placements"]:
        steps.setdefault(q["step"], set()).add((q["line"], q["dx"], q["dy"], q["dz"]))
    assert all(len(kinds) == 1 for kinds in steps.values())


def test_the_fast_path_gives_the_mix_and_freight_of_the_full_search():
    fast = plan(chain_order(), containers="20GP,40GP,40HQ", rates=RATES, options=PlanOptions(time_limit=10))
    full = plan(chain_order(), containers="20GP,40GP,40HQ", rates=RATES,
                options=PlanOptions(time_limit=10, fast_path=False))
    checked(full)
    assert [c.container.code for c in fast.containers] == [c.container.code for c in full.containers] == ["20GP"]
    assert fast.freight_cost == full.freight_cost and not fast.not_fitted and not full.not_fitted
    assert "fast_path" not in full.containers[0].stats
    assert fast.containers[0].stats["blocks"] < full.containers[0].stats["blocks"]  # no combined blocks
    assert fast.containers[0].cargo_weight == pytest.approx(full.containers[0].cargo_weight) == 15 * 13.2


def test_a_cargo_too_big_for_one_container_goes_through_the_full_search(packed):
    """2.5 m³ of cartons for boxes of 2 m³: the cheapest mix has two containers, so no fast path is tried."""
    lines = [CargoLine("A", 500, 500, 500, 12, weight=10.0), CargoLine("B", 500, 500, 500, 8, weight=10.0)]
    p = plan(lines, containers=[BOX], options=PlanOptions(time_limit=10, max_iterations=1))
    checked(p)
    assert packed == [("BOX", False), ("BOX", False)]
    assert len(p.containers) == 2 and not p.not_fitted
    assert not any("fast_path" in c.stats for c in p.containers)
    assert p.containers[0].stats["iterations"] == 1  # the beam search ran


def test_when_the_greedy_plan_leaves_cartons_the_full_search_runs(packed):
    """Nine non-stackable plates take 0.9 of the 2 m³, so one BOX is the cheapest mix, but only two fit on its
    floor: the fast path is tried, fails, and the search runs as before."""
    plates = [CargoLine("plate", 1000, 1000, 100, 9, weight=1, stackable=False,
                        orientation=OrientationRule("this_side_up"))]
    p = plan(plates, containers=[BOX], options=PlanOptions(time_limit=2, max_iterations=1))
    checked(p)
    assert packed[0] == ("BOX", True) and packed[1:] and not any(greedy for _, greedy in packed[1:])
    assert "fast_path" not in p.containers[0].stats
    assert len(p.containers[0].placements) == 2 and p.not_fitted[0].count == 7


def test_the_fast_path_can_be_turned_off(packed):
    plan(chain_order(), containers="20GP,40GP,40HQ", rates=RATES, options=PlanOptions(time_limit=10, fast_path=False))
    assert packed == [("20GP", False)]


def test_the_fast_path_keeps_unloading_groups_and_load_limits():
    lines = [CargoLine("stop1", 400, 300, 250, 12, weight=20, max_load=40, unloading_group=1),
             CargoLine("stop2", 500, 400, 300, 8, weight=15, orientation=OrientationRule("this_side_up"),
                       unloading_group=2),
             CargoLine("glass", 600, 400, 300, 3, weight=9, stackable=False, unloading_group=2)]
    p = plan(lines, containers="20GP,40HQ", rates=RATES, options=PlanOptions(time_limit=10))
    d = checked(p)  # the validator checks load on top, non-stackable, sequence and group order
    assert d["containers"][0]["stats"]["fast_path"] is True and not d["not_fitted"]
    first = min(p.containers[0].placements, key=lambda q: q.seq)
    assert first.reference in ("stop2", "glass")
