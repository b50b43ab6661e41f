"""Every change to a sales order goes through here: one transaction each, permission and rules
checked, history written. A change to a confirmed order becomes a numbered revision.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import display_name
from gendan.accounts.roles import Role
from gendan.catalog.models import CustomerItem, Product
from gendan.core.bulk import insert_with_history
from gendan.core.concurrency import take_version
from gendan.core.errors import ConcurrentChange
from gendan.core.money import round_amount
from gendan.core.numbering import next_number
from gendan.core.permissions import require_perm
from gendan.core.records import check_fields, field_errors
from gendan.core.states import transition
from gendan.core.uploads import check_upload
from gendan.core.validators import column_overflows, date_out_of_window
from gendan.parties.models import Customer
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderAttachment, OrderEvent, OrderRevision, SalesOrder, SalesOrderLine
from gendan.sales.selectors import customer_may_order, order_editable_by, order_list_visible_to
from gendan.sales.signals import order_header_changed, order_moving, order_revised, order_status_changed
from gendan.shipping.choices import ShipmentStatus  # a leaf module: no import cycle

HEADER_FIELDS = [
    "customer_po", "order_date", "requested_ex_factory", "confirmed_ex_factory", "incoterm", "incoterm_place",
    "payment_term", "deposit_percent", "balance_condition", "balance_days", "currency", "salesperson",
    "merchandiser", "followup_depth", "transport_mode", "needs_samples", "needs_commodity_inspection",
    "needs_certificate_of_origin", "shipping_marks", "packing_requirements", "customer_specifics",
]
LINE_FIELDS = ["product", "customer_item_no", "description", "quantity", "unit", "unit_price"]


@dataclass
class LineInput:
    product: Product
    quantity: Decimal
    unit_price: Decimal
    customer_item_no: str = ""
    description: str = ""
    unit: str = ""


# ---------------------------------------------------------------- creating and editing


@transaction.atomic
def order_create(*, by, customer: Customer, lines: list[LineInput] = (), note: str = "", **header) -> SalesOrder:
    require_perm(by, "sales.add_salesorder")
    if not customer_may_order(user=by, customer=customer):
        raise ValidationError({"customer": _("You cannot open orders for this customer.")})
    order = SalesOrder(customer=customer, created_by=by, **order_defaults(customer))
    started_from = _terms_of(order)
    for name, value in header.items():
        setattr(order, name, value)
    _terms_follow_payment_term(order, started_from)
    order.order_date = order.order_date or timezone.localdate()
    _check_header(order)
    rows = _build_lines(order, lines, start=1, keyed_by_line=True)
    _set_totals(order, rows)  # the order is written once, with its totals
    _check_totals(order)
    order.number = next_number("SO", on=order.order_date)
    insert_with_history([order], by=by)
    if rows:
        insert_with_history(rows, by=by)
    OrderEvent.objects.create(order=order, kind="created", new_status=order.status, note=note, by=by)
    return order


# what a repeat order takes over; the PO number and the dates are the new order's own, and the people are the
# customer's now (order_create's defaults), who may not be those of the old order
COPIED_FIELDS = [name for name in HEADER_FIELDS if name not in {
    "customer_po", "order_date", "requested_ex_factory", "confirmed_ex_factory", "salesperson", "merchandiser"}]


@transaction.atomic
def order_copy(*, order: SalesOrder, by) -> SalesOrder:
    """A repeat order (返单): a new draft for the same customer with this order's terms, requirements and lines
    at their prices, for the user to change what changed. Products no longer sold are left out, and said so."""
    _require_visible(order, by)
    header = {name: getattr(order, name) for name in COPIED_FIELDS}
    lines = [
        LineInput(product=line.product, quantity=line.quantity, unit_price=line.unit_price, unit=line.unit,
                  customer_item_no=line.customer_item_no, description=line.description)
        for line in order.lines.select_related("product").order_by("position") if line.product.is_active
    ]
    return order_create(by=by, customer=order.customer, lines=lines, note=_("Copied from %(number)s")
                        % {"number": order.number}, **header)


def order_defaults(customer: Customer) -> dict:
    """What a new order of this customer starts from (the new-order form shows the same), by column name."""
    term = customer.payment_term
    defaults = {
        "currency": customer.currency,
        "incoterm": customer.incoterm,
        "incoterm_place": customer.incoterm_place,
        "salesperson_id": customer.owner_id,
        "merchandiser_id": customer.merchandiser_id,
        "payment_term_id": customer.payment_term_id,
    }
    if term is not None:
        defaults |= {
            "deposit_percent": term.deposit_percent,
            "balance_condition": term.balance_condition,
            "balance_days": term.balance_days,
        }
    return defaults


TERM_FIELDS = ["deposit_percent", "balance_condition", "balance_days"]


def _terms_of(order: SalesOrder) -> dict:
    return {"payment_term_id": order.payment_term_id, **{name: getattr(order, name) for name in TERM_FIELDS}}


def _terms_follow_payment_term(order: SalesOrder, started_from: dict) -> bool:
    """A new payment term brings its deposit, balance condition and days, unless the caller changed those
    too (a one-off arrangement): a form that only changes the term must not keep the old term's figures,
    which would save contradictory terms ("30/70 against copy B/L" with 100 % in advance)."""
    own_figures = any(getattr(order, name) != started_from[name] for name in TERM_FIELDS)
    if order.payment_term_id in (None, started_from["payment_term_id"]) or own_figures:
        return False
    term = order.payment_term
    order.deposit_percent, order.balance_condition, order.balance_days = (
        term.deposit_percent, term.balance_condition, term.balance_days)
    return True


def _check_header(order: SalesOrder, dates: list[str] | None = None) -> None:
    """The header's rules; `dates` are checked against the window around today (on an edit, only those
    changed: an old order keeps its order date)."""
    errors = field_errors(order, HEADER_FIELDS)
    if not order.incoterm_place:
        errors["incoterm_place"] = _("An Incoterm needs its named place, e.g. FOB Ningbo.")
    for name in ("requested_ex_factory", "confirmed_ex_factory"):
        day = getattr(order, name)
        if day and order.order_date and day < order.order_date:
            errors[name] = _("The date cannot be before the order date.")
    for name in column_overflows(order, ["deposit_percent", "balance_days"]):  # SQLite would store them
        errors[name] = _too_large(order, [name])
    today = timezone.localdate()
    for name in ORDER_DATES if dates is None else dates:
        message = date_out_of_window(getattr(order, name), today)
        if message:
            errors[name] = message
    if errors:
        raise ValidationError(errors)


def _build_lines(order: SalesOrder, lines: list[LineInput], *, start: int,
                 keyed_by_line: bool = False) -> list[SalesOrderLine]:
    item_numbers = _customer_item_numbers(order.customer_id, [line.product.pk for line in lines]) if lines else {}
    rows = []
    for offset, data in enumerate(lines):
        line = SalesOrderLine(
            order=order, position=start + offset, product=data.product, quantity=data.quantity,
            unit_price=data.unit_price, unit=data.unit or data.product.unit,
            customer_item_no=data.customer_item_no or item_numbers.get(data.product.pk, ""),
            description=data.description or data.product.name_en,
        )
        try:
            _check_and_compute(line, order.currency)
        except ValidationError as error:
            if not keyed_by_line:
                raise
            raise ValidationError({f"lines.{offset}.{name}": messages  # which of several lines
                                   for name, messages in error.message_dict.items()}) from None
        rows.append(line)
    return rows


def _insert_lines(order: SalesOrder, lines: list[LineInput], *, by) -> list[SalesOrderLine]:
    start = (order.lines.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return insert_with_history(_build_lines(order, lines, start=start), by=by)


def _customer_item_numbers(customer_id: int, product_ids: list[int]) -> dict[int, str]:
    rows = CustomerItem.objects.filter(customer_id=customer_id, product_id__in=product_ids)
    return dict(rows.values_list("product_id", "item_no"))


def _check_line(line: SalesOrderLine) -> None:
    errors = field_errors(line, ["customer_item_no", "description", "unit"])  # the numbers are checked below
    if line.quantity is None or line.quantity <= 0:
        errors["quantity"] = _("Quantity must be greater than zero.")
    if line.unit_price is None or line.unit_price < 0:
        errors["unit_price"] = _("Unit price cannot be negative.")
    for name in column_overflows(line, ["quantity", "unit_price"]):
        field = line._meta.get_field(name)
        errors[name] = _("Too large: at most %(digits)s digits before the decimal point.") % {
            "digits": field.max_digits - field.decimal_places}
    if errors:
        raise ValidationError(errors)


def _check_and_compute(line: SalesOrderLine, currency: str) -> None:
    """Check the input, derive amount and packing, and refuse a quantity whose results would not fit
    their columns (on SQLite they would be stored anyway and break every list showing the order)."""
    _check_line(line)
    line.compute(currency)
    too_large = column_overflows(line, ["amount", "cartons", "cbm", "gross_kg"])
    if too_large:
        raise ValidationError({"quantity": _too_large(line, too_large)})


def _check_totals(order: SalesOrder) -> None:
    too_large = column_overflows(order, TOTAL_FIELDS)
    if too_large:
        raise ValidationError({"lines": _too_large(order, too_large)})


def _too_large(obj, names: list[str]) -> str:
    labels = ", ".join(str(obj._meta.get_field(name).verbose_name) for name in names)
    return _("Too large: the %(fields)s would exceed what can be stored.") % {"fields": labels}


ORDER_DATES = ["order_date", "requested_ex_factory", "confirmed_ex_factory"]
TOTAL_FIELDS = ["total_amount", "total_quantity", "total_cartons", "total_cbm", "total_gross_kg"]


def _set_totals(order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    _assign_totals(
        order, amount=sum((line.amount for line in lines), Decimal(0)),
        quantity=sum((line.quantity for line in lines), Decimal(0)), cartons=sum(line.cartons for line in lines),
        cbm=sum((line.cbm for line in lines), Decimal(0)), gross=sum((line.gross_kg for line in lines), Decimal(0)),
    )


def _recompute_totals(order: SalesOrder) -> None:
    """After a line changed: the totals again from the stored lines (one aggregate, one update)."""
    _assign_totals(order, **order.lines.aggregate(
        amount=Sum("amount"), quantity=Sum("quantity"), cartons=Sum("cartons"), cbm=Sum("cbm"), gross=Sum("gross_kg"),
    ))
    _check_totals(order)
    SalesOrder.objects.filter(pk=order.pk).update(**{name: getattr(order, name) for name in TOTAL_FIELDS})


def _assign_totals(order: SalesOrder, *, amount, quantity, cartons, cbm, gross) -> None:
    order.total_amount = round_amount(amount or Decimal(0), order.currency)
    order.total_quantity = quantity or 0
    order.total_cartons = cartons or 0
    order.total_cbm = (cbm or Decimal(0)).quantize(Decimal("0.001"))
    order.total_gross_kg = gross or 0


def _claim_for_edit(order: SalesOrder, *, by, version: int) -> None:
    """Check the user may edit, and take the order's version so a parallel edit fails loudly."""
    if not order_editable_by(user=by, order=order):
        raise PermissionDenied(_("You cannot change this order."))
    if not order.is_editable:
        raise ValidationError(
            {"status": _("An order that is “%(status)s” cannot be changed.") % {"status": order.get_status_display()}}
        )
    take_version(order, version)
    if order.is_revised_on_change and order.revision == 0:
        _keep_confirmed_baseline(order, by=by)


def _keep_confirmed_baseline(order: SalesOrder, *, by) -> None:
    """Revision 0 is the order as confirmed. It is copied when the confirmed order is first changed
    (until then the order itself is that version), so confirming stays cheap."""
    OrderRevision.objects.get_or_create(
        order=order, number=0,
        defaults={"changes": [], "snapshot": order_snapshot(order), "created_by": by},
    )


@transaction.atomic
def order_update(*, order: SalesOrder, by, version: int, reason: str = "", **changes) -> SalesOrder:
    """Change the header to `changes`, from the order as the user saw it at `version`. The order is read
    again from the database first: what is compared is the stored order, never an instance a form or a
    caller has already written the new values onto (which would find no change and save nothing)."""
    unknown = set(changes) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    order.refresh_from_db(from_queryset=SalesOrder.objects.select_for_update())
    diff = [_change(order, name, getattr(order, name), value) for name, value in changes.items()
            if getattr(order, name) != value]
    if not diff:
        if order.version != version:  # nothing to change, but the user is looking at an old order
            raise ConcurrentChange(order)
        return order
    _claim_for_edit(order, by=by, version=version)  # keeps the confirmed order as it was, before any change
    started_from = _terms_of(order)
    for name, value in changes.items():
        setattr(order, name, value)
    if _terms_follow_payment_term(order, started_from):
        given = {c["field"] for c in diff}
        diff += [_change(order, name, started_from[name], getattr(order, name)) for name in TERM_FIELDS
                 if getattr(order, name) != started_from[name] and name not in given]
    changed = {c["field"] for c in diff}
    _check_header(order, dates=[name for name in ORDER_DATES if name in changed])
    order._history_user = by
    order.save(update_fields=[*(set(changes) | changed), "updated_at"])
    if "currency" in changes:
        _recompute_line_amounts(order)
    _revise(order, by=by, changes=diff, reason=reason)
    order_header_changed.send(sender=SalesOrder, order=order, fields=changed, by=by)
    return order


def _recompute_line_amounts(order: SalesOrder) -> None:
    lines = list(order.lines.select_related("product"))
    for line in lines:
        _check_and_compute(line, order.currency)
    SalesOrderLine.objects.bulk_update(lines, ["amount"])
    _recompute_totals(order)


@transaction.atomic
def order_line_add(*, order: SalesOrder, by, version: int, line: LineInput, reason: str = "") -> SalesOrderLine:
    _claim_for_edit(order, by=by, version=version)
    (created,) = _insert_lines(order, [line], by=by)
    _recompute_totals(order)
    _revise(order, by=by, reason=reason, changes=[{
        "line": created.position, "field": "", "old": None,
        "new": f"{created.product.code} × {created.quantity:g} @ {created.unit_price:g}",
    }])
    return created


@transaction.atomic
def order_line_update(
    *, order: SalesOrder, line: SalesOrderLine, by, version: int, reason: str = "", **changes
) -> SalesOrderLine:
    if line.order_id != order.pk:
        raise ValidationError({"line": _("This line belongs to another order.")})
    unknown = set(changes) - set(LINE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if "unit" in changes and not changes["unit"]:  # left empty: the product's unit, as for a new line
        changes["unit"] = changes.get("product", line.product).unit
    diff = [{"line": line.position, **_change(line, name, getattr(line, name), value)}
            for name, value in changes.items() if getattr(line, name) != value]
    if not diff:
        if not SalesOrder.objects.filter(pk=order.pk, version=version).exists():
            raise ConcurrentChange(order)  # nothing to change, but the user is looking at an old order
        return line
    _claim_for_edit(order, by=by, version=version)
    _check_shipped(line, changes)
    for name, value in changes.items():
        setattr(line, name, value)
    _check_and_compute(line, order.currency)
    line._history_user = by
    line.save()
    _recompute_totals(order)
    _revise(order, by=by, changes=diff, reason=reason)
    return line


@transaction.atomic
def order_line_delete(*, order: SalesOrder, line: SalesOrderLine, by, version: int, reason: str = "") -> None:
    _claim_for_edit(order, by=by, version=version)
    if line.order_id != order.pk:
        raise ValidationError({"line": _("This line belongs to another order.")})
    if order.status != OrderStatus.DRAFT and order.lines.count() == 1:
        raise ValidationError({"line": _("A confirmed order keeps at least one line; cancel the order instead.")})
    if shipments := sorted(set(line.shipment_lines.values_list("shipment__number", flat=True))):
        raise ValidationError({"line": _("Line %(line)s is on shipment %(shipments)s: it stays on the order.") % {
            "line": line.position, "shipments": ", ".join(shipments)}})
    description = f"{line.product.code} × {line.quantity:g}"
    line._history_user = by
    line.delete()
    _recompute_totals(order)
    _revise(order, by=by, reason=reason, changes=[
        {"line": line.position, "field": "", "old": description, "new": None}
    ])


def _check_shipped(line: SalesOrderLine, changes: dict) -> None:
    """Goods on shipments (not cancelled) stay what they are: the product, and at least that quantity."""
    on_shipments = line.shipment_lines.exclude(shipment__status=ShipmentStatus.CANCELLED).aggregate(
        total=Sum("quantity"))["total"]
    if not on_shipments:
        return
    if "product" in changes and changes["product"] != line.product:
        raise ValidationError({"product": _("Line %(line)s is on a shipment: its product stays.") % {
            "line": line.position}})
    if "quantity" in changes and changes["quantity"] is not None and changes["quantity"] < on_shipments:
        raise ValidationError({"quantity": _("%(quantity)s of line %(line)s are on shipments: the line cannot "
                                             "ask for less.") % {"quantity": _plain(on_shipments),
                                                                 "line": line.position}})


def _change(obj, name: str, old, new) -> dict:
    return {"field": name, "old": _plain(old), "new": _plain(new)}


def _plain(value):
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1000.000 and 1000 read the same on every database
    return str(value)


# ---------------------------------------------------------------- revisions


def _revise(order: SalesOrder, *, by, changes: list[dict], reason: str) -> None:
    """Changes to a draft are plain history; changes to a confirmed order are a numbered revision."""
    if not order.is_revised_on_change:
        return
    order.revision += 1
    SalesOrder.objects.filter(pk=order.pk).update(revision=order.revision)
    OrderRevision.objects.create(
        order=order, number=order.revision, reason=reason, changes=changes, snapshot=order_snapshot(order),
        created_by=by,
    )
    OrderEvent.objects.create(order=order, kind="revised", note=reason, by=by)
    order_revised.send(sender=SalesOrder, order=order, by=by)


PEOPLE_AND_TERMS = ("payment_term", "salesperson", "merchandiser")


def order_snapshot(order: SalesOrder) -> dict:
    """The order as it stands, as plain data, so an old revision reads the same forever."""
    header = {name: _plain(getattr(order, name)) for name in HEADER_FIELDS if name not in PEOPLE_AND_TERMS}
    names = SalesOrder.objects.filter(pk=order.pk).values(
        "customer__code", "customer__name_en", "payment_term__name",
        salesperson_name=display_name("salesperson"), merchandiser_name=display_name("merchandiser"),
    ).get()
    header |= {
        "number": order.number, "status": order.status,
        "customer": f"{names['customer__code']} {names['customer__name_en']}",
        "payment_term": names["payment_term__name"] or "",
        "salesperson": names["salesperson_name"],
        "merchandiser": names["merchandiser_name"] or "",
        "total_amount": str(round_amount(order.total_amount, order.currency)), "total_cartons": order.total_cartons,
        "total_cbm": str(order.total_cbm),
    }
    lines = [
        {name: _plain(value) for name, value in row.items()}
        for row in order.lines.order_by("position").values(
            "position", "product__code", "customer_item_no", "description", "quantity", "unit", "unit_price",
            "amount", "cartons", "cbm",
        )
    ]
    return {"header": header, "lines": lines}


# ---------------------------------------------------------------- state transitions


def _move(order: SalesOrder, *, to: str, by, note: str = "", extra: dict | None = None) -> SalesOrder:
    order_moving.send(sender=SalesOrder, order=order, old=order.status, new=to, by=by)  # the gates may refuse
    old = transition(order, to=to, extra=extra)
    OrderEvent.objects.create(order=order, kind="status", old_status=old, new_status=to, note=note, by=by)
    order_status_changed.send(sender=SalesOrder, order=order, old=old, new=to, by=by)
    return order


def _require_visible(order: SalesOrder, by) -> None:
    if by.has_perm("sales.view_all_orders"):
        return
    if not order_list_visible_to(user=by).filter(pk=order.pk).exists():
        raise PermissionDenied(_("You cannot see this order."))


def _require_editor(order: SalesOrder, by) -> None:
    if not order_editable_by(user=by, order=order):
        raise PermissionDenied(_("You cannot change this order."))


@transaction.atomic
def order_submit(*, order: SalesOrder, by) -> SalesOrder:
    _require_editor(order, by)
    if not order.total_quantity:  # totals are kept with every line change
        raise ValidationError({"lines": _("Add at least one line before submitting the order for review.")})
    return _move(order, to=OrderStatus.UNDER_REVIEW, by=by)


@transaction.atomic
def order_return_to_draft(*, order: SalesOrder, by, reason: str) -> SalesOrder:
    require_perm(by, "sales.review_order")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the order goes back to draft.")})
    return _move(order, to=OrderStatus.DRAFT, by=by, note=reason)


@transaction.atomic
def order_confirm(*, order: SalesOrder, by) -> SalesOrder:
    require_perm(by, "sales.review_order")
    _require_visible(order, by)
    if not order.confirmed_ex_factory:
        raise ValidationError({"confirmed_ex_factory": _("Set the confirmed ex-factory date before confirming.")})
    return _move(order, to=OrderStatus.CONFIRMED, by=by)


@transaction.atomic
def order_start_production(*, order: SalesOrder, by) -> SalesOrder:
    require_perm(by, "sales.progress_order")
    _require_visible(order, by)
    return _move(order, to=OrderStatus.IN_PRODUCTION, by=by)


@transaction.atomic
def order_mark_ready(*, order: SalesOrder, by) -> SalesOrder:
    require_perm(by, "sales.progress_order")
    _require_visible(order, by)
    return _move(order, to=OrderStatus.READY_TO_SHIP, by=by)


@transaction.atomic
def order_ship(*, order: SalesOrder, by, partially: bool = False, note: str = "") -> SalesOrder:
    require_perm(by, "sales.progress_order")
    _require_visible(order, by)
    to = OrderStatus.PARTIALLY_SHIPPED if partially else OrderStatus.SHIPPED
    return _move(order, to=to, by=by, note=note)


@transaction.atomic
def order_complete(*, order: SalesOrder, by) -> SalesOrder:
    require_perm(by, "sales.complete_order")
    _require_visible(order, by)
    return _move(order, to=OrderStatus.COMPLETED, by=by)


@transaction.atomic
def order_cancel(*, order: SalesOrder, by, reason: str) -> SalesOrder:
    if order.status in (OrderStatus.DRAFT, OrderStatus.UNDER_REVIEW):
        _require_editor(order, by)
    else:
        require_perm(by, "sales.cancel_order")
        _require_visible(order, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    return _move(order, to=OrderStatus.CANCELLED, by=by, note=reason, extra={"cancel_reason": reason})


# Transition names as offered in the UI and API, with the service that performs each.
TRANSITIONS = {
    "submit": (order_submit, OrderStatus.UNDER_REVIEW),
    "return_to_draft": (order_return_to_draft, OrderStatus.DRAFT),
    "confirm": (order_confirm, OrderStatus.CONFIRMED),
    "start_production": (order_start_production, OrderStatus.IN_PRODUCTION),
    "mark_ready": (order_mark_ready, OrderStatus.READY_TO_SHIP),
    "ship_partially": (order_ship, OrderStatus.PARTIALLY_SHIPPED),
    "ship": (order_ship, OrderStatus.SHIPPED),
    "complete": (order_complete, OrderStatus.COMPLETED),
    "cancel": (order_cancel, OrderStatus.CANCELLED),
}
NEEDS_REASON = {"return_to_draft", "cancel"}


def order_apply_transition(*, order: SalesOrder, name: str, by, reason: str = "") -> SalesOrder:
    """Run the named transition: the single entry point for UI buttons and API actions."""
    if name not in TRANSITIONS:
        raise ValidationError({"transition": _("Unknown action “%(name)s”.") % {"name": name}})
    service, _target = TRANSITIONS[name]
    kwargs = {"order": order, "by": by}
    if name in NEEDS_REASON:
        kwargs["reason"] = reason
    if name == "ship_partially":
        kwargs["partially"] = True
    return service(**kwargs)


def transitions_available(*, order: SalesOrder, user) -> list[str]:
    """The actions this user could try on this order now (the UI shows only these)."""
    moves = SalesOrder.status_moves.get(order.status, set())
    perms = {
        "submit": order_editable_by(user=user, order=order),
        "return_to_draft": user.has_perm("sales.review_order"),
        "confirm": user.has_perm("sales.review_order"),
        "start_production": user.has_perm("sales.progress_order"),
        "mark_ready": user.has_perm("sales.progress_order"),
        "ship_partially": user.has_perm("sales.progress_order"),
        "ship": user.has_perm("sales.progress_order"),
        "complete": user.has_perm("sales.complete_order"),
        "cancel": user.has_perm("sales.cancel_order") or (
            order.status in (OrderStatus.DRAFT, OrderStatus.UNDER_REVIEW) and order_editable_by(user=user, order=order)
        ),
    }
    return [name for name, (_s, target) in TRANSITIONS.items() if target in moves and perms[name]]


@transaction.atomic
def order_attachment_add(*, order: SalesOrder, by, file, description: str = "") -> OrderAttachment:
    _require_editor(order, by)
    check_upload(file, field="file")
    attachment = OrderAttachment(order=order, file=file, description=description, uploaded_by=by)
    check_fields(attachment, ["description"])
    attachment.save()
    OrderEvent.objects.create(order=order, kind="attachment", note=str(attachment), by=by)
    return attachment


@transaction.atomic
def order_reassign(*, order: SalesOrder, merchandiser, by, version: int, reason: str = "") -> SalesOrder:
    """A manager hands an order to another merchandiser: a revision of the order, and the plan's
    merchandiser milestones move with it."""
    if not by.has_perm("followup.view_team_load"):
        raise PermissionDenied(_("Only a manager may reassign orders."))
    if not merchandiser.has_role(Role.MERCHANDISER):
        raise ValidationError({"merchandiser": _("%(person)s is not a merchandiser.") % {"person": merchandiser}})
    return order_update(order=order, by=by, version=version, merchandiser=merchandiser,
                        reason=reason or _("Reassigned to %(person)s") % {"person": merchandiser})
