"""python -m gendan.loadplan CARGO.xlsx|.csv|.json [--containers 20GP,40HQ] [--rates 20GP=1800,...]
[--currency USD] [--time-limit S] [--seed N] [--max-iterations N] [--svg DIR] [--json FILE]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import LoadPlanError, PlanOptions, container_svg, instruction_rows, plan, read_cargo


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gendan.loadplan",
                                 description="Plan how export cartons go into containers.")
    ap.add_argument("cargo", type=Path, help="cargo lines: .csv, .xlsx or .json (see README.md)")
    ap.add_argument("--containers", default="20GP,40GP,40HQ", help="container types to choose from")
    ap.add_argument("--rates", default="", help="freight per container, e.g. 20GP=1800,40HQ=3200[,LCL=60]")
    ap.add_argument("--currency", default="USD")
    ap.add_argument("--time-limit", type=float, default=5.0, help="seconds of search per container")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-iterations", type=int, default=None,
                    help="beam iterations per container (exactly reproducible plans)")
    ap.add_argument("--svg", type=Path, help="write one SVG picture per container into this folder")
    ap.add_argument("--json", type=Path, help="write the plan as JSON to this file")
    ap.add_argument("--instructions", action="store_true", help="print the loading instructions")
    a = ap.parse_args(argv)
    try:
        lines = read_cargo(a.cargo)
        p = plan(lines, containers=a.containers, rates=a.rates, currency=a.currency,
                 options=PlanOptions(time_limit=a.time_limit, seed=a.seed, max_iterations=a.max_iterations))
    except LoadPlanError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    total = sum(ln.count for ln in lines)
    print(f"{len(lines)} cargo lines, {total} cartons, "
          f"{sum(ln.volume * ln.count for ln in lines) / 1e9:.2f} m³, "
          f"{sum(ln.weight * ln.count for ln in lines):,.0f} kg")
    mix: dict[str, int] = {}
    for cp in p.containers:
        mix[cp.container.code] = mix.get(cp.container.code, 0) + 1
    print("containers: " + (", ".join(f"{n} × {k}" for k, n in mix.items()) or "none"))
    if p.freight_cost is not None:
        print(f"freight: {p.currency} {p.freight_cost:,.2f}")
    if p.lcl:
        print(f"LCL: {p.lcl['wm']} W/M × {p.lcl['rate']} = {p.currency} {p.lcl['cost']:,.2f} "
              f"-> recommended: {p.recommendation}")
    for k, cp in enumerate(p.containers, 1):
        print(f"  #{k} {cp.container.code}: {len(cp.placements)} cartons, volume "
              f"{100 * cp.volume_utilisation:.1f} %, weight {cp.cargo_weight:,.0f} kg "
              f"({100 * cp.weight_utilisation:.0f} % of payload), centre of gravity "
              f"{100 * cp.cog_along:.0f} % along / {100 * cp.cog_across:.0f} % across")
        for w in cp.warnings:
            print(f"     warning: {w}")
        if a.instructions:
            for r in instruction_rows(cp, lines):
                print(f"     step {r['step']:>3}: {r['reference']} × {r['cartons']} ({r['arrangement']}), "
                      f"{r['orientation']}; {r['position']}")
    if p.not_fitted:
        print("not fitted:")
        for nf in p.not_fitted:
            print(f"  {nf.reference}: {nf.count} cartons — {nf.reason}")
    else:
        print("not fitted: none")
    if a.svg:
        a.svg.mkdir(parents=True, exist_ok=True)
        for k, cp in enumerate(p.containers, 1):
            f = a.svg / f"container-{k}-{cp.container.code}.svg"
            f.write_text(container_svg(cp, lines, title=f"Container {k} of {len(p.containers)}: "
                                                      f"{cp.container.code}"), encoding="utf-8")
            print(f"wrote {f}")
    if a.json:
        d = p.to_dict()
        d["instructions"] = [instruction_rows(cp, lines) for cp in p.containers]
        a.json.write_text(json.dumps(d, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
