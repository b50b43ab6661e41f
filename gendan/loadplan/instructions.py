"""Loading instructions: one row per loading step, in words a warehouse can follow."""

from __future__ import annotations

import bisect

from .model import CargoLine, ContainerPlan, Placement


def orientation_words(line: CargoLine, p: Placement) -> str:
    ln, wd, ht = line.length, line.width, line.height
    if p.dz == ht and sorted((p.dx, p.dy)) == sorted((ln, wd)):
        up = "upright (top side up)"
        along = "length along the container" if p.dx == ln else "length across the container"
        if ln == wd:
            along = "square base"
    elif p.dz == wd and sorted((p.dx, p.dy)) == sorted((ln, ht)):
        up = "on its side (width upright)"
        along = "length along the container" if p.dx == ln else "length across the container"
    else:
        up = "on its end (length upright)"
        along = "width along the container" if p.dx == wd else "width across the container"
    return f"{up}, {along}"


def _mm(v: int) -> str:
    return f"{v:,} mm"


def instruction_rows(cp: ContainerPlan, lines: list[CargoLine]) -> list[dict]:
    """Rows: step, cargo line, cartons, orientation, position (row from the back wall, layer from
    the floor, side), and the coordinates of the step's cartons."""
    steps: dict[int, list[Placement]] = {}
    for p in cp.placements:
        steps.setdefault(p.step, []).append(p)
    # rows: distinct back faces of the steps along the container; layers: distinct floor heights
    xs = sorted({min(q.x for q in ps) for ps in steps.values()})
    zs = sorted({min(q.z for q in ps) for ps in steps.values()})
    width = cp.container.width
    rows = []
    for step in sorted(steps):
        ps = steps[step]
        p0 = ps[0]
        ln = lines[p0.line]
        x0, y0, z0 = min(q.x for q in ps), min(q.y for q in ps), min(q.z for q in ps)
        x1 = max(q.x + q.dx for q in ps)
        y1 = max(q.y + q.dy for q in ps)
        z1 = max(q.z + q.dz for q in ps)
        row = bisect.bisect_left(xs, x0) + 1
        layer = bisect.bisect_left(zs, z0) + 1
        if y0 == 0 and y1 == width:
            side = "full width"
        elif y0 == 0:
            side = f"against the left wall ({_mm(y1)} wide)"
        elif y1 == width:
            side = f"against the right wall ({_mm(y1 - y0)} wide)"
        else:
            side = f"{_mm(y0)} from the left wall"
        nx = len({q.x for q in ps})
        ny = len({q.y for q in ps})
        nz = len({q.z for q in ps})
        base = "on the floor" if z0 == 0 else f"on top of the cartons at {_mm(z0)}"
        rows.append({
            "step": step,
            "line": p0.line + 1,
            "reference": ln.reference,
            "cartons": len(ps),
            "arrangement": f"{nx} deep × {ny} across × {nz} high",
            "orientation": orientation_words(ln, p0),
            "position": f"row {row}, layer {layer}: {_mm(x0)}–{_mm(x1)} from the back wall, {side}, {base}",
            "x": x0, "y": y0, "z": z0, "dx": x1 - x0, "dy": y1 - y0, "dz": z1 - z0,
        })
    return rows


def instructions_text(cp: ContainerPlan, lines: list[CargoLine]) -> str:
    out = []
    for r in instruction_rows(cp, lines):
        out.append(f"{r['step']:>4}  {r['reference']:<14} {r['cartons']:>4} ctn  {r['arrangement']:<24} "
                   f"{r['orientation']}; {r['position']}")
    return "\n".join(out)
