"""The time limit bounds the whole plan() call, however many containers and mixes it tries."""

from __future__ import annotations

import json
import time

from gendan.loadplan import CargoLine, OrientationRule, PlanOptions, plan

from .validator import validate

RATES = {"20GP": 1800, "40GP": 3000, "40HQ": 3200}
MARGIN = 1.0  # the greedy plans of containers started late and the summaries, on a busy machine


def timed(lines, limit):
    started = time.monotonic()
    p = plan(lines, containers="20GP,40GP,40HQ", rates=RATES, options=PlanOptions(time_limit=limit))
    took = time.monotonic() - started
    validate(json.loads(json.dumps(p.to_dict())))
    return p, took


def test_a_plan_of_three_containers_keeps_to_a_3_second_limit():
    """163 m³: 40HQ + 40GP + 20GP at 8000. Per container, as before, this took three times the limit."""
    lines = [CargoLine("A", 610, 430, 380, 900, weight=14.0, orientation=OrientationRule("this_side_up")),
             CargoLine("B", 540, 370, 290, 700, weight=9.0),
             CargoLine("C", 480, 410, 330, 500, weight=11.0, max_load=150)]
    p, took = timed(lines, 3)
    assert took < 3 + MARGIN
    assert sorted(c.container.code for c in p.containers) == ["20GP", "40GP", "40HQ"]
    assert not p.not_fitted and p.freight_cost == 8000


def test_when_the_cheapest_mix_fails_a_larger_one_is_tried_within_the_limit():
    """2000 cartons of 600×400×400 (192 m³): 40HQ + 2 × 40GP would hold the volume but not these cartons; the
    cheapest mix that can, 3 × 40HQ, is found in time."""
    lines = [CargoLine("A", 600, 400, 400, 1000, weight=10.0), CargoLine("B", 600, 400, 400, 1000, weight=10.0)]
    p, took = timed(lines, 6)
    assert took < 6 + MARGIN
    assert [c.container.code for c in p.containers] == ["40HQ", "40HQ", "40HQ"] and not p.not_fitted


def test_a_plan_that_fits_returns_as_soon_as_every_carton_is_placed():
    p, took = timed([CargoLine("A", 500, 400, 300, 100, weight=8.0)], 30)
    assert took < 3 and len(p.containers) == 1 and not p.not_fitted
