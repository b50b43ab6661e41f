"""Loading instructions: one row per loading step, in words a warehouse can follow."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .model import CargoLine, ContainerPlan, Placement


@dataclass(frozen=True)
class InstructionWords:
    """The loading steps' words, English unless the caller gives them in its reader's language (format fields
    named)."""

    upright: str = "upright (top side up)"
    on_side: str = "on its side (width upright)"
    on_end: str = "on its end (length upright)"
    length_along: str = "length along the container"
    length_across: str = "length across the container"
    width_along: str = "width along the container"
    width_across: str = "width across the container"
    square: str = "square base"
    orientation: str = "{up}, {along}"
    arrangement: str = "{deep} deep × {across} across × {high} high"
    full_width: str = "full width"
    left_wall: str = "against the left wall ({width} wide)"
    right_wall: str = "against the right wall ({width} wide)"
    from_left: str = "{distance} from the left wall"
    floor: str = "on the floor"
    on_top: str = "on top of the cartons at {height}"
    position: str = "row {row}, layer {layer}: {start}–{end} from the back wall, {side}, {base}"


ENGLISH = InstructionWords()


def orientation_words(line: CargoLine, p: Placement, words: InstructionWords = ENGLISH) -> str:
    ln, wd, ht = line.length, line.width, line.height
    if p.dz == ht and sorted((p.dx, p.dy)) == sorted((ln, wd)):
        up = words.upright
        along = words.length_along if p.dx == ln else words.length_across
        if ln == wd:
            along = words.square
    elif p.dz == wd and sorted((p.dx, p.dy)) == sorted((ln, ht)):
        up = words.on_side
        along = words.length_along if p.dx == ln else words.length_across
    else:
        up = words.on_end
        along = words.width_along if p.dx == wd else words.width_across
    return words.orientation.format(up=up, along=along)


def _mm(v: int) -> str:
    return f"{v:,} mm"


def _side(y0: int, y1: int, width: int, words: InstructionWords) -> str:
    if y0 == 0 and y1 == width:
        return words.full_width
    if y0 == 0:
        return words.left_wall.format(width=_mm(y1))
    if y1 == width:
        return words.right_wall.format(width=_mm(y1 - y0))
    return words.from_left.format(distance=_mm(y0))


def instruction_rows(cp: ContainerPlan, lines: list[CargoLine], words: InstructionWords = ENGLISH) -> list[dict]:
    """Rows: step, cargo line, cartons, orientation, position (row from the back wall, layer from
    the floor, side), and the coordinates of the step's cartons."""
    steps: dict[int, list[Placement]] = {}
    for p in cp.placements:
        steps.setdefault(p.step, []).append(p)
    # rows: distinct back faces of the steps along the container; layers: distinct floor heights
    xs = sorted({min(q.x for q in ps) for ps in steps.values()})
    zs = sorted({min(q.z for q in ps) for ps in steps.values()})
    rows = []
    for step in sorted(steps):
        ps = steps[step]
        p0 = ps[0]
        ln = lines[p0.line]
        x0, y0, z0 = min(q.x for q in ps), min(q.y for q in ps), min(q.z for q in ps)
        x1 = max(q.x + q.dx for q in ps)
        y1 = max(q.y + q.dy for q in ps)
        z1 = max(q.z + q.dz for q in ps)
        base = words.floor if z0 == 0 else words.on_top.format(height=_mm(z0))
        rows.append({
            "step": step,
            "line": p0.line + 1,
            "reference": ln.reference,
            "cartons": len(ps),
            "arrangement": words.arrangement.format(deep=len({q.x for q in ps}), across=len({q.y for q in ps}),
                                                    high=len({q.z for q in ps})),
            "orientation": orientation_words(ln, p0, words),
            "position": words.position.format(row=bisect.bisect_left(xs, x0) + 1, layer=bisect.bisect_left(zs, z0) + 1,
                                              start=_mm(x0), end=_mm(x1), side=_side(y0, y1, cp.container.width, words),
                                              base=base),
            "x": x0, "y": y0, "z": z0, "dx": x1 - x0, "dy": y1 - y0, "dz": z1 - z0,
        })
    return rows


def instructions_text(cp: ContainerPlan, lines: list[CargoLine]) -> str:
    out = []
    for r in instruction_rows(cp, lines):
        out.append(f"{r['step']:>4}  {r['reference']:<14} {r['cartons']:>4} ctn  {r['arrangement']:<24} "
                   f"{r['orientation']}; {r['position']}")
    return "\n".join(out)
