"""Plain data of the load planner: container types, cargo lines, placements and plans.

Units: millimetres and kilograms.  Coordinates: x along the container from the back wall (x = 0)
to the door (x = length), y across from the left wall, z up from the floor.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field

ORIENTATION_RULES = ("any", "this_side_up", "upright", "lengthwise")
DIM_NAMES = ("length", "width", "height")


class LoadPlanError(ValueError):
    """Bad input: the message names the cargo line (or file row) at fault."""


@dataclass(frozen=True)
class ContainerType:
    code: str
    length: int  # inner, mm
    width: int
    height: int
    door_width: int = 0
    door_height: int = 0
    max_payload: float = 0.0  # kg; 0 = no limit
    tare: float = 0.0
    cost: float | None = None  # freight per container
    name: str = ""

    @property
    def volume(self) -> int:
        return self.length * self.width * self.height

    def with_cost(self, cost: float | None) -> ContainerType:
        return ContainerType(self.code, self.length, self.width, self.height, self.door_width,
                             self.door_height, self.max_payload, self.tare, cost, self.name)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OrientationRule:
    """Which way up a carton may travel.

    - ``any``: any of the 6 orientations;
    - ``this_side_up``: height upright, turning about the vertical axis only;
    - ``upright``: an explicit set of carton dimensions allowed to stand upright, e.g. ("height", "width");
    - ``lengthwise``: height upright and the carton's length along the container's length.
    """

    rule: str = "any"
    upright: tuple[str, ...] = ()

    def orientations(self, length: int, width: int, height: int) -> list[tuple[int, int, int]]:
        dims = {"length": length, "width": width, "height": height}
        if self.rule == "any":
            cand = list(itertools.permutations((length, width, height)))
        elif self.rule == "this_side_up":
            cand = [(length, width, height), (width, length, height)]
        elif self.rule == "lengthwise":
            cand = [(length, width, height)]
        elif self.rule == "upright":
            cand = []
            for name in self.upright:
                up = dims[name]
                a, b = [dims[n] for n in DIM_NAMES if n != name]
                cand += [(a, b, up), (b, a, up)]
        else:
            raise LoadPlanError(f"unknown orientation rule {self.rule!r}")
        return list(dict.fromkeys(cand))

    @classmethod
    def parse(cls, text: str | None) -> OrientationRule:
        """'any', 'this side up', 'lengthwise', or a list of upright dimensions like 'upright:H,W'."""
        t = (text or "any").strip().lower().replace("-", "_").replace(" ", "_")
        if t in ("", "any", "all", "6"):
            return cls("any")
        if t in ("this_side_up", "thissideup", "tsu", "up"):
            return cls("this_side_up")
        if t in ("lengthwise", "lengthwise_only"):
            return cls("lengthwise")
        if t.startswith("upright"):
            rest = t.split(":", 1)[1] if ":" in t else ""
            names = []
            for part in rest.replace(";", ",").replace("_", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                full = {"l": "length", "w": "width", "h": "height"}.get(part, part)
                if full not in DIM_NAMES:
                    raise LoadPlanError(f"unknown dimension {part!r} in orientation {text!r}")
                names.append(full)
            if not names:
                raise LoadPlanError(f"orientation {text!r}: name the upright dimensions, e.g. upright:H,W")
            return cls("upright", tuple(dict.fromkeys(names)))
        raise LoadPlanError(f"unknown orientation rule {text!r} (any, this side up, lengthwise, upright:H,W)")

    def __str__(self) -> str:
        if self.rule == "upright":
            return "upright:" + ",".join(n[0].upper() for n in self.upright)
        return self.rule


@dataclass
class CargoLine:
    reference: str
    length: int  # carton, mm
    width: int
    height: int
    count: int
    weight: float = 0.0  # gross kg per carton
    orientation: OrientationRule = field(default_factory=OrientationRule)
    stackable: bool = True
    max_load: float | None = None  # kg that may rest on one carton; None = no limit
    bottom_only: bool = False
    unloading_group: int = 1  # 1 = unloaded first (loaded last, nearest the door)
    description: str = ""

    @property
    def volume(self) -> int:
        return self.length * self.width * self.height

    def orientations(self) -> list[tuple[int, int, int]]:
        return self.orientation.orientations(self.length, self.width, self.height)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["orientation"] = str(self.orientation)
        return d


@dataclass
class Placement:
    line: int  # index of the cargo line
    reference: str
    x: int
    y: int
    z: int
    dx: int
    dy: int
    dz: int
    step: int = 0  # loading step (1-based), several cartons per step
    seq: int = 0  # position in the loading sequence (1-based, one carton each)

    @property
    def box(self) -> tuple[int, int, int, int, int, int]:
        return (self.x, self.y, self.z, self.x + self.dx, self.y + self.dy, self.z + self.dz)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ContainerPlan:
    container: ContainerType
    placements: list[Placement]
    volume_utilisation: float = 0.0
    cargo_weight: float = 0.0
    weight_utilisation: float = 0.0
    cog_along: float = 0.5  # centre of gravity as a fraction of length (0 = back wall)
    cog_across: float = 0.5  # fraction of width (0 = left wall)
    warnings: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        counts: dict[str, int] = {}
        for p in self.placements:
            counts[p.reference] = counts.get(p.reference, 0) + 1
        return {
            "container": self.container.to_dict(),
            "cartons": len(self.placements),
            "cartons_per_line": counts,
            "volume_utilisation": round(self.volume_utilisation, 5),
            "cargo_weight": round(self.cargo_weight, 3),
            "weight_utilisation": round(self.weight_utilisation, 5),
            "gross_weight": round(self.cargo_weight + self.container.tare, 3),
            "cog_along": round(self.cog_along, 4),
            "cog_across": round(self.cog_across, 4),
            "warnings": list(self.warnings),
            "placements": [p.to_dict() for p in self.placements],
            "stats": dict(self.stats),
        }


@dataclass
class NotFitted:
    line: int
    reference: str
    count: int
    reason: str
    cause: str = ""  # "orientation", "payload" or "space": for a caller that words the reason itself
    containers: list[str] = field(default_factory=list)  # the container types it was tried in

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Plan:
    lines: list[CargoLine]
    containers: list[ContainerPlan]
    not_fitted: list[NotFitted]
    currency: str = "USD"
    freight_cost: float | None = None
    lcl: dict | None = None  # {"wm": .., "rate": .., "cost": ..} when an LCL rate was given
    recommendation: str = "FCL"
    options: dict = field(default_factory=dict)

    def placed_count(self, line: int) -> int:
        return sum(1 for c in self.containers for p in c.placements if p.line == line)

    def to_dict(self) -> dict:
        return {
            "lines": [ln.to_dict() for ln in self.lines],
            "containers": [c.to_dict() for c in self.containers],
            "not_fitted": [n.to_dict() for n in self.not_fitted],
            "currency": self.currency,
            "freight_cost": self.freight_cost,
            "lcl": self.lcl,
            "recommendation": self.recommendation,
            "options": dict(self.options),
        }
