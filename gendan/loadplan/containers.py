"""Default dry container types (inner dimensions in mm, weights in kg), from DOMAIN.md.

They are data: callers may pass their own ContainerType (a truck, a pallet) to the planner.
"""

from __future__ import annotations

from .model import ContainerType, LoadPlanError

DEFAULT_CONTAINERS: dict[str, ContainerType] = {
    c.code: c
    for c in (
        ContainerType("20GP", 5898, 2352, 2393, door_width=2340, door_height=2280, max_payload=28200, tare=2250),
        ContainerType("40GP", 12032, 2352, 2393, door_width=2340, door_height=2280, max_payload=26700, tare=3750),
        ContainerType("40HQ", 12032, 2352, 2698, door_width=2340, door_height=2585, max_payload=26500, tare=3900),
        ContainerType("45HQ", 13556, 2352, 2698, door_width=2340, door_height=2585, max_payload=27700, tare=4800),
    )
}


def container_types(codes, known: dict[str, ContainerType] | None = None) -> list[ContainerType]:
    """Container types for codes like ["20GP", "40HQ"] (or a comma-separated string)."""
    known = DEFAULT_CONTAINERS if known is None else known
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",") if c.strip()]
    out = []
    for c in codes:
        if isinstance(c, ContainerType):
            out.append(c)
            continue
        key = str(c).strip().upper()
        if key not in known:
            raise LoadPlanError(f"unknown container type {c!r}; known: {', '.join(sorted(known))}")
        out.append(known[key])
    if not out:
        raise LoadPlanError("no container type given")
    return out
