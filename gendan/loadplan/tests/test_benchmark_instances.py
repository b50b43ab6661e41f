"""BR instances: plans with full support pass the shared checker; plans are reproducible."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "clp"

pytestmark = pytest.mark.skipif(not (DATA / "clp_instances.py").exists(), reason="shared BR data not available")


def checker():
    spec = importlib.util.spec_from_file_location("clp_instances_for_tests", DATA / "clp_instances.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def items_of(instance):
    from gendan.loadplan.blocks import ItemType

    items = []
    for i, bt in enumerate(instance.box_types):
        ors = []
        for k in range(3):
            if bt.may_be_vertical[k]:
                a, b = [bt.dims[j] for j in range(3) if j != k]
                ors += [(a, b, bt.dims[k]), (b, a, bt.dims[k])]
        items.append(ItemType(i, list(dict.fromkeys(ors)), bt.count))
    return items


def solve(instance, **kw):
    from gendan.loadplan.search import SearchConfig, solve

    boxes, _ = solve(items_of(instance), instance.container, SearchConfig(**kw))
    return [{"type": t + 1, "x": x, "y": y, "z": z, "dx": dx, "dy": dy, "dz": dz}
            for t, x, y, z, dx, dy, dz, _ in boxes]


@pytest.mark.parametrize("fname, number", [("br01.txt", 1), ("br04.txt", 2), ("br07.txt", 3), ("br12.txt", 1)])
def test_shared_checker_accepts_full_support_plans(fname, number):
    chk = checker()
    inst = chk.read_instances(DATA / fname)[number - 1]
    placements = solve(inst, time_limit=1.0, max_iterations=2)
    util = chk.check_plan(inst, placements, full_support=True)
    assert util > 0.70


def test_reproducible_with_iteration_budget():
    chk = checker()
    inst = chk.read_instances(DATA / "br03.txt")[4]
    a = solve(inst, time_limit=60, max_iterations=3, seed=1)
    b = solve(inst, time_limit=60, max_iterations=3, seed=1)
    assert a == b


def test_benchmark_smoke(tmp_path, capsys):
    import json

    bench = pytest.importorskip("bench.load_plan")
    rc = bench.main(["--class", "BR2", "--instances", "1", "--time-limit", "0.5", "--no-baseline",
                     "--plans-out", str(tmp_path), "--data", str(DATA)])
    assert rc == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(last) >= {"avg_utilisation", "max_seconds_per_instance", "py3dbp_avg_utilisation"}
    assert 0.7 < last["avg_utilisation"]["BR2"] <= 1
    plan = json.loads((tmp_path / "br02.jsonl").read_text().splitlines()[0])
    assert plan["full_support"] is True and plan["instance"] == 1
