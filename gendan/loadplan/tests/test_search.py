"""The search's time budget: a wall-clock deadline that cuts off a running beam iteration."""

from __future__ import annotations

import time

from gendan.loadplan.blocks import ItemType
from gendan.loadplan.search import SearchConfig, _Engine, block_settings, solve

CONTAINER = (587, 233, 220)


def mixed_items(n=40):
    """Many carton types, a few of each: beam iterations get slow quickly."""
    items = []
    for i in range(n):
        a, b, c = 40 + (i * 37) % 71, 25 + (i * 23) % 53, 20 + (i * 13) % 31
        items.append(ItemType(i, [(a, b, c), (b, a, c), (a, c, b), (c, a, b)], 5 + i % 4))
    return items


class WorkClock:
    """A clock that advances 1 ms with every greedy completion, the unit of work of the beam search:
    deadlines fall at a fixed point of the work, whatever the machine."""

    def __init__(self, eng, step=0.001):
        self.t = 0.0
        self.step = step
        greedy = eng.greedy

        def counted(st):
            self.t += step
            return greedy(st)

        eng.greedy = counted
        eng.now = lambda: self.t


def engine(**kw):
    eng = _Engine(mixed_items(), CONTAINER, SearchConfig(**kw))
    eng.clock = WorkClock(eng)
    return eng


def test_iteration_is_cut_off_at_the_deadline():
    eng = engine()
    full, complete = eng._beam_iteration(eng.root(), 6, float("inf"))
    assert complete
    work = eng.clock.t
    eng = engine()
    cut, complete = eng._beam_iteration(eng.root(), 6, work / 3)
    assert not complete
    assert eng.clock.t <= work / 3 + 1.5 * eng.clock.step  # stopped at the first completion past it
    assert 0 < cut.volume <= full.volume


def test_partial_iteration_counts_only_when_asked():
    gains = []
    for deadline in (0.05, 0.2, 0.5, 0.8):  # 1 ms per greedy completion: inside some beam iteration
        runs = {}
        for keep in (False, True):
            eng = engine(keep_partial=keep)
            runs[keep] = eng.beam(eng.root(), deadline, deadline, None)
        assert runs[True][1] == runs[False][1]  # the cut iteration is not counted as complete
        gains.append(runs[True][0].volume - runs[False][0].volume)
    assert min(gains) >= 0 and max(gains) > 0  # its best plan so far can only help


def test_wall_clock_deadline_includes_overrun():
    # a small block pool: block generation is not cut off, only the beam search is
    cfg = SearchConfig(time_limit=0.3, overrun=0.2, clock="wall", gen_pool=300, gen_rounds=2)
    t0 = time.monotonic()
    boxes, stats = solve(mixed_items(), CONTAINER, cfg)
    wall = time.monotonic() - t0
    assert boxes
    assert wall < 0.3 + 0.2 + 0.25  # expanding the plan into cartons takes a few ms
    assert stats["seconds"] <= 0.3 + 0.2 + 0.05


def test_distinct_children_skip_tied_completions():
    eng = engine(distinct=True)
    # (completion volume, child volume, order, child, completion), sorted best first
    children = [(90, 10, 0, "a", "ga"), (90, 12, 1, "b", "gb"), (80, 11, 2, "c", "gc"), (70, 9, 3, "d", "gd")]
    assert [c[3] for c in eng.select_children(children, 3)] == ["a", "c", "d"]
    eng.distinct = False
    assert [c[3] for c in eng.select_children(children, 3)] == ["a", "b", "c"]


def test_distinct_is_automatic_for_many_carton_types():
    assert _Engine(mixed_items(40), CONTAINER, SearchConfig()).distinct
    assert not _Engine(mixed_items(10), CONTAINER, SearchConfig()).distinct
    assert not _Engine(mixed_items(40), CONTAINER, SearchConfig(distinct=False)).distinct


def test_block_settings_grow_with_many_carton_types():
    few, many = block_settings(SearchConfig(), 10), block_settings(SearchConfig(), 40)
    assert (few["rounds"], few["pool"], few["max_types"]) == (2, 400, 3)
    assert (many["rounds"], many["pool"], many["max_types"]) == (3, 2000, 5)
    assert block_settings(SearchConfig(gen_pool=50, min_fill=0.9), 40)["pool"] == 50
    assert block_settings(SearchConfig(min_fill=0.9), 100)["min_fill"] == 0.9
    assert block_settings(SearchConfig(), 100)["min_fill"] == 0.95


def test_reachable_lengths_match_the_plain_loop():
    """The lengths that carton dimensions can fill (the waste in the block ranking), against the plain loop."""
    import random

    from gendan.loadplan.search import reachable

    def plain(size, lengths):
        reach = [True] + [False] * size
        for r in range(1, size + 1):
            reach[r] = any(d <= r and reach[r - d] for d in lengths)
        return reach

    rng = random.Random(3)
    for _ in range(60):
        size = rng.randint(1, 2500)
        lengths = [rng.randint(1, 700) for _ in range(rng.randint(1, 6))]
        assert reachable(size, lengths).tolist() == plain(size, lengths), (size, lengths)
    assert reachable(1000, [400, 300]).nonzero()[0].tolist() == [0, 300, 400, 600, 700, 800, 900, 1000]
