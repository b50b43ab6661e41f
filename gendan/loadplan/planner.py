"""Planning one container: cargo lines -> engine item types -> placements with a loading sequence."""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass

import numpy as np

from .blocks import INF, ItemType
from .model import CargoLine, ContainerPlan, ContainerType, LoadPlanError, Placement
from .search import SearchConfig, solve


@dataclass
class PlanOptions:
    time_limit: float = 5.0  # seconds for the whole plan() call (pack_container alone: for that container)
    seed: int = 0
    max_iterations: int | None = None  # beam iterations: set it for exactly reproducible plans
    min_support: float = 1.0  # the engine always gives full support; the validator checks this ratio
    cog_tolerance_along: float = 0.10  # warn when the centre of gravity is further from the middle
    cog_tolerance_across: float = 0.05
    max_blocks: int = 6000
    min_fill: float | None = None  # general blocks; None = automatic (see SearchConfig)
    # plan(): first the greedy plan of simple blocks in the cheapest mix; when it places every carton, it is the
    # answer (see multi.py); False always runs the full search (the benchmark's "before")
    fast_path: bool = True


def validate_lines(lines: list[CargoLine], containers: list[ContainerType]) -> None:
    """Raise LoadPlanError naming the cargo line for impossible input."""
    if not containers:
        raise LoadPlanError("no container type given")
    for i, ln in enumerate(lines):
        name = f"cargo line {i + 1} ({ln.reference!r})"
        for attr in ("length", "width", "height"):
            v = getattr(ln, attr)
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
                raise LoadPlanError(f"{name}: carton {attr} must be a whole number of mm, got {v!r}")
            if v <= 0:
                raise LoadPlanError(f"{name}: carton {attr} must be positive, got {v}")
        if not isinstance(ln.count, (int, np.integer)) or ln.count < 0:
            raise LoadPlanError(f"{name}: carton count must be a whole number >= 0, got {ln.count!r}")
        if ln.weight is None or not math.isfinite(ln.weight) or ln.weight < 0:
            raise LoadPlanError(f"{name}: weight per carton must be >= 0, got {ln.weight!r}")
        if ln.max_load is not None and (not math.isfinite(ln.max_load) or ln.max_load < 0):
            raise LoadPlanError(f"{name}: maximum load on top must be >= 0, got {ln.max_load!r}")
        try:
            ors = ln.orientations()
        except LoadPlanError as e:
            raise LoadPlanError(f"{name}: {e}") from None
        if not ors:
            raise LoadPlanError(f"{name}: the orientation rule allows no orientation")
        if ln.count == 0:
            continue
        fits = [c for c in containers if orientations_in(ln, c)]
        if not fits:
            raise LoadPlanError(
                f"{name}: carton {ln.length}x{ln.width}x{ln.height} mm does not fit in "
                f"{', '.join(c.code for c in containers)} (or through the door) in any allowed orientation "
                f"({ln.orientation})")
        if not any(c.max_payload <= 0 or ln.weight <= c.max_payload for c in fits):
            raise LoadPlanError(f"{name}: one carton weighs {ln.weight} kg, more than the payload of "
                                f"{', '.join(c.code for c in fits)}")


def _group_ranks(lines: list[CargoLine]) -> dict[int, int]:
    """Loading rank per unloading group: the group unloaded last is loaded first (rank 0)."""
    groups = sorted({ln.unloading_group for ln in lines}, reverse=True)
    return {g: r for r, g in enumerate(groups)}


def orientations_in(line: CargoLine, c: ContainerType) -> list[tuple[int, int, int]]:
    """Allowed orientations that fit inside the container and pass through its door (when the
    door size is known): the carton's cross-section (dy × dz) must go through the door."""
    return [o for o in line.orientations()
            if o[0] <= c.length and o[1] <= c.width and o[2] <= c.height
            and (c.door_width <= 0 or o[1] <= c.door_width) and (c.door_height <= 0 or o[2] <= c.door_height)]


def fits_in(line: CargoLine, c: ContainerType) -> bool:
    return bool(orientations_in(line, c)) and (c.max_payload <= 0 or line.weight <= c.max_payload)


def pack_container(lines: list[CargoLine], counts: list[int], container: ContainerType,
                   opts: PlanOptions, until: float | None = None, *, greedy_only: bool = False) -> ContainerPlan:
    """Fill one container with up to counts[i] cartons of lines[i], searching `opts.time_limit` seconds, or until
    the monotonic clock reads `until` when given (then no beam iteration runs into the overrun beyond it: the
    greedy plan is always made, even when `until` has passed).

    `greedy_only`: simple blocks only (one carton type each, no combined blocks) and their greedy plan, no beam
    search — a few ms for a small cargo, where generating the combined blocks takes 100 ms and more."""
    ranks = _group_ranks(lines)
    items = []
    index = []
    for i, ln in enumerate(lines):
        if counts[i] <= 0 or not fits_in(ln, container):
            continue
        ors = orientations_in(ln, container)
        items.append(ItemType(len(items), ors, counts[i], weight=float(ln.weight), stackable=ln.stackable,
                              max_load=INF if ln.max_load is None else float(ln.max_load),
                              bottom_only=ln.bottom_only, group=ranks[ln.unloading_group]))
        index.append(i)
    payload = container.max_payload if container.max_payload > 0 else INF
    limit = opts.time_limit if until is None else max(0.0, until - time.monotonic())
    cfg = SearchConfig(time_limit=limit, max_iterations=opts.max_iterations, seed=opts.seed,
                       max_blocks=opts.max_blocks, min_fill=opts.min_fill, back_anchor_only=True,
                       payload=payload)
    if greedy_only:
        cfg.general_blocks, cfg.max_iterations = False, 0
    if until is not None:
        cfg.overrun = 0.0  # the beam iteration running at `until` stops there, its best complete plan kept
    boxes, stats = solve(items, (container.length, container.width, container.height), cfg) if items else ([], {})
    rank_of = {index[it.index]: it.group for it in items}
    placements = [Placement(index[t], lines[index[t]].reference, x, y, z, dx, dy, dz)
                  for t, x, y, z, dx, dy, dz, _ in boxes]
    blocks = [b[7] for b in boxes]
    order = loading_sequence(placements, [rank_of[p.line] for p in placements])
    seq_placements = []
    step = 0
    prev_block = None
    for k, i in enumerate(order):
        p = placements[i]
        if blocks[i] != prev_block:
            step += 1
            prev_block = blocks[i]
        p.seq = k + 1
        p.step = step
        seq_placements.append(p)
    cp = ContainerPlan(container, seq_placements, stats=stats)
    summarise(cp, lines, opts)
    return cp


def loading_sequence(placements: list[Placement], ranks: list[int]) -> list[int]:
    """Order in which the cartons are loaded through the door (at x = length).

    A carton may be loaded when (1) every carton it stands on is in place and (2) no carton already
    loaded stands between it and the door: none lies wholly in front of it (nearer the door) while
    overlapping its cross-section (y-z rectangle).  So carton A must come before B when A supports B,
    or when A lies behind B with overlapping cross-sections.  Among loadable cartons the one of the
    lowest loading rank (the group unloaded last), then the deepest, lowest, leftmost goes first.
    """
    n = len(placements)
    if n == 0:
        return []
    b = np.array([p.box for p in placements], dtype=np.int64)
    x0, y0, z0, x1, y1, z1 = (b[:, k] for k in range(6))
    preds = []
    succs = [[] for _ in range(n)]
    indeg = np.zeros(n, dtype=np.int64)
    for i in range(n):
        xy = (x0 < x1[i]) & (x0[i] < x1) & (y0 < y1[i]) & (y0[i] < y1)
        yz = (y0 < y1[i]) & (y0[i] < y1) & (z0 < z1[i]) & (z0[i] < z1)
        m = ((z1 == z0[i]) & xy) | ((x1 <= x0[i]) & yz)
        m[i] = False
        p = np.flatnonzero(m)
        preds.append(p)
        indeg[i] = len(p)
        for j in p:
            succs[j].append(i)
    heap = [(ranks[i], placements[i].x, placements[i].z, placements[i].y, i) for i in range(n) if indeg[i] == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        *_, i = heapq.heappop(heap)
        order.append(i)
        for j in succs[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                heapq.heappush(heap, (ranks[j], placements[j].x, placements[j].z, placements[j].y, j))
    if len(order) != n:  # cannot happen for plans built from the back; never drop a carton
        rest = sorted(set(range(n)) - set(order), key=lambda i: (ranks[i], placements[i].x, placements[i].z))
        order += rest
    return order


def summarise(cp: ContainerPlan, lines: list[CargoLine], opts: PlanOptions) -> None:
    c = cp.container
    vol = sum(p.dx * p.dy * p.dz for p in cp.placements)
    cp.volume_utilisation = vol / c.volume
    w = sum(lines[p.line].weight for p in cp.placements)
    cp.cargo_weight = w
    cp.weight_utilisation = w / c.max_payload if c.max_payload > 0 else 0.0
    cp.warnings = []
    if w > 0:
        cp.cog_along = sum(lines[p.line].weight * (p.x + p.dx / 2) for p in cp.placements) / w / c.length
        cp.cog_across = sum(lines[p.line].weight * (p.y + p.dy / 2) for p in cp.placements) / w / c.width
    elif cp.placements:
        cp.cog_along = sum(p.dx * p.dy * p.dz * (p.x + p.dx / 2) for p in cp.placements) / vol / c.length
        cp.cog_across = sum(p.dx * p.dy * p.dz * (p.y + p.dy / 2) for p in cp.placements) / vol / c.width
    if cp.placements:
        if abs(cp.cog_along - 0.5) > opts.cog_tolerance_along:
            cp.warnings.append(
                f"centre of gravity at {100 * cp.cog_along:.0f} % of the length (0 = back wall), more than "
                f"{100 * opts.cog_tolerance_along:.0f} % from the middle: spread the heavy cartons along")
        if abs(cp.cog_across - 0.5) > opts.cog_tolerance_across:
            cp.warnings.append(
                f"centre of gravity at {100 * cp.cog_across:.0f} % of the width (0 = left wall), more than "
                f"{100 * opts.cog_tolerance_across:.0f} % from the middle: balance left and right")
