"""Blocks for block building: simple blocks (nx × ny × nz cartons of one type in one orientation)
and general (composite) blocks made of two blocks side by side or one on top of the other.

Every block is *internally fully supported*: each carton in it stands on the block's floor or on
carton tops at exactly its height.  A block offers a *packing area* on its top: a rectangle at the
block's full height that is completely covered by carton tops, so whatever is put there later is
fully supported too.  All numbers are integers (mm for real cargo, cm for the BR instances).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

INF = float("inf")


@dataclass
class ItemType:
    """One kind of carton as the engine sees it (a cargo line, or a box type of a BR instance)."""

    index: int
    orientations: list[tuple[int, int, int]]  # allowed (dx, dy, dz), dz upright
    count: int
    weight: float = 0.0
    stackable: bool = True
    max_load: float = INF  # kg that may rest on one carton
    bottom_only: bool = False
    group: int = 0  # loading rank: 0 = loaded first (deepest, unloaded last)

    @property
    def volume(self) -> int:
        dx, dy, dz = self.orientations[0]
        return dx * dy * dz


@dataclass
class Block:
    lx: int
    ly: int
    lz: int
    req: dict[int, int]  # item type -> cartons used
    volume: int  # volume of the cartons (not of the bounding box)
    weight: float
    pa: tuple[int, int, int, int]  # packing area on top (x0, y0, x1, y1), relative to the block
    cap: float  # pressure (kg/mm²) the packing area may still take (INF without load limits)
    top_ok: bool  # may anything be put on top?
    floor_only: bool  # contains bottom-only cartons: must stand on the container floor
    # construction: either a simple grid or two children with offsets
    simple: tuple | None = None  # (type, dx, dy, dz, nx, ny, nz)
    children: tuple | None = None  # ((block, ox, oy, oz), (block, ox, oy, oz))
    key: tuple = field(default=())
    group: int = 0
    # greatest pressure (kg/mm²) the block puts on what it stands on: weights rest on the area below
    # in proportion to contact area, so a carton under it carries at most pbase × its top area
    pbase: float = 0.0

    def boxes(self, x: int = 0, y: int = 0, z: int = 0, out: list | None = None) -> list:
        """Expand into cartons: list of (type, x, y, z, dx, dy, dz), lower layers first."""
        if out is None:
            out = []
        if self.simple is not None:
            t, dx, dy, dz, nx, ny, nz = self.simple
            for k in range(nz):
                for i in range(nx):
                    for j in range(ny):
                        out.append((t, x + i * dx, y + j * dy, z + k * dz, dx, dy, dz))
        else:
            for child, ox, oy, oz in self.children:
                child.boxes(x + ox, y + oy, z + oz, out)
        return out


def _pa_area(pa):
    return (pa[2] - pa[0]) * (pa[3] - pa[1])


def simple_blocks(items: list[ItemType], container: tuple[int, int, int], weights: bool) -> list[Block]:
    L, W, H = container
    out = []
    for it in items:
        if it.count <= 0:
            continue
        for dx, dy, dz in dict.fromkeys(it.orientations):
            if dx > L or dy > W or dz > H:
                continue
            max_nz = 1 if (it.bottom_only or not it.stackable) else H // dz
            if weights and it.weight > 0 and it.max_load < INF:
                max_nz = min(max_nz, 1 + int(math.floor(it.max_load / it.weight + 1e-9)))
            for nz in range(1, max_nz + 1):
                if nz > it.count:
                    break
                for nx in range(1, L // dx + 1):
                    if nx * nz > it.count:
                        break
                    for ny in range(1, W // dy + 1):
                        n = nx * ny * nz
                        if n > it.count:
                            break
                        if weights and it.max_load < INF:
                            cap = (it.max_load - (nz - 1) * it.weight) / (dx * dy) if it.stackable else 0.0
                        else:
                            cap = INF
                        top_ok = it.stackable and cap >= 0
                        b = Block(
                            nx * dx, ny * dy, nz * dz, {it.index: n}, n * it.volume, n * it.weight,
                            (0, 0, nx * dx, ny * dy), cap, top_ok, it.bottom_only,
                            simple=(it.index, dx, dy, dz, nx, ny, nz),
                        )
                        b.key = (b.lx, b.ly, b.lz, ((it.index, n),), b.pa)
                        b.group = it.group
                        b.pbase = n * it.weight / (b.lx * b.ly)
                        out.append(b)
    return out


def _combine(a: Block, b: Block, axis: int, container, counts, min_fill: float, max_types: int):
    """Composite of a and b along axis 0 (x), 1 (y) or 2 (b on top of a). None if not allowed."""
    if a.floor_only or b.floor_only or a.group != b.group:
        return None
    L, W, H = container
    req = dict(a.req)
    for t, n in b.req.items():
        req[t] = req.get(t, 0) + n
        if req[t] > counts[t]:
            return None
    if len(req) > max_types:
        return None
    if axis == 2:
        if not a.top_ok or b.pbase > a.cap:
            return None
        px0, py0, px1, py1 = a.pa
        if b.lx > px1 - px0 or b.ly > py1 - py0:
            return None
        lx, ly, lz = a.lx, a.ly, a.lz + b.lz
        if lz > H:
            return None
        ox, oy, oz = px0, py0, a.lz
        pa = (b.pa[0] + ox, b.pa[1] + oy, b.pa[2] + ox, b.pa[3] + oy)
        cap = min(b.cap, a.cap - b.pbase)
        pbase = a.pbase + b.pbase
        top_ok = b.top_ok
    else:
        if axis == 0:
            lx, ly, lz = a.lx + b.lx, max(a.ly, b.ly), max(a.lz, b.lz)
            ox, oy, oz = a.lx, 0, 0
        else:
            lx, ly, lz = max(a.lx, b.lx), a.ly + b.ly, max(a.lz, b.lz)
            ox, oy, oz = 0, a.ly, 0
        if lx > L or ly > W or lz > H:
            return None
        pb = (b.pa[0] + ox, b.pa[1] + oy, b.pa[2] + ox, b.pa[3] + oy)
        if a.lz == b.lz:
            if a.top_ok and b.top_ok:
                # largest rectangle in the union of the two packing areas
                pa_a = a.pa
                opts = [pa_a, pb]
                if axis == 0 and pa_a[2] == pb[0]:
                    opts.append((pa_a[0], max(pa_a[1], pb[1]), pb[2], min(pa_a[3], pb[3])))
                elif axis == 1 and pa_a[3] == pb[1]:
                    opts.append((max(pa_a[0], pb[0]), pa_a[1], min(pa_a[2], pb[2]), pb[3]))
                opts = [o for o in opts if o[2] > o[0] and o[3] > o[1]]
                pa = max(opts, key=_pa_area)
                top_ok = True
            elif a.top_ok:
                pa, top_ok = a.pa, True
            elif b.top_ok:
                pa, top_ok = pb, True
            else:
                pa, top_ok = a.pa, False
        elif a.lz > b.lz:
            pa, top_ok = a.pa, a.top_ok
        else:
            pa, top_ok = pb, b.top_ok
        cap = min(a.cap, b.cap)
        pbase = max(a.pbase, b.pbase)
    vol = a.volume + b.volume
    if vol < min_fill * lx * ly * lz:
        return None
    if top_ok and _pa_area(pa) < min_fill * lx * ly:
        return None
    blk = Block(lx, ly, lz, req, vol, a.weight + b.weight, pa, cap, top_ok, False,
                children=((a, 0, 0, 0), (b, ox, oy, oz)))
    blk.key = (lx, ly, lz, tuple(sorted(req.items())), pa)
    blk.group = a.group
    blk.pbase = pbase
    return blk


def generate_blocks(items: list[ItemType], container: tuple[int, int, int], *, weights: bool = False,
                    max_blocks: int = 4000, min_fill: float = 0.98, general: bool = True,
                    max_types: int = 3, rounds: int = 2, pool: int = 400) -> list[Block]:
    """Simple blocks, then general blocks by pairwise combination, largest volume first."""
    counts = {it.index: it.count for it in items}
    blocks = simple_blocks(items, container, weights)
    seen = {b.key: b for b in blocks}
    if general and len(items) > 0:
        L, W, H = container
        pool_list = sorted(blocks, key=lambda b: -b.volume)
        # combination of the (already large) blocks keeps the quadratic step bounded
        for _ in range(rounds):
            if len(seen) >= max_blocks:
                break
            base = pool_list[: min(len(pool_list), pool)]
            lx = np.array([b.lx for b in base])
            ly = np.array([b.ly for b in base])
            lz = np.array([b.lz for b in base])
            vol = np.array([b.volume for b in base], dtype=np.float64)
            new = []
            for a in base:
                if a.floor_only:
                    continue
                # vectorised pre-filter on the bounding box fill for each axis
                for axis in (0, 1, 2):
                    if axis == 0:
                        bx, by, bz = a.lx + lx, np.maximum(a.ly, ly), np.maximum(a.lz, lz)
                        ok = (bx <= L) & (lz == a.lz)
                    elif axis == 1:
                        bx, by, bz = np.maximum(a.lx, lx), a.ly + ly, np.maximum(a.lz, lz)
                        ok = (by <= W) & (lz == a.lz)
                    else:
                        if not a.top_ok:
                            continue
                        px = a.pa[2] - a.pa[0]
                        py = a.pa[3] - a.pa[1]
                        bx, by, bz = a.lx, a.ly, a.lz + lz
                        ok = (lx <= px) & (ly <= py) & (bz <= H)
                    ok &= (a.volume + vol) >= min_fill * bx * by * bz
                    for ib in np.flatnonzero(ok):
                        c = _combine(a, base[ib], axis, container, counts, min_fill, max_types)
                        if c is not None and c.key not in seen:
                            seen[c.key] = c
                            new.append(c)
            if not new:
                break
            pool_list = sorted(new, key=lambda b: -b.volume) + pool_list
    out = sorted(seen.values(), key=lambda b: (-b.volume, b.lz, b.key))
    if len(out) > max_blocks:
        simple = [b for b in out if b.simple is not None]
        rest = [b for b in out if b.simple is None][: max(0, max_blocks - len(simple))]
        out = sorted(simple + rest, key=lambda b: (-b.volume, b.lz, b.key))
    return out
