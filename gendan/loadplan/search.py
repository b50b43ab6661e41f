"""Beam search with greedy completion over block placements in maximal free spaces.

The free space of a partial plan is a list of *supported maximal spaces*: boxes
(x0, y0, z0, x1, y1, z1, sid) whose whole floor is fully supported — either the container floor
(z0 = 0) or part of the packing area on top of one placed block (support surface `sid`).  A block is
always put on a space's floor at one of its bottom corners, so every carton is fully supported.

After a block is placed, each space it cuts is replaced by its residual parts in front of, behind
and beside the block at the same floor (their floors are subsets of a supported floor); the part
above the block is replaced by one new space on the block's packing area.  Spaces contained in
another space with the same support are dropped, as are spaces too small for any remaining carton.

Search (after Araya & Riff's BSG): the next space is the one whose anchor corner is nearest a
container corner; candidate blocks for it are ranked by volume.  A node is evaluated by completing
it greedily (always the best-ranked block) and taking the volume of that complete plan.  Each beam
level expands every node with its `w` best blocks and keeps the `w` children with the best greedy
completions.  The beam width runs through a fixed sequence 1, 2, 3, 4, 6, 8, 12 … until the time or
iteration budget runs out; the best complete plan seen is returned (anytime).  Decisions never
depend on the clock, only the stopping point does; `max_iterations` fixes that too.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass

import numpy as np

from .blocks import INF, Block, ItemType, generate_blocks


@dataclass
class SearchConfig:
    # seconds from the start of solve (block generation included) after which no new beam iteration
    # starts; a running one is aborted `overrun` seconds later, its best complete plan kept
    time_limit: float = 5.0
    overrun: float = 0.5
    max_iterations: int | None = None  # beam-width iterations; None = until time runs out
    seed: int = 0
    # general blocks; None = automatic, see block_settings
    max_blocks: int | None = None
    min_fill: float | None = None  # filled share of the bounding box
    general_blocks: bool = True
    back_anchor_only: bool = True  # always build from the back wall (x = 0) forward
    payload: float = INF
    space_rule: str = "sorted"  # "sorted": Araya's sorted corner distances; "wall": deepest x first
    clock: str = "wall"  # "wall" or "cpu" (process time: fair figures on a busy machine)
    # an aborted beam iteration's best plan counts too (better plans; only runs that end by
    # max_iterations, not by the clock, are then exactly reproducible)
    keep_partial: bool = True
    # beam keeps at most one child per greedy-completion volume; None = only with more than 20 types
    distinct: bool | None = None
    gen_rounds: int | None = None  # general blocks: rounds of pairwise combination
    gen_pool: int | None = None  # general blocks: combine the largest this many
    max_types: int | None = None  # general blocks: at most this many carton types
    loss_weight: float = 1.0  # block rank = volume - loss_weight * space wasted around it


def block_settings(cfg: SearchConfig, n_types: int) -> dict:
    """Block generation settings, the automatic ones by the number of carton types.

    With more than 20 types there are only a few cartons of each, so the blocks are small and
    combining more of them (a larger pool, a third round, up to 5 types per block) pays: BR9 and
    BR12–BR15, 3 instances each, 9 s: 88.9 % -> 89.6 % (with the distinct beam, 90.0 %)."""
    many = n_types > 20
    auto = {"max_blocks": 8000 if many else 4000,
            "min_fill": 0.98 if n_types <= 60 else 0.95,
            "rounds": 3 if many else 2,
            "pool": 2000 if many else 400,
            "max_types": 5 if many else 3}
    given = {"max_blocks": cfg.max_blocks, "min_fill": cfg.min_fill, "rounds": cfg.gen_rounds,
             "pool": cfg.gen_pool, "max_types": cfg.max_types}
    return {k: auto[k] if given[k] is None else given[k] for k in auto}


def reachable(size: int, lengths) -> np.ndarray:
    """reach[r] for r = 0 … size: whether r is a sum of the lengths, each used any number of times. Closed
    under adding one length at a time, by doubling (d, 2d, 4d, … : each shift doubles the copies of d counted),
    so a few NumPy operations per length instead of a Python loop over every mm."""
    reach = np.zeros(size + 1, dtype=bool)
    reach[0] = True
    for d in sorted({d for d in lengths if 0 < d <= size}):
        step = d
        while step <= size:
            reach[step:] |= reach[:-step].copy()
            step *= 2
    return reach


BEAM_WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


class _Engine:
    def __init__(self, items: list[ItemType], container, cfg: SearchConfig, blocks: list[Block] | None = None,
                 weights: bool | None = None):
        self.items = items
        self.container = container
        self.cfg = cfg
        self.L, self.W, self.H = container
        self.weights = weights if weights is not None else any(
            it.weight > 0 and (it.max_load < INF or cfg.payload < INF) for it in items)
        if blocks is None:
            blocks = generate_blocks(items, container, weights=self.weights, general=cfg.general_blocks,
                                     **block_settings(cfg, len(items)))
        self.blocks = blocks
        nb = len(blocks)
        nt = len(items)
        self.nt = nt
        self.BL = np.array([b.lx for b in blocks], dtype=np.int64)
        self.BW = np.array([b.ly for b in blocks], dtype=np.int64)
        self.BH = np.array([b.lz for b in blocks], dtype=np.int64)
        self.BV = np.array([b.volume for b in blocks], dtype=np.int64)
        self.BWt = np.array([b.weight for b in blocks], dtype=np.float64)
        self.Bfloor = np.array([b.floor_only for b in blocks], dtype=bool)
        self.Btop = np.array([b.top_ok for b in blocks], dtype=bool)
        self.BP = np.array([b.pbase for b in blocks], dtype=np.float64)
        # seed 0: pure heuristic; another seed perturbs block ranks by up to 1 % of their volume
        self.noise = (np.random.default_rng(cfg.seed).random(nb) * 0.01 * self.BV if cfg.seed
                      else np.zeros(nb))
        K = max([len(b.req) for b in blocks] + [1])
        # dummy type index nt always has a huge count
        self.Bt = np.full((nb, K), nt, dtype=np.int64)
        self.Bc = np.zeros((nb, K), dtype=np.int64)
        for i, b in enumerate(blocks):
            for k, (t, n) in enumerate(sorted(b.req.items())):
                self.Bt[i, k] = t
                self.Bc[i, k] = n
        # group (loading rank) of every block; blocks mix only cartons of one group
        self.Bgroup = np.array([b.group for b in blocks], dtype=np.int64)
        self.multi_group = len({it.group for it in items}) > 1
        # largest length <= r made of carton dimensions that may lie along each axis (unbounded)
        self.G = []
        for axis, size in enumerate(container):
            reach = reachable(size, {o[axis] for it in items for o in it.orientations})
            g = np.where(reach, np.arange(size + 1), 0)
            self.G.append(np.maximum.accumulate(g))
        self.loss_weight = cfg.loss_weight
        self.distinct = cfg.distinct if cfg.distinct is not None else nt > 20
        self.type_dims = [sorted(it.orientations[0]) for it in items]
        self.type_vol = np.array([it.volume for it in items], dtype=np.int64)
        self.TD0 = np.array([d[0] for d in self.type_dims], dtype=np.int64)
        self.type_md, self.type_mv = self.TD0.tolist(), self.type_vol.tolist()
        self._skey = {}
        self._rank = {}
        self.Bt_cols = [(self.Bt[:, k].copy(), self.Bc[:, k].copy()) for k in range(self.Bt.shape[1])]
        self.one_group = len({it.group for it in items}) <= 1
        # blocks using each type, most cartons of it first: when r are left, the blocks needing more
        # than r are a prefix, cut where the (ascending) negated needs reach -r
        users = [[] for _ in range(nt)]
        for i, b in enumerate(blocks):
            for t, n in b.req.items():
                users[t].append((-n, i))
        self.users = []
        for us in users:
            us.sort()
            self.users.append((np.array([i for _, i in us], dtype=np.int64), [n for n, _ in us]))

    def now(self) -> float:
        return time.process_time() if self.cfg.clock == "cpu" else time.monotonic()

    # ----------------------------------------------------------------- state
    def root(self, group: int | None = None):
        rem = [it.count for it in self.items] + [1 << 40]  # a list: cheaper than NumPy for single items
        spaces = [(0, 0, 0, self.L, self.W, self.H, 0)]
        surf = [INF]  # pressure (kg/mm²) each support surface may still take (0 = floor)
        parent = [-1]
        st = _State(spaces, rem, 0, None, surf, parent, 0.0, group if group is not None else 0)
        st.mdv = self.min_dim_vol(rem)
        st.amask = self.full_avail(rem)
        return st

    def min_dim_vol(self, rem):
        avail = np.array(rem[: self.nt]) > 0
        if not avail.any():
            return None, None
        return int(self.TD0[avail].min()), int(self.type_vol[avail].min())

    def full_avail(self, rem):
        rem = np.array(rem)
        cols = self.Bt_cols
        m = rem[cols[0][0]] >= cols[0][1]
        for bt, bc in cols[1:]:
            m &= rem[bt] >= bc
        return m

    def avail_mask(self, st):
        m = st.amask
        if not self.one_group:
            m = m & (self.Bgroup == st.group)
        if self.weights:
            m = m & (self.BWt <= self.cfg.payload - st.weight + 1e-9)
        return m

    def select_space(self, st):
        best = None
        bkey = None
        L, W = self.L, self.W
        back_only = self.cfg.back_anchor_only
        cache = self._skey
        for i, s in enumerate(st.spaces):
            key = cache.get(s)
            if key is None:
                x0, y0, z0, x1, y1, z1, _ = s
                dx = x0 if back_only else min(x0, L - x1)
                dy = min(y0, W - y1)
                if self.cfg.space_rule == "wall":
                    key = (dx, z0, dy, -(x1 - x0) * (y1 - y0) * (z1 - z0), s)
                else:
                    d = sorted((dx, dy, z0))
                    key = (d[0], d[1], d[2], -(x1 - x0) * (y1 - y0) * (z1 - z0), s)
                if len(cache) > 200000:
                    cache.clear()
                cache[s] = key
            if bkey is None or key < bkey:
                bkey, best = key, i
        return best

    def ranked(self, sx, sy, sz, floor):
        """Blocks that fit a space of these dimensions, best first (static, cached)."""
        key = (sx, sy, sz, floor)
        r = self._rank.get(key)
        if r is None:
            m = (self.BL <= sx) & (self.BW <= sy) & (self.BH <= sz)
            if not floor:
                m &= ~self.Bfloor
            idx = np.flatnonzero(m)
            if len(idx) > 1 and self.loss_weight:
                bl, bw, bh = self.BL[idx], self.BW[idx], self.BH[idx]
                rx, ry, rz = sx - bl, sy - bw, sz - bh
                wx = rx - self.G[0][rx]
                wy = ry - self.G[1][ry]
                wz = rz - self.G[2][rz]
                loss = wx * bw * bh + wy * bl * bh + wz * bl * bw
                # nothing may go on a block without a top: the space above it is lost
                loss = loss + np.where(self.Btop[idx], 0, (sz - bh) * bl * bw)
                f = (self.BV[idx] - self.loss_weight * loss).astype(np.float64) + self.noise[idx]
                if floor:
                    # cartons that must stand on the floor go first while there is floor
                    f = f + np.where(self.Bfloor[idx], 1e15, 0.0)
                idx = idx[np.argsort(-f, kind="stable")]
            r = idx
            if len(self._rank) > 100000:
                self._rank.clear()
            self._rank[key] = r
        return r

    def candidates(self, st, si, amask, k):
        x0, y0, z0, x1, y1, z1, sid = st.spaces[si]
        idx = self.ranked(x1 - x0, y1 - y0, z1 - z0, z0 == 0)
        m = amask[idx]
        if self.weights and sid > 0:
            m &= self.BP[idx] <= st.surf[sid] + 1e-12
        if k == 1 and len(m):
            j = int(m.argmax())  # the greedy's case: argmax is cheaper than listing every hit
            return idx[j:j + 1] if m[j] else idx[:0]
        return idx[np.flatnonzero(m)[:k]]

    def place(self, st, si, bi):
        """New state with block bi placed in space si at the space's anchor corner."""
        b = self.blocks[bi]
        L, W = self.L, self.W
        sx0, sy0, sz0, sx1, sy1, sz1, sid = st.spaces[si]
        if not self.cfg.back_anchor_only and L - sx1 < sx0:
            bx0 = sx1 - b.lx
        else:
            bx0 = sx0
        by0 = sy1 - b.ly if W - sy1 < sy0 else sy0
        bz0 = sz0
        bx1, by1, bz1 = bx0 + b.lx, by0 + b.ly, bz0 + b.lz
        rem = st.rem[:]
        for t, n in b.req.items():
            rem[t] -= n
        surf, parent = st.surf, st.parent
        md, mv = st.mdv
        # the smallest dimension and volume left only change when a type that has them runs out
        if any(rem[t] == 0 and (self.type_md[t] == md or self.type_mv[t] == mv) for t in b.req):
            md, mv = self.min_dim_vol(rem)
        new_spaces = []
        new_parked = []
        resid = []
        if md is not None:
            for lst, out, park in ((st.spaces, new_spaces, False), (st.parked, new_parked, True)):
                for s in lst:
                    x0, y0, z0, x1, y1, z1, ss = s
                    if x0 >= bx1 or bx0 >= x1 or y0 >= by1 or by0 >= y1 or z0 >= bz1 or bz0 >= z1:
                        out.append(s)
                        continue
                    if bx0 - x0 >= md:
                        resid.append(((x0, y0, z0, bx0, y1, z1, ss), park))
                    if x1 - bx1 >= md:
                        resid.append(((bx1, y0, z0, x1, y1, z1, ss), park))
                    if by0 - y0 >= md:
                        resid.append(((x0, y0, z0, x1, by0, z1, ss), park))
                    if y1 - by1 >= md:
                        resid.append(((x0, by1, z0, x1, y1, z1, ss), park))
                    if bz0 - z0 >= md:
                        resid.append(((x0, y0, z0, x1, y1, bz0, ss), park))
            if b.top_ok and self.H - bz1 >= md:
                cap = b.cap
                if self.weights and sid > 0:
                    # pressures of a stack add up: what is left below limits what goes on top
                    cap = min(cap, surf[sid] - b.pbase)
                if cap > 0 or not self.weights:
                    px0, py0, px1, py1 = b.pa
                    if px1 - px0 >= md and py1 - py0 >= md:
                        nsid = 0
                        if self.weights:
                            nsid = len(surf)
                            surf = surf + [cap]
                        top = (bx0 + px0, by0 + py0, bz1, bx0 + px1, by0 + py1, self.H, nsid)
                        resid.append((top, False))
                        # merge with neighbouring supported floors at the same height
                        tx0, ty0, tz, tx1, ty1, _, _ = top
                        for o in new_spaces:
                            if o[2] != tz:
                                continue
                            if (o[3] == tx0 or o[0] == tx1) and o[1] < ty1 and ty0 < o[4]:
                                m = [min(o[0], tx0), max(o[1], ty0), tz, max(o[3], tx1), min(o[4], ty1),
                                     min(o[5], self.H), 0]
                            elif (o[4] == ty0 or o[1] == ty1) and o[0] < tx1 and tx0 < o[3]:
                                m = [max(o[0], tx0), min(o[1], ty0), tz, min(o[3], tx1), max(o[4], ty1),
                                     min(o[5], self.H), 0]
                            else:
                                continue
                            if self.weights:
                                m[6] = len(surf)
                                surf = surf + [min(surf[o[6]], surf[nsid])]
                            resid.append((tuple(m), False))
            # keep residuals not inside another space (with the same support)
            others = new_spaces + new_parked
            for i, (r, park) in enumerate(resid):
                rx0, ry0, rz0, rx1, ry1, rz1, rs = r
                if (rx1 - rx0) * (ry1 - ry0) * (rz1 - rz0) < mv:
                    continue
                if rx1 - rx0 < md or ry1 - ry0 < md or rz1 - rz0 < md:
                    continue
                inside = False
                for o in others:
                    if (o[0] <= rx0 and o[1] <= ry0 and o[2] <= rz0 and o[3] >= rx1 and o[4] >= ry1
                            and o[5] >= rz1 and o[6] == rs):
                        inside = True
                        break
                if not inside:
                    for j, (o, _) in enumerate(resid):
                        if j != i and o[0] <= rx0 and o[1] <= ry0 and o[2] <= rz0 and o[3] >= rx1 \
                                and o[4] >= ry1 and o[5] >= rz1 and o[6] == rs and (o != r or j < i):
                            inside = True
                            break
                if not inside:
                    (new_parked if park else new_spaces).append(r)
        placed = (bi, bx0, by0, bz0, st.placed)
        ns = _State(new_spaces, rem, st.volume + b.volume, placed, surf, parent, st.weight + b.weight, st.group)
        ns.parked = new_parked
        ns.mdv = (md, mv)
        am = None
        for t in b.req:
            u, neg_need = self.users[t]
            cut = bisect.bisect_left(neg_need, -rem[t])
            if cut:
                if am is None:
                    am = st.amask.copy()
                am[u[:cut]] = False
        ns.amask = st.amask if am is None else am
        ns.nblocks = st.nblocks + 1
        return ns

    def drop_space(self, st, si):
        sp = st.spaces[:si] + st.spaces[si + 1:]
        ns = _State(sp, st.rem, st.volume, st.placed, st.surf, st.parent, st.weight, st.group)
        ns.parked = st.parked + [st.spaces[si]] if self.multi_group else st.parked
        ns.mdv = st.mdv
        ns.amask = st.amask
        ns.nblocks = st.nblocks
        return ns

    def settle(self, st, k=1):
        """Drop unusable spaces until the selected space has a candidate (or none are left).
        Returns (state, space index or None, the k best candidate blocks)."""
        amask = self.avail_mask(st)
        while st.spaces:
            si = self.select_space(st)
            cands = self.candidates(st, si, amask, k)
            if len(cands):
                return st, si, cands
            st = self.drop_space(st, si)
        return st, None, ()

    def greedy(self, st):
        while True:
            st, si, cands = self.settle(st)
            if si is None:
                return st
            st = self.place(st, si, int(cands[0]))

    # ----------------------------------------------------------------- search
    def everything(self, group: int) -> int:
        """The volume of every carton of loading groups up to `group`: a plan that holds it can be bettered by
        nothing, so the search stops there instead of running to its time limit."""
        return sum(it.volume * it.count for it in self.items if it.group <= group)

    def beam(self, start, soft: float, hard: float, max_iterations: int | None):
        """Beam iterations of growing width: none starts after `soft`, a running one stops at `hard`; none
        starts once a plan holds every carton."""
        best = self.greedy(start)
        goal = self.everything(start.group)
        iters = 0
        for w in BEAM_WIDTHS:
            if max_iterations is not None and iters >= max_iterations:
                break
            if self.now() >= soft or best.volume >= goal:
                break
            cand, complete = self._beam_iteration(start, w, hard, goal)
            if complete:
                iters += 1
            if (complete or self.cfg.keep_partial) and cand.volume > best.volume:
                best = cand
            if not complete:
                break
        return best, iters

    def _beam_iteration(self, start, w, deadline, goal: float = INF):
        """One beam search of width w. Returns (best complete plan seen, whether it ran to the end); it ends
        as soon as a plan holds every carton (`goal`)."""
        best = self.greedy(start)
        if best.volume >= goal:
            return best, True
        beam = [(start, best)]
        while beam:
            children = []
            for st, g_parent in beam:
                st, si, cands = self.settle(st, w)
                if si is None:
                    continue
                for k, bi in enumerate(cands):
                    c = self.place(st, si, int(bi))
                    # the greedy completion of the parent starts with its best block
                    g = g_parent if k == 0 and g_parent is not None else self.greedy(c)
                    if g.volume > best.volume:
                        best = g
                        if best.volume >= goal:
                            return best, True
                    children.append((g.volume, c.volume, len(children), c, g))
                    if self.now() >= deadline:
                        return best, False
            children.sort(key=lambda t: (-t[0], -t[1], t[2]))
            beam = [(c[3], c[4]) for c in self.select_children(children, w)]
        return best, True

    def select_children(self, children, w):
        """The w best children (sorted); with `distinct`, at most one per completion volume.

        A diversity filter kept because it measured well: with many carton types, BR9–BR15 at equal
        beam iterations +0.5 points.  With few types equal volumes are common among good plans and
        the filter does harm (BR1 -1.5 points), hence off for 20 types or fewer."""
        if not self.distinct:
            return children[:w]
        kept, seen = [], set()
        for ch in children:
            if ch[0] not in seen:
                seen.add(ch[0])
                kept.append(ch)
                if len(kept) == w:
                    break
        return kept


class _State:
    __slots__ = ("spaces", "rem", "volume", "placed", "surf", "parent", "weight", "group", "parked", "nblocks",
                 "mdv", "amask")

    def __init__(self, spaces, rem, volume, placed, surf, parent, weight, group):
        self.spaces = spaces
        self.rem = rem
        self.volume = volume
        self.placed = placed
        self.surf = surf
        self.parent = parent
        self.weight = weight
        self.group = group
        self.parked = []
        self.nblocks = 0


def placed_blocks(st) -> list[tuple[int, int, int, int]]:
    out = []
    p = st.placed
    while p is not None:
        out.append(p[:4])
        p = p[4]
    out.reverse()
    return out


def _next_group(eng, st, group):
    """Open the space for the next loading group: parked spaces come back, and spaces with a carton
    of an earlier-loaded group between them and the door are closed (it would block unloading)."""
    placed = [(bi, x, y, z) for bi, x, y, z in placed_blocks(st)]
    boxes = [(x, y, z, x + eng.blocks[bi].lx, y + eng.blocks[bi].ly, z + eng.blocks[bi].lz)
             for bi, x, y, z in placed]
    keep = []
    for s in st.spaces + st.parked:
        x0, y0, z0, x1, y1, z1, _ = s
        blocked = any(b[0] >= x1 and b[1] < y1 and y0 < b[4] and b[2] < z1 and z0 < b[5] for b in boxes)
        if not blocked:
            keep.append(s)
    ns = _State(keep, st.rem, st.volume, st.placed, st.surf, st.parent, st.weight, group)
    ns.mdv = st.mdv
    ns.amask = st.amask
    ns.nblocks = st.nblocks
    return ns


def solve(items: list[ItemType], container, cfg: SearchConfig) -> tuple[list[tuple], dict]:
    """Pack one container. Returns (cartons, stats) with cartons as (type, x, y, z, dx, dy, dz, block)
    in block placement order; groups (loading ranks) are packed one after the other, rank 0 first."""
    now = time.process_time if cfg.clock == "cpu" else time.monotonic
    t0 = now()
    eng = _Engine(items, container, cfg)
    stats = {"blocks": len(eng.blocks), "block_seconds": round(now() - t0, 3)}
    if not eng.blocks:
        return [], stats
    groups = sorted({it.group for it in items if it.count > 0})
    st = eng.root(groups[0] if groups else 0)
    iters_all = []
    end = t0 + cfg.time_limit
    for gi, g in enumerate(groups):
        if gi > 0:
            st = _next_group(eng, st, g)
        # the groups share the time left; only the last may run into the overrun
        soft = now() + max(0.0, end - now()) / (len(groups) - gi)
        hard = soft + cfg.overrun if gi == len(groups) - 1 else soft
        st, iters = eng.beam(st, soft, hard, cfg.max_iterations)
        iters_all.append(iters)
    out = []
    for k, (bi, x, y, z) in enumerate(placed_blocks(st)):
        for box in eng.blocks[bi].boxes(x, y, z):
            out.append(box + (k,))
    stats["iterations"] = iters_all[0] if len(iters_all) == 1 else iters_all
    stats["seconds"] = round(now() - t0, 3)
    return out, stats
