"""Benchmark of the container load planner on the BR1–BR15 instances, full support on.

    python -m bench.load_plan --class BR1 BR7 --instances 5 --time-limit 9 [--plans-out DIR]
        [--data DIR] [--workers N] [--seed S] [--max-iterations N] [--clock wall|cpu] [--overrun S]
        [--no-baseline]
    python -m bench.load_plan --small-cargo 25


The time limit is on the wall clock by default and counts from the start of block generation: no
beam iteration starts after it, and a running one is cut off `--overrun` seconds later (default
0.5), so `--time-limit 9` ends every instance within about 9.5 s wall.
Every plan is checked with the shared `clp_instances.check_plan(..., full_support=True)`.
The last output line is JSON: avg_utilisation per class, max_seconds_per_instance (wall seconds of
solving and checking one instance), max_cpu_seconds_per_instance, py3dbp_avg_utilisation (py3dbp on
the first 5 instances of BR1 and BR7, as the baseline).

`--small-cargo N` times instead `plan()` on a whole-chain order's cargo (bench/chain.py: 5 lines of 1–5 cartons
of 40×30×25 cm, 13.2 kg; 20GP/40GP/40HQ at 1800/3000/3200; 10 s limit), N calls with the fast path and N without
(`PlanOptions.fast_path=False`, the full search as before it), alternating in one process after a warm-up, and
prints the medians in ms as JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "clp"


def load_checker(data_dir: Path):
    spec = importlib.util.spec_from_file_location("clp_instances", data_dir / "clp_instances.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["clp_instances"] = mod
    spec.loader.exec_module(mod)
    return mod


def items_of(instance):
    from gendan.loadplan.blocks import ItemType

    items = []
    for i, bt in enumerate(instance.box_types):
        dims = bt.dims
        ors = []
        for k in range(3):
            if bt.may_be_vertical[k]:
                a, b = [dims[j] for j in range(3) if j != k]
                ors.append((a, b, dims[k]))
                ors.append((b, a, dims[k]))
        items.append(ItemType(i, list(dict.fromkeys(ors)), bt.count))
    return items


def solve_instance(args):
    data_dir, cls_file, number, time_limit, seed, max_iterations, min_fill, clock, overrun = args
    from gendan.loadplan.search import SearchConfig, solve

    chk = load_checker(Path(data_dir))
    inst = {i.number: i for i in chk.read_instances(Path(data_dir) / cls_file)}[number]
    t0 = time.monotonic()
    c0 = time.process_time()
    cfg = SearchConfig(time_limit=time_limit, seed=seed, max_iterations=max_iterations, min_fill=min_fill,
                       clock=clock, overrun=overrun)
    boxes, stats = solve(items_of(inst), inst.container, cfg)
    placements = [{"type": t + 1, "x": x, "y": y, "z": z, "dx": dx, "dy": dy, "dz": dz}
                  for t, x, y, z, dx, dy, dz, _ in boxes]
    util = chk.check_plan(inst, placements, full_support=True)
    secs = time.monotonic() - t0
    cpu = time.process_time() - c0
    return number, util, secs, cpu, placements, stats


def py3dbp_utilisation(inst) -> float:
    from py3dbp import Bin, Item, Packer

    packer = Packer()
    L, W, H = inst.container
    packer.add_bin(Bin("c", L, W, H, 10**9))
    for t, bt in enumerate(inst.box_types):
        for k in range(bt.count):
            packer.add_item(Item(f"{t}-{k}", *bt.dims, 1))
    packer.pack(bigger_first=True)
    b = packer.bins[0]
    vol = sum(float(it.width) * float(it.height) * float(it.depth) for it in b.items)
    return vol / (L * W * H)


def small_cargo(calls: int) -> dict:
    import statistics

    from gendan.loadplan import CargoLine, PlanOptions, plan

    lines = [CargoLine(f"PO-{n}", 400, 300, 250, n, weight=13.2) for n in range(1, 6)]
    rates = {"20GP": 1800, "40GP": 3000, "40HQ": 3200}
    times: dict[bool, list[float]] = {True: [], False: []}
    shape = {}
    for k in range(calls + 2):
        for fast in (False, True):
            t0 = time.perf_counter()
            p = plan(lines, containers="20GP,40GP,40HQ", rates=rates,
                     options=PlanOptions(time_limit=10, fast_path=fast))
            took = time.perf_counter() - t0
            if k >= 2:  # the first two of each: warm-up
                times[fast].append(took)
            c = p.containers[0]
            shape[fast] = {"containers": [cp.container.code for cp in p.containers], "not_fitted": len(p.not_fitted),
                           "blocks": c.stats.get("blocks"), "iterations": c.stats.get("iterations"),
                           "steps": max(q.step for q in c.placements), "fast_path": bool(c.stats.get("fast_path"))}
    return {"small_cargo_calls": calls,
            "small_cargo_ms_median": round(1000 * statistics.median(times[True]), 1),
            "small_cargo_ms_range": [round(1000 * min(times[True]), 1), round(1000 * max(times[True]), 1)],
            "small_cargo_full_search_ms_median": round(1000 * statistics.median(times[False]), 1),
            "small_cargo_full_search_ms_range": [round(1000 * min(times[False]), 1),
                                                 round(1000 * max(times[False]), 1)],
            "small_cargo_plan": shape[True], "small_cargo_full_search_plan": shape[False]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--class", dest="classes", nargs="+", default=["BR1"])
    ap.add_argument("--instances", type=int, default=100)
    ap.add_argument("--time-limit", type=float, default=9.0,
                    help="seconds per instance after which no beam iteration starts")
    ap.add_argument("--overrun", type=float, default=0.5,
                    help="seconds after the time limit at which a running beam iteration is cut off")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="clock of the time limit: wall time, or the solving process's CPU time")
    ap.add_argument("--max-iterations", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-fill", type=float, default=None,
                    help="general blocks: minimum filled share (default automatic)")
    ap.add_argument("--plans-out", type=Path)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--small-cargo", type=int, metavar="CALLS",
                    help="time plan() on a whole-chain order's cargo instead, with and without the fast path")
    a = ap.parse_args(argv)
    if a.small_cargo:
        print(json.dumps(small_cargo(a.small_cargo)))
        return 0
    chk = load_checker(a.data)
    avg, max_cpu, max_wall = {}, 0.0, 0.0
    pool = None
    if a.workers > 1:
        import multiprocessing

        pool = multiprocessing.get_context("spawn").Pool(a.workers)
    for cls in a.classes:
        n = int(cls.upper().removeprefix("BR"))
        fname = f"br{n:02d}.txt"
        insts = chk.read_instances(a.data / fname)[: a.instances]
        jobs = [(str(a.data), fname, i.number, a.time_limit, a.seed, a.max_iterations, a.min_fill, a.clock,
                 a.overrun) for i in insts]
        results = pool.map(solve_instance, jobs) if pool else map(solve_instance, jobs)
        utils = []
        out = None
        if a.plans_out:
            a.plans_out.mkdir(parents=True, exist_ok=True)
            out = open(a.plans_out / f"br{n:02d}.jsonl", "w")
        for number, util, secs, cpu, placements, stats in results:
            utils.append(util)
            max_cpu = max(max_cpu, cpu)
            max_wall = max(max_wall, secs)
            print(f"BR{n} #{number}: {100 * util:.2f} % in {secs:.2f} s wall ({cpu:.2f} CPU-s) "
                  f"({stats.get('blocks')} blocks, {stats.get('iterations')} iterations)", flush=True)
            if out:
                out.write(json.dumps({"instance": number, "full_support": True, "placements": placements}) + "\n")
        if out:
            out.close()
        avg[f"BR{n}"] = round(sum(utils) / len(utils), 5)
        print(f"BR{n}: average {100 * avg[f'BR{n}']:.2f} % over {len(utils)} instances", flush=True)
    if pool:
        pool.close()
    base = None
    if not a.no_baseline:
        us = []
        for fname in ("br01.txt", "br07.txt"):
            for inst in chk.read_instances(a.data / fname)[:5]:
                us.append(py3dbp_utilisation(inst))
        base = round(sum(us) / len(us), 5)
    print(json.dumps({"avg_utilisation": avg, "max_seconds_per_instance": round(max_wall, 2),
                      "seconds_are": f"wall seconds per instance, solve + check ({a.clock} clock deadline)",
                      "max_cpu_seconds_per_instance": round(max_cpu, 2),
                      "py3dbp_avg_utilisation": base, "time_limit": a.time_limit, "overrun": a.overrun,
                      "clock": a.clock, "instances_per_class": a.instances}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
