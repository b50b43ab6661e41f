"""Independent plan validator for the tests.

Written against the plan's plain data (`Plan.to_dict()`) only; it does not use the planner's code.
`validate(plan_dict, min_support=1.0)` raises AssertionError with a message on the first fault.

Definitions checked:
- inside: 0 <= x, x + dx <= container length (same for y/width, z/height);
- no overlaps: the interiors of two cartons do not intersect;
- orientation: (dx, dy, dz) is allowed by the line's rule (any / this_side_up / lengthwise /
  upright:<dims>);
- payload: cargo weight <= max payload;
- support: a carton above the floor has at least `min_support` of its base area on carton tops at
  exactly its bottom height;
- load on top: weights flow down, each carton passes its own weight plus what it carries to the
  cartons below in proportion to the contact area; the load carried must not exceed max_load;
- non-stackable: no carton stands on it;  bottom-only: it stands on the floor;
- loading sequence (seq 1..n): when a carton is loaded, the cartons it stands on are in, and no
  carton already loaded lies nearer the door (x >= its front) overlapping its y-z cross-section;
- unloading groups: a later-unloaded group is loaded entirely before an earlier-unloaded one, and
  no carton of a later-unloaded group stands on, or between the door and, a carton of an
  earlier-unloaded group;
- counts: placed + not fitted = requested, for every line.
"""

from __future__ import annotations

import itertools

NAMES = {"L": "length", "W": "width", "H": "height"}


def allowed_orientations(line: dict) -> set[tuple[int, int, int]]:
    ln, wd, ht = line["length"], line["width"], line["height"]
    rule = str(line["orientation"])
    if rule == "any":
        return set(itertools.permutations((ln, wd, ht)))
    if rule == "this_side_up":
        return {(ln, wd, ht), (wd, ln, ht)}
    if rule == "lengthwise":
        return {(ln, wd, ht)}
    if rule.startswith("upright:"):
        dims = {"length": ln, "width": wd, "height": ht}
        out = set()
        for letter in rule.split(":", 1)[1].split(","):
            up = NAMES[letter.strip()]
            a, b = [dims[n] for n in ("length", "width", "height") if n != up]
            out |= {(a, b, dims[up]), (b, a, dims[up])}
        return out
    raise AssertionError(f"unknown orientation rule {rule!r}")


def _overlap_1d(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def validate_container(c: dict, lines: list[dict], min_support: float = 1.0) -> None:
    ct = c["container"]
    L, W, H = ct["length"], ct["width"], ct["height"]
    ps = c["placements"]
    boxes = []
    for k, p in enumerate(ps):
        line = lines[p["line"]]
        x, y, z, dx, dy, dz = (p[key] for key in ("x", "y", "z", "dx", "dy", "dz"))
        for v in (x, y, z, dx, dy, dz):
            assert isinstance(v, int), f"placement {k}: non-integer coordinate {v!r}"
        assert (dx, dy, dz) in allowed_orientations(line), \
            f"placement {k}: orientation {dx}x{dy}x{dz} not allowed for line {line['reference']}"
        assert 0 <= x and 0 <= y and 0 <= z and x + dx <= L and y + dy <= W and z + dz <= H, \
            f"placement {k}: outside the container"
        if line["bottom_only"]:
            assert z == 0, f"placement {k}: bottom-only carton not on the floor"
        boxes.append((x, y, z, x + dx, y + dy, z + dz))
    n = len(boxes)
    # overlaps (sweep along x)
    order = sorted(range(n), key=lambda i: boxes[i][0])
    for ai, a in enumerate(order):
        A = boxes[a]
        for b in order[ai + 1:]:
            B = boxes[b]
            if B[0] >= A[3]:
                break
            if _overlap_1d(A[1], A[4], B[1], B[4]) and _overlap_1d(A[2], A[5], B[2], B[5]):
                raise AssertionError(f"placements {a} and {b} overlap")
    # who stands on whom
    by_top: dict[int, list[int]] = {}
    for i, b in enumerate(boxes):
        by_top.setdefault(b[5], []).append(i)
    supporters: list[list[tuple[int, int]]] = []
    for i, b in enumerate(boxes):
        sup = []
        if b[2] > 0:
            for j in by_top.get(b[2], []):
                o = boxes[j]
                area = _overlap_1d(b[0], b[3], o[0], o[3]) * _overlap_1d(b[1], b[4], o[1], o[4])
                if area > 0:
                    sup.append((j, area))
            base = (b[3] - b[0]) * (b[4] - b[1])
            got = sum(a for _, a in sup)
            assert got >= min_support * base - 1e-9, \
                f"placement {i}: only {got / base:.0%} of its base supported (need {min_support:.0%})"
        supporters.append(sup)
    # non-stackable, load on top
    weight = [float(lines[p["line"]]["weight"]) for p in ps]
    carried = [0.0] * n
    for i in sorted(range(n), key=lambda i: -boxes[i][2]):
        total = weight[i] + carried[i]
        sup = supporters[i]
        tot_area = sum(a for _, a in sup)
        for j, a in sup:
            carried[j] += total * a / tot_area
    bearing = {j for sup in supporters for j, _ in sup}
    for i, p in enumerate(ps):
        line = lines[p["line"]]
        has_on_top = i in bearing
        if not line["stackable"]:
            assert not has_on_top, f"placement {i}: non-stackable carton has a carton on top"
        if line["max_load"] is not None:
            assert carried[i] <= line["max_load"] + 1e-6, \
                f"placement {i}: carries {carried[i]:.1f} kg, more than {line['max_load']} kg"
    # payload
    if ct["max_payload"]:
        assert sum(weight) <= ct["max_payload"] + 1e-6, "payload exceeded"
    # loading sequence
    seqs = sorted(p["seq"] for p in ps)
    assert seqs == list(range(1, n + 1)), "loading sequence numbers are not 1..n"
    loaded = [False] * n
    for i in sorted(range(n), key=lambda i: ps[i]["seq"]):
        b = boxes[i]
        for j, _ in supporters[i]:
            assert loaded[j], f"placement {i} loaded before carton {j} it stands on"
        for j in range(n):
            if loaded[j]:
                o = boxes[j]
                if o[0] >= b[3] and _overlap_1d(b[1], b[4], o[1], o[4]) and _overlap_1d(b[2], b[5], o[2], o[5]):
                    raise AssertionError(f"placement {i}: carton {j} already loaded blocks the way from the door")
        loaded[i] = True
    # unloading groups
    grp = [lines[p["line"]]["unloading_group"] for p in ps]
    if len(set(grp)) > 1:
        for i in range(n):
            for j in range(n):
                if grp[j] > grp[i]:  # j unloaded after i: loaded before, not in i's way
                    assert ps[j]["seq"] < ps[i]["seq"], f"group order: {j} (group {grp[j]}) loaded after {i}"
                    a, o = boxes[i], boxes[j]
                    xy = _overlap_1d(a[0], a[3], o[0], o[3]) and _overlap_1d(a[1], a[4], o[1], o[4])
                    yz = _overlap_1d(a[1], a[4], o[1], o[4]) and _overlap_1d(a[2], a[5], o[2], o[5])
                    on_top = o[2] >= a[5] and xy
                    front = o[0] >= a[3] and yz
                    assert not on_top, f"carton {j} (group {grp[j]}) stands above carton {i} (group {grp[i]})"
                    assert not front, f"carton {j} (group {grp[j]}) blocks carton {i} (group {grp[i]}) from the door"


def validate(plan: dict, min_support: float = 1.0) -> None:
    lines = plan["lines"]
    placed = [0] * len(lines)
    for c in plan["containers"]:
        validate_container(c, lines, min_support)
        for p in c["placements"]:
            placed[p["line"]] += 1
    missing = [0] * len(lines)
    for nf in plan["not_fitted"]:
        assert nf["count"] > 0 and nf["reason"], "not-fitted entry without count or reason"
        missing[nf["line"]] += nf["count"]
    for i, line in enumerate(lines):
        assert placed[i] + missing[i] == line["count"], \
            f"line {line['reference']}: placed {placed[i]} + not fitted {missing[i]} != {line['count']}"
