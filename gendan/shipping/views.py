"""Shipment pages: the list, a new shipment from a customer's ready goods, and a shipment with its lines, the money
gate of each order, and shipping or cancelling it."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import ConcurrentChange, InvalidTransition, error_text
from gendan.core.history import history_of
from gendan.core.listing import filtered_list
from gendan.finance.gates import may_ship
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping import services
from gendan.shipping.choices import ShipmentMode, ShipmentStatus
from gendan.shipping.filters import ShipmentFilter
from gendan.shipping.loading_views import load_plan_context
from gendan.shipping.selectors import ready_lines, shipment_list_visible_to

SHIPMENT_COLUMNS = [
    (gettext_lazy("Number"), lambda s: s.number),
    (gettext_lazy("Customer"), lambda s: s.customer.code),
    (gettext_lazy("Mode"), lambda s: s.get_mode_display()),
    (gettext_lazy("Status"), lambda s: s.get_status_display()),
    (gettext_lazy("Shipped on"), lambda s: s.shipped_on),
    (gettext_lazy("Created by"), lambda s: str(s.created_by)),
]


@login_required
@permission_required("shipping.view_shipment", raise_exception=True)
def shipment_list(request):
    context, export = filtered_list(request, shipment_list_visible_to(user=request.user), ShipmentFilter,
                                    columns=SHIPMENT_COLUMNS, filename="shipments")
    return export or render(request, "shipping/shipment_list.html", context)


@login_required
@permission_required("shipping.add_shipment", raise_exception=True)
def shipment_new(request):
    """Choose the customer, then how much of each ready order line goes."""
    ready = order_list_visible_to(user=request.user).filter(status__in=services.READY)
    customers = customer_list_visible_to(user=request.user).filter(pk__in=ready.values("customer"))
    chosen = request.POST.get("customer") or request.GET.get("customer", "")
    customer = customers.filter(pk=chosen).first() if chosen.isdigit() else None
    lines = ready_lines(user=request.user, customer=customer) if customer else []
    errors, entered = {}, {}
    if request.method == "POST" and customer:
        wanted, errors, entered = _quantities(request, lines)
        if not errors:
            try:
                shipment = services.shipment_create(by=request.user, customer=customer, lines=wanted,
                                                    mode=request.POST.get("mode", ""),
                                                    note=request.POST.get("note", ""))
            except ValidationError as error:
                errors = _row_errors(error, wanted)
            else:
                messages.success(request, _("Shipment %(number)s made.") % {"number": shipment.number})
                return redirect("shipping:shipment_detail", pk=shipment.pk)
    return render(request, "shipping/shipment_new.html", {
        "customers": customers, "customer": customer, "lines": lines, "errors": errors, "entered": entered,
        "modes": ShipmentMode.choices, "mode": request.POST.get("mode", ShipmentMode.SEA_FCL),
        "note": request.POST.get("note", "")}, status=400 if errors else 200)


def _quantities(request, lines):
    """[(line, quantity)] for the rows filled in, {line id: message} for rows that are not numbers."""
    wanted, errors, entered = [], {}, {}
    for line in lines:
        text = request.POST.get(f"quantity-{line.pk}", "").strip().replace(",", "")
        if not text:
            continue
        entered[line.pk] = text
        try:
            wanted.append((line, Decimal(text)))
        except InvalidOperation:
            errors[line.pk] = _("Enter a number, e.g. 1200.")
    if not wanted and not errors:
        errors[None] = _("Enter how much of at least one line goes.")
    return wanted, errors, entered


def _row_errors(error: ValidationError, wanted) -> dict:
    """The service's `lines.<i>.quantity` messages keyed by the order line's id, the rest under None."""
    rows = {}
    for key, texts in error.message_dict.items():
        parts = key.split(".")
        line = wanted[int(parts[1])][0] if parts[0] == "lines" and len(parts) > 1 else None
        rows[line.pk if line else None] = " ".join(texts)
    return rows


@login_required
def shipment_detail(request, pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    lines = list(shipment.lines.select_related("order_line__order", "order_line__product"))
    orders = sorted({line.order_line.order for line in lines}, key=lambda order: order.number)
    draft = shipment.status == ShipmentStatus.DRAFT
    return render(request, "shipping/shipment_detail.html", {
        "shipment": shipment, "lines": lines,
        "gates": [(order, may_ship(order)) for order in orders] if draft else [],
        "may_change": draft and request.user.has_perm("shipping.change_shipment"),
        "today": timezone.localdate(), "history": history_of(shipment),
        **load_plan_context(request, shipment, lines)})


def _version(request) -> int:
    text = request.POST.get("version", "")
    if not text.isdigit():
        raise ValidationError({"version": _("The form is missing the shipment's version; reload the page.")})
    return int(text)


@login_required
@require_POST
def shipment_ship(request, pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    try:
        day = request.POST.get("shipped_on", "")
        try:
            shipped_on = date.fromisoformat(day) if day else None
        except ValueError:
            raise ValidationError({"shipped_on": _("Enter a date like 2026-11-30.")}) from None
        services.shipment_ship(shipment=shipment, by=request.user, version=_version(request), shipped_on=shipped_on)
    except (ValidationError, ConcurrentChange, InvalidTransition, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Shipment %(number)s shipped.") % {"number": shipment.number})
    return redirect("shipping:shipment_detail", pk=pk)


@login_required
@require_POST
def shipment_cancel(request, pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    try:
        services.shipment_cancel(shipment=shipment, by=request.user, version=_version(request),
                                 reason=request.POST.get("reason", ""))
    except (ValidationError, ConcurrentChange, InvalidTransition, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Shipment %(number)s cancelled: its goods may go on another.") % {
            "number": shipment.number})
    return redirect("shipping:shipment_detail", pk=pk)
