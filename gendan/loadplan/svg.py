"""SVG picture of a loaded container: isometric view, top view and side view, legend, steps.

Cartons are coloured by cargo line; loading step numbers are written on the visible cartons and
listed in the legend.  The back wall (x = 0) is on the left in every view, the door on the right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np

from .model import CargoLine, ContainerPlan

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#8cd17d", "#f1ce63", "#a0cbe8", "#ffbe7d"]

COS30 = math.cos(math.radians(30))
SIN30 = 0.5


def _shade(hex_colour: str, f: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    if f >= 1:
        r, g, b = (int(c + (255 - c) * (f - 1)) for c in (r, g, b))
    else:
        r, g, b = (int(c * f) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True)
class SvgWords:
    """The picture's words, English unless the caller gives them in its user's language (format fields named)."""

    summary: str = "{cartons} cartons, volume {volume:.1f} %, cargo {weight:,.0f} kg"
    payload: str = " ({share:.0f} % of payload)"
    gravity: str = ", centre of gravity {along:.0f} % along, {across:.0f} % across"
    isometric: str = "Isometric view (door on the right, seen from the door side)"
    top: str = "Top view (back wall left, door right; left wall at the top)"
    side: str = "Side view (seen through the left wall; back wall left, door right)"
    door: str = "DOOR"
    legend: str = "Legend"
    cartons: str = "{count} ctn"
    no_stacking: str = ", no stacking"
    bottom_only: str = ", bottom only"
    group: str = ", group {group}"
    steps: str = "Loading steps (load in this order through the door; numbers as in the views)"
    rules: tuple[tuple[str, str], ...] = ()  # orientation rule → its words ("this_side_up" → "this side up")


FONTS = "Helvetica, Arial, 'Noto Sans CJK SC', sans-serif"  # the CJK font for words given in Chinese


def colour(line: int) -> str:
    return PALETTE[line % len(PALETTE)]


def _painter_order(boxes: np.ndarray) -> list[int]:
    """Back-to-front order for a viewer at (+inf, +inf, +inf): box j is drawn before box i when
    their pictures overlap and j lies behind i along some axis."""
    n = len(boxes)
    x0, y0, z0, x1, y1, z1 = (boxes[:, k] for k in range(6))
    indeg = np.zeros(n, dtype=np.int64)
    succ = [[] for _ in range(n)]
    # the picture of a box is a hexagon: the intersection of slabs in x - y, x - z and y - z
    a0, a1 = x0 - y1, x1 - y0
    b0, b1 = x0 - z1, x1 - z0
    c0, c1 = y0 - z1, y1 - z0
    for i in range(n):
        ov = (a0 < a1[i]) & (a0[i] < a1) & (b0 < b1[i]) & (b0[i] < b1) & (c0 < c1[i]) & (c0[i] < c1)
        behind = (x1 <= x0[i]) | (y1 <= y0[i]) | (z1 <= z0[i])
        m = ov & behind
        m[i] = False
        for j in np.flatnonzero(m):
            succ[j].append(i)
            indeg[i] += 1
    key = (x0 + y0 + z0).tolist()
    import heapq

    heap = [(key[i], i) for i in range(n) if indeg[i] == 0]
    heapq.heapify(heap)
    order, done = [], np.zeros(n, dtype=bool)
    while len(order) < n:
        if not heap:  # a cycle (rare for odd shapes): break it at the deepest remaining box
            i = min((k for k in range(n) if not done[k]), key=lambda k: key[k])
            indeg[i] = 0
            heap.append((key[i], i))
        _, i = heapq.heappop(heap)
        if done[i]:
            continue
        done[i] = True
        order.append(i)
        for j in succ[i]:
            indeg[j] -= 1
            if indeg[j] == 0 and not done[j]:
                heapq.heappush(heap, (key[j], j))
    return order


def container_svg(cp: ContainerPlan, lines: list[CargoLine], title: str = "", words: SvgWords | None = None) -> str:
    words = words or SvgWords()
    c = cp.container
    L, W, H = c.length, c.width, c.height
    page_w = 1500
    draw_w = 1100
    margin = 30
    s_iso = draw_w / ((L + W) * COS30)
    iso_h = ((L + W) * SIN30 + H) * s_iso
    s_flat = draw_w / L
    top_h = W * s_flat
    side_h = H * s_flat
    y_iso = 80
    y_top = y_iso + iso_h + 60
    y_side = y_top + top_h + 60
    page_h = int(y_side + side_h + 60)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{page_w}" height="{page_h}" '
           f'viewBox="0 0 {page_w} {page_h}" font-family="{FONTS}">',
           f'<rect width="{page_w}" height="{page_h}" fill="white"/>']
    head = title or f"{c.code} {L:,} × {W:,} × {H:,} mm"
    out.append(f'<text x="{margin}" y="32" font-size="22" font-weight="bold">{escape(head)}</text>')
    summary = (words.summary.format(cartons=len(cp.placements), volume=100 * cp.volume_utilisation,
                                    weight=cp.cargo_weight)
               + (words.payload.format(share=100 * cp.weight_utilisation) if c.max_payload else "")
               + words.gravity.format(along=100 * cp.cog_along, across=100 * cp.cog_across))
    out.append(f'<text x="{margin}" y="58" font-size="14">{escape(summary)}</text>')

    ps = cp.placements
    boxes = np.array([p.box for p in ps], dtype=np.int64).reshape(-1, 6)

    # ---------------------------------------------------------------- isometric view
    ox = margin + W * COS30 * s_iso  # screen position of the origin (back, left, floor corner)
    oy = y_iso + (H) * s_iso

    def iso(x, y, z):
        return (ox + (x - y) * COS30 * s_iso, oy + ((x + y) * SIN30 - z) * s_iso)

    def poly(pts, fill, stroke="#222", sw=0.6, extra=""):
        d = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        return f'<polygon points="{d}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{extra}/>'

    out.append('<g id="isometric">')
    out.append(f'<text x="{margin}" y="{y_iso - 6:.0f}" font-size="15" font-weight="bold">'
               f'{escape(words.isometric)}</text>')
    # container: floor, back wall and left wall as light planes
    out.append(poly([iso(0, 0, 0), iso(L, 0, 0), iso(L, W, 0), iso(0, W, 0)], "#f2f2f2", "#888", 1))
    out.append(poly([iso(0, 0, 0), iso(0, W, 0), iso(0, W, H), iso(0, 0, H)], "#e6e6e6", "#888", 1))
    out.append(poly([iso(0, 0, 0), iso(L, 0, 0), iso(L, 0, H), iso(0, 0, H)], "#ececec", "#888", 1))
    if len(ps):
        for i in _painter_order(boxes):
            a, b, cz, d, e, f = boxes[i]
            col = colour(ps[i].line)
            out.append(poly([iso(a, b, f), iso(d, b, f), iso(d, e, f), iso(a, e, f)], _shade(col, 1.35)))
            out.append(poly([iso(d, b, cz), iso(d, e, cz), iso(d, e, f), iso(d, b, f)], col))
            out.append(poly([iso(a, e, cz), iso(d, e, cz), iso(d, e, f), iso(a, e, f)], _shade(col, 0.75)))
    # container outline: front edges
    for p, q in (((L, 0, 0), (L, W, 0)), ((L, W, 0), (L, W, H)), ((0, W, 0), (L, W, 0)), ((0, 0, H), (L, 0, H)),
                 ((0, W, H), (L, W, H)), ((L, 0, H), (L, W, H)), ((0, 0, H), (0, W, H)), ((L, 0, 0), (L, 0, H))):
        (a, b), (cc, d) = iso(*p), iso(*q)
        out.append(f'<line x1="{a:.1f}" y1="{b:.1f}" x2="{cc:.1f}" y2="{d:.1f}" stroke="#555" '
                   f'stroke-width="1" stroke-dasharray="6,4"/>')
    # step numbers on the top faces visible from above
    steps = _steps(ps)
    vis_top = _visible(steps, axis="z")
    for st, (bx0, by0, _, bx1, by1, bz1) in steps.items():
        if st in vis_top:
            cx, cy = iso((bx0 + bx1) / 2, (by0 + by1) / 2, bz1)
            out.append(_label(cx, cy, st, 10))
    out.append('</g>')

    # ---------------------------------------------------------------- top view
    out.append('<g id="top">')
    out.append(f'<text x="{margin}" y="{y_top - 8:.0f}" font-size="15" font-weight="bold">'
               f'{escape(words.top)}</text>')
    out.append(f'<rect x="{margin}" y="{y_top:.1f}" width="{L * s_flat:.1f}" height="{W * s_flat:.1f}" '
               f'fill="#f7f7f7" stroke="#333" stroke-width="1.5"/>')
    for i in sorted(range(len(ps)), key=lambda k: (boxes[k][5], boxes[k][2], k)):
        a, b, cz, d, e, f = boxes[i]
        out.append(f'<rect x="{margin + a * s_flat:.1f}" y="{y_top + b * s_flat:.1f}" '
                   f'width="{(d - a) * s_flat:.1f}" height="{(e - b) * s_flat:.1f}" '
                   f'fill="{_shade(colour(ps[i].line), 1.0 + min(0.5, f / H / 2))}" stroke="#222" stroke-width="0.5"/>')
    for st, (bx0, by0, _, bx1, by1, _) in steps.items():
        if st in vis_top:
            out.append(_label(margin + (bx0 + bx1) / 2 * s_flat, y_top + (by0 + by1) / 2 * s_flat, st, 10))
    out.append(f'<text x="{margin + L * s_flat + 8:.0f}" y="{y_top + W * s_flat / 2:.0f}" font-size="13">'
               f'{escape(words.door)}</text>')
    out.append('</g>')

    # ---------------------------------------------------------------- side view (from the left wall)
    out.append('<g id="side">')
    out.append(f'<text x="{margin}" y="{y_side - 8:.0f}" font-size="15" font-weight="bold">'
               f'{escape(words.side)}</text>')
    out.append(f'<rect x="{margin}" y="{y_side:.1f}" width="{L * s_flat:.1f}" height="{H * s_flat:.1f}" '
               f'fill="#f7f7f7" stroke="#333" stroke-width="1.5"/>')
    base = y_side + H * s_flat
    for i in sorted(range(len(ps)), key=lambda k: (-boxes[k][1], k)):
        a, b, cz, d, e, f = boxes[i]
        out.append(f'<rect x="{margin + a * s_flat:.1f}" y="{base - f * s_flat:.1f}" '
                   f'width="{(d - a) * s_flat:.1f}" height="{(f - cz) * s_flat:.1f}" '
                   f'fill="{colour(ps[i].line)}" stroke="#222" stroke-width="0.5"/>')
    vis_side = _visible(steps, axis="y")
    for st, (bx0, _, bz0, bx1, _, bz1) in steps.items():
        if st in vis_side:
            out.append(_label(margin + (bx0 + bx1) / 2 * s_flat, base - (bz0 + bz1) / 2 * s_flat, st, 10))
    out.append(f'<text x="{margin + L * s_flat + 8:.0f}" y="{base - H * s_flat / 2:.0f}" font-size="13">'
               f'{escape(words.door)}</text>')
    out.append('</g>')

    # ---------------------------------------------------------------- legend
    lx = margin + draw_w + 50
    ly = y_iso + 10
    out.append(f'<text x="{lx}" y="{ly}" font-size="15" font-weight="bold">{escape(words.legend)}</text>')
    ly += 12
    per_line: dict[int, int] = {}
    for p in ps:
        per_line[p.line] = per_line.get(p.line, 0) + 1
    for li in sorted(per_line):
        ln = lines[li]
        out.append(f'<rect x="{lx}" y="{ly}" width="22" height="16" fill="{colour(li)}" stroke="#222"/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 13}" font-size="13">{escape(ln.reference)}: '
                   f'{escape(words.cartons.format(count=per_line[li]))}</text>')
        rule = dict(words.rules).get(str(ln.orientation), str(ln.orientation))
        out.append(f'<text x="{lx + 30}" y="{ly + 29}" font-size="11" fill="#444">{ln.length}×{ln.width}×'
                   f'{ln.height} mm, {ln.weight:g} kg, {escape(rule)}'
                   + escape(("" if ln.stackable else words.no_stacking) + (words.bottom_only if ln.bottom_only else "")
                            + (words.group.format(group=ln.unloading_group) if ln.unloading_group != 1 else ""))
                   + '</text>')
        ly += 42
    # loading steps: a table under the views, across the page
    first: dict[int, list] = {}
    for p in ps:
        first.setdefault(p.step, [p.line, 0])[1] += 1
    items = sorted(first.items())
    col_w = 245
    ncols = max(1, (page_w - 2 * margin) // col_w)
    nrows = math.ceil(len(items) / ncols) if items else 0
    sy = page_h - 20
    out.append(f'<text x="{margin}" y="{sy}" font-size="15" font-weight="bold">'
               f'{escape(words.steps)}</text>')
    sy += 18
    for k, (st, (li, n)) in enumerate(items):
        col, row = divmod(k, nrows)
        tx, ty = margin + col * col_w, sy + row * 14
        ref = lines[li].reference
        ref = ref if len(ref) <= 26 else ref[:25] + "…"
        out.append(f'<rect x="{tx}" y="{ty - 9}" width="9" height="9" fill="{colour(li)}"/>'
                   f'<text x="{tx + 13}" y="{ty}" font-size="10.5">{st}: {escape(ref)} ×{n}</text>')
    total_h = sy + nrows * 14 + 20
    out[0] = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{page_w}" height="{total_h}" '
              f'viewBox="0 0 {page_w} {total_h}" font-family="{FONTS}">')
    out[1] = f'<rect width="{page_w}" height="{total_h}" fill="white"/>'
    out.append('</svg>')
    return "\n".join(out)


def _steps(ps) -> dict[int, tuple]:
    st: dict[int, list] = {}
    for p in ps:
        b = p.box
        if p.step not in st:
            st[p.step] = list(b)
        else:
            r = st[p.step]
            r[0], r[1], r[2] = min(r[0], b[0]), min(r[1], b[1]), min(r[2], b[2])
            r[3], r[4], r[5] = max(r[3], b[3]), max(r[4], b[4]), max(r[5], b[5])
    return {k: tuple(v) for k, v in st.items()}


def _visible(steps: dict[int, tuple], axis: str) -> set[int]:
    """Steps whose centre is not hidden by another step (from above for z, from the left for y)."""
    vis = set()
    items = list(steps.items())
    for st, b in items:
        if axis == "z":
            cx, cy = (b[0] + b[3]) / 2, (b[1] + b[4]) / 2
            hidden = any(o[0] < cx < o[3] and o[1] < cy < o[4] and o[5] > b[5] for k, o in items if k != st)
        else:
            cx, cz = (b[0] + b[3]) / 2, (b[2] + b[5]) / 2
            hidden = any(o[0] < cx < o[3] and o[2] < cz < o[5] and o[1] < b[1] for k, o in items if k != st)
        if not hidden:
            vis.add(st)
    return vis


def _label(x, y, n, size):
    return (f'<text x="{x:.1f}" y="{y + size / 3:.1f}" font-size="{size}" text-anchor="middle" '
            f'font-weight="bold" fill="#000" stroke="#fff" stroke-width="2.5" paint-order="stroke">{n}</text>')
