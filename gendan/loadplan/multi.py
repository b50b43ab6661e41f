"""Several containers: the mix of container types of least freight cost, then filling them."""

from __future__ import annotations

import itertools
import math
import time

from .containers import DEFAULT_CONTAINERS, container_types
from .model import CargoLine, ContainerPlan, ContainerType, LoadPlanError, NotFitted, Plan
from .planner import PlanOptions, fits_in, pack_container, validate_lines

# a container is hardly ever filled beyond this share of its volume; mixes below it are not tried
MAX_FILL = 0.95
MAX_TRIALS = 6
GREEDY_RESERVE = 0.25  # seconds kept for each later container of a mix: its blocks and greedy plan
MIX_SHARE = 0.6  # of the time left, for a mix when another could still be tried after it


def parse_rates(text: str | None) -> dict[str, float]:
    """'20GP=1800,40HQ=3200,LCL=60' -> {'20GP': 1800.0, '40HQ': 3200.0, 'LCL': 60.0}"""
    rates: dict[str, float] = {}
    if not text:
        return rates
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise LoadPlanError(f"rate {part!r}: write TYPE=AMOUNT, e.g. 40HQ=3200")
        k, v = part.split("=", 1)
        try:
            amount = float(v)
        except ValueError:
            raise LoadPlanError(f"rate {part!r}: {v!r} is not a number") from None
        if amount < 0 or not math.isfinite(amount):
            raise LoadPlanError(f"rate {part!r}: must be >= 0")
        rates[k.strip().upper()] = amount
    return rates


def _costs(types: list[ContainerType], rates: dict[str, float]) -> tuple[dict[str, float], bool]:
    """Cost per container type; without any rate, the volume (m³) stands in (fewest, smallest)."""
    known = {t.code: rates.get(t.code, t.cost) for t in types}
    if all(v is not None for v in known.values()):
        return known, True
    if any(v is not None for v in known.values()):
        missing = [k for k, v in known.items() if v is None]
        raise LoadPlanError(f"no freight rate for {', '.join(missing)}: give one for every container type")
    return {t.code: t.volume / 1e9 for t in types}, False


def candidate_mixes(types: list[ContainerType], cost: dict[str, float], volume: float, weight: float,
                    max_total: int = 60) -> list[tuple[ContainerType, ...]]:
    """Mixes (multisets of container types) whose capacity can hold the cargo, cheapest first."""
    best_single = min(max(math.ceil(volume / (MAX_FILL * t.volume)),
                          math.ceil(weight / t.max_payload) if t.max_payload > 0 else 1, 1) for t in types)
    limit = min(max_total, max(1, best_single) + 2)
    mixes = []
    for total in range(1, limit + 1):
        for combo in itertools.combinations_with_replacement(range(len(types)), total):
            cs = [types[i] for i in combo]
            if sum(MAX_FILL * c.volume for c in cs) < volume:
                continue
            if all(c.max_payload > 0 for c in cs) and sum(c.max_payload for c in cs) < weight:
                continue
            mixes.append(tuple(sorted(cs, key=lambda c: (-c.volume, c.code))))
        if len(mixes) > 400:
            break
    mixes.sort(key=lambda m: (sum(cost[c.code] for c in m), len(m), -sum(c.volume for c in m),
                              [c.code for c in m]))
    return mixes


def _share(deadline: float, containers_left: int, part: float | None = None) -> float:
    """When the search of the next container must stop, `containers_left` of its mix (itself included) still to
    fill: the earlier containers get the larger share, since they take most of the cargo, and the last one
    usually holds what is left at its greedy plan, so its search stops early once every carton is placed. The
    containers after it keep GREEDY_RESERVE seconds each for their blocks and greedy plan."""
    left = max(0.0, deadline - time.monotonic() - GREEDY_RESERVE * (containers_left - 1))
    if part is None:
        part = 1.0 if containers_left == 1 else 2.0 / (containers_left + 1)
    return time.monotonic() + left * part


def _may_hold(mix, reached: dict[str, float], volume: float) -> bool:
    """Whether the mix may hold the cargo, filled as well as the mixes tried so far filled each container type
    (with some slack: more search time fills better); a type not tried yet counts at MAX_FILL."""
    return sum(c.volume * min(MAX_FILL, reached.get(c.code, MAX_FILL) * 1.03) for c in mix) >= volume


def _fast_path(lines: list[CargoLine], mixes: list[tuple[ContainerType, ...]],
               opts: PlanOptions) -> ContainerPlan | None:
    """The plan of the cheapest mix when it is one container and the greedy plan of simple blocks (one carton
    type each: no combined blocks, no beam search) places every carton in it; else None.

    Nothing can beat it: the mixes are tried cheapest first and the first that holds every carton wins, so the
    search would choose this mix too (or, failing where this greedy plan succeeds, a dearer one), and no plan
    holds more than every carton. It skips generating the combined blocks, nearly all the time a small cargo
    takes (up to 4,000 of them before the search's first greedy plan). The plan is marked `stats["fast_path"]`."""
    if not opts.fast_path or not mixes or len(mixes[0]) != 1:
        return None
    cp = pack_container(lines, [ln.count for ln in lines], mixes[0][0], opts, greedy_only=True)
    if len(cp.placements) < sum(ln.count for ln in lines):
        return None
    cp.stats["fast_path"] = True
    return cp


def plan(lines: list[CargoLine], containers=None, rates: dict[str, float] | str | None = None,
         currency: str = "USD", options: PlanOptions | None = None,
         known_containers: dict[str, ContainerType] | None = None) -> Plan:
    """Choose the container mix of least freight cost and fill it.

    `containers`: codes ("20GP,40HQ") or ContainerType objects; default 20GP, 40GP, 40HQ.
    `rates`: freight per container type, and optionally "LCL" per W/M (max of m³ and tonnes).
    `options.time_limit` bounds the whole call: the search of each container gets a share of what is left;
    a mix gets MIX_SHARE of the time left when another may follow; a mix that, filled as well as the mixes that
    did not take everything filled each container type, could not hold the cargo either is skipped, and past
    the deadline no further mix is tried (each container tried still gets its greedy plan, so a plan always
    comes back). Before all that, the fast path (`_fast_path`): a cargo that the greedy plan of simple blocks puts
    wholly into the cheapest mix, when that is one container, is answered with that plan at once.
    """
    opts = options or PlanOptions()
    if isinstance(rates, str):
        rates = parse_rates(rates)
    rates = {k.upper(): v for k, v in (rates or {}).items()}
    types = container_types(containers if containers is not None else ["20GP", "40GP", "40HQ"],
                            known_containers or DEFAULT_CONTAINERS)
    for k in rates:
        if k != "LCL" and k not in {t.code for t in types}:
            if k in (known_containers or DEFAULT_CONTAINERS):
                continue  # a rate for a type not offered here
            raise LoadPlanError(f"rate given for unknown container type {k!r}")
    validate_lines(lines, types)
    cost, have_rates = _costs(types, rates)
    volume = sum(ln.volume * ln.count for ln in lines)
    weight = sum(ln.weight * ln.count for ln in lines)
    mixes = candidate_mixes(types, cost, volume, weight)
    memo: dict[tuple, tuple[ContainerPlan, list[int]]] = {}
    deadline = time.monotonic() + opts.time_limit  # for the whole call, not per container

    def fill(mix, until):
        remaining = [ln.count for ln in lines]
        out = []
        for k in range(len(mix)):
            key = tuple(c.code for c in mix[: k + 1])
            if key not in memo:
                cp = pack_container(lines, remaining, mix[k], opts, until=_share(until, len(mix) - k))
                rem = list(remaining)
                for p in cp.placements:
                    rem[p.line] -= 1
                memo[key] = (cp, rem)
            cp, remaining = memo[key]
            out.append(cp)
            if sum(remaining) == 0:
                break
        return out, remaining

    chosen, left = None, None
    fast = _fast_path(lines, mixes, opts)
    if fast is not None:  # otherwise the search below, as it always ran
        chosen, left = [fast], [0] * len(lines)
    reached: dict[str, float] = {}  # the best volume utilisation per container type in mixes that failed
    trials = mixes[:MAX_TRIALS] if chosen is None else []
    for k, mix in enumerate(trials):
        if chosen is not None and (time.monotonic() >= deadline or not _may_hold(mix, reached, volume)):
            continue
        # keep time for a later mix in case this one does not take everything
        later = any(_may_hold(m, reached, volume) for m in trials[k + 1:])
        cps, rem = fill(mix, _share(deadline, 1, MIX_SHARE if later else 1.0))
        if chosen is None or sum(rem) < sum(left):
            chosen, left = cps, rem
        if sum(rem) == 0:
            break
        for cp in cps:
            reached[cp.container.code] = max(reached.get(cp.container.code, 0.0), cp.volume_utilisation)
    if chosen is None:  # no cargo, or more than max_total containers would be needed
        chosen, left = [], [ln.count for ln in lines]
    chosen = [cp for cp in chosen if cp.placements]
    not_fitted = []
    for i, ln in enumerate(lines):
        if left[i] > 0:
            used = [cp.container for cp in chosen] or types
            codes = sorted({c.code for c in used})
            if not any(fits_in(ln, c) for c in used):
                cause, reason = "orientation", f"does not fit in {', '.join(codes)} in an allowed orientation"
            elif any(c.max_payload > 0 and cp.cargo_weight + ln.weight > c.max_payload
                     for cp, c in ((cp, cp.container) for cp in chosen)) and chosen:
                cause, reason = "payload", "payload of the containers reached or no space left"
            else:
                cause, reason = "space", "no space left in the chosen containers"
            not_fitted.append(NotFitted(i, ln.reference, left[i], reason, cause, codes))
    freight = sum(cost[cp.container.code] for cp in chosen) if have_rates else None
    lcl = None
    recommendation = "FCL"
    if "LCL" in rates:
        wm = max(1.0, volume / 1e9, weight / 1000.0)
        lcl = {"wm": round(wm, 3), "rate": rates["LCL"], "cost": round(wm * rates["LCL"], 2)}
        if freight is not None and lcl["cost"] < freight:
            recommendation = "LCL"
    for k, cp in enumerate(chosen):
        cp.stats["index"] = k + 1
    return Plan(lines, chosen, not_fitted, currency=currency,
                freight_cost=None if freight is None else round(freight, 2), lcl=lcl,
                recommendation=recommendation,
                options={"time_limit": opts.time_limit, "seed": opts.seed,
                         "max_iterations": opts.max_iterations, "container_types": [t.code for t in types],
                         "rates": rates})
