"""A shipment's cartons for the load planner, from its order lines' packaging data (no retyping): cartons = units /
units per carton rounded up, carton size cm → whole mm, gross weight per carton, "this side up", stacking limits,
and the unloading stop of each order (1 = unloaded first)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gendan.loadplan import CargoLine, OrientationRule
from gendan.loadplan import ContainerType as PlannerContainer
from gendan.loadplan.planner import orientations_in


@dataclass
class Cargo:
    lines: list[CargoLine]
    notes: list[str] = field(default_factory=list)  # partly filled last cartons


def _mm(cm: Decimal | None) -> int:
    return int((Decimal(cm) * 10).to_integral_value()) if cm else 0


def line_name(order_line) -> str:
    return _("%(order)s line %(line)s (%(product)s)") % {
        "order": order_line.order.number, "line": order_line.position, "product": order_line.product.code}


def line_reference(order_line) -> str:
    """How the planner (its pictures, instructions and results) names an order line's cartons."""
    return f"{order_line.order.number}-{order_line.position} {order_line.product.code}"


def cargo_of(shipment_lines, stops: dict[int, int] | None = None) -> Cargo:
    """The planner's cargo lines for these shipment lines (with `order_line__order` and `order_line__product`),
    each order's cartons in the unloading group of its stop (default 1). A product without carton size, units
    per carton or gross weight is refused naming the shipment row `lines.<i>`."""
    stops = stops or {}
    cargo, errors = Cargo([]), {}
    for index, line in enumerate(shipment_lines):
        order_line = line.order_line
        product = order_line.product
        size = [_mm(product.carton_length_cm), _mm(product.carton_width_cm), _mm(product.carton_height_cm)]
        per_carton = product.units_per_carton or 0
        if min(size) <= 0 or per_carton <= 0 or not product.gross_weight_kg or product.gross_weight_kg <= 0:
            errors[f"lines.{index}"] = _("%(line)s: the product has no carton size, units per carton or gross "
                                         "weight; fill them in on the product first.") % {
                "line": line_name(order_line)}
            continue
        cartons = math.ceil(line.quantity / per_carton)
        loose = line.quantity - (cartons - 1) * per_carton
        if loose < per_carton:
            cargo.notes.append(_("%(line)s: %(cartons)s cartons, the last one holds %(loose)s of %(full)s.") % {
                "line": line_name(order_line), "cartons": cartons, "loose": f"{loose.normalize():f}",
                "full": per_carton})
        cargo.lines.append(CargoLine(
            line_reference(order_line), *size, cartons,
            weight=float(product.gross_weight_kg),
            orientation=OrientationRule("this_side_up" if product.this_side_up else "any"),
            stackable=product.stackable,
            max_load=float(product.max_load_kg) if product.max_load_kg is not None else None,
            unloading_group=stops.get(order_line.order_id, 1), description=order_line.description))
    if errors:
        raise ValidationError(errors)
    return cargo


def planner_container(container_type) -> PlannerContainer:
    """A shipping.ContainerType row as the planner's ContainerType (its freight rate as the cost)."""
    c = container_type
    return PlannerContainer(c.code, c.inner_length_mm, c.inner_width_mm, c.inner_height_mm,
                            door_width=c.door_width_mm, door_height=c.door_height_mm,
                            max_payload=float(c.max_payload_kg), tare=float(c.tare_kg),
                            cost=float(c.freight_rate), name=c.name)


def check_doors(shipment_lines, cargo: Cargo, containers: list[PlannerContainer]) -> None:
    """A carton that goes in none of the containers offered (or not through the door) is refused naming the row."""
    errors = {}
    for index, (line, cargo_line) in enumerate(zip(shipment_lines, cargo.lines, strict=True)):
        if not any(orientations_in(cargo_line, c) for c in containers):
            errors[f"lines.{index}"] = _(
                "%(line)s: a carton of %(size)s mm is larger than the door or the inside of every container "
                "offered (%(codes)s).") % {
                "line": line_name(line.order_line),
                "size": f"{cargo_line.length}×{cargo_line.width}×{cargo_line.height}",
                "codes": ", ".join(c.code for c in containers)}
    if errors:
        raise ValidationError(errors)


FIGURES = ("volume_utilisation", "cargo_weight", "weight_utilisation", "cog_along", "cog_across")


def stored_containers(result: dict):
    """The planner's (container plans, cargo lines) again from a stored `Plan.to_dict()`, for the instructions
    and the pictures."""
    from gendan.loadplan import ContainerPlan, Placement

    lines = [CargoLine(**{**line, "orientation": OrientationRule.parse(line["orientation"])})
             for line in result["lines"]]
    plans = [ContainerPlan(PlannerContainer(**box["container"]), [Placement(**p) for p in box["placements"]],
                           **{name: box[name] for name in FIGURES})
             for box in result["containers"]]
    return plans, lines


def svg_words():
    """The load plan picture's words in the active language."""
    from gendan.loadplan import SvgWords

    return SvgWords(
        summary=_("{cartons} cartons, volume {volume:.1f} %, cargo {weight:,.0f} kg"),
        # xgettext:no-python-format
        payload=_(" ({share:.0f} % of payload)"),
        gravity=_(", centre of gravity {along:.0f} % along, {across:.0f} % across"),
        isometric=_("Isometric view (door on the right, seen from the door side)"),
        top=_("Top view (back wall left, door right; left wall at the top)"),
        side=_("Side view (seen through the left wall; back wall left, door right)"),
        door=_("DOOR"), legend=_("Legend"), cartons=_("{count} ctn"), no_stacking=_(", no stacking"),
        bottom_only=_(", bottom only"), group=_(", unloading stop {group}"),
        steps=_("Loading steps (load in this order through the door; numbers as in the views)"),
        rules=(("any", _("any way up")), ("this_side_up", _("this side up"))))


def instruction_words():
    """The loading steps' words in the active language (the warehouse reads them in Chinese)."""
    from gendan.loadplan import InstructionWords

    return InstructionWords(
        upright=_("upright (top side up)"), on_side=_("on its side (width upright)"),
        on_end=_("on its end (length upright)"), length_along=_("length along the container"),
        length_across=_("length across the container"), width_along=_("width along the container"),
        width_across=_("width across the container"), square=_("square base"), orientation=_("{up}, {along}"),
        arrangement=_("{deep} deep × {across} across × {high} high"), full_width=_("full width"),
        left_wall=_("against the left wall ({width} wide)"), right_wall=_("against the right wall ({width} wide)"),
        from_left=_("{distance} from the left wall"), floor=_("on the floor"),
        on_top=_("on top of the cartons at {height}"),
        position=_("row {row}, layer {layer}: {start}–{end} from the back wall, {side}, {base}"))
