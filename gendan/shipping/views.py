"""Shipment pages: the list, a new shipment from a customer's ready goods, and a shipment with its lines, the money
gate of each order, and shipping or cancelling it."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import ConcurrentChange, InvalidTransition, error_text
from gendan.core.forms import apply_service_errors
from gendan.core.history import history_of
from gendan.core.listing import filtered_list
from gendan.core.uploads import file_response
from gendan.documents.selectors import shipment_documents_of
from gendan.finance.gates import may_release, may_ship
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping import services
from gendan.shipping.choices import (
    BankAnswer,
    BLStatus,
    BLType,
    ReleaseMethod,
    ShipmentMode,
    ShipmentStatus,
    TrackingStatus,
)
from gendan.shipping.filters import ShipmentFilter
from gendan.shipping.forms import BookingForm, LoadedContainerForm
from gendan.shipping.loading_views import load_plan_context
from gendan.shipping.models import BillOfLading, Booking, LoadingPhoto
from gendan.shipping.notices import notice_rows
from gendan.shipping.selectors import (
    loading_differences,
    order_shipments,
    ready_lines,
    shipment_list_visible_to,
)
from gendan.shipping.services import quantities_on_shipments

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
        "may_book": shipment.status != ShipmentStatus.CANCELLED and request.user.has_perm("shipping.change_shipment"),
        "containers": shipment.containers.annotate(cartons=Sum("lines__cartons")).prefetch_related("photos"),
        "loading": loading_differences(shipment) if shipment.containers.exists() else [],
        "may_load": shipment.status != ShipmentStatus.CANCELLED and request.user.has_perm(
            "shipping.add_loadedcontainer"),
        **_bl_context(request.user, shipment, orders),
        "tracking_events": shipment.tracking_events.select_related("recorded_by"),
        "tracking_statuses": TrackingStatus.choices,
        "may_track": shipment.status == ShipmentStatus.SHIPPED and request.user.has_perm("shipping.change_shipment"),
        "booking": Booking.objects.filter(shipment=shipment).select_related(
            "forwarder", "port_of_loading", "port_of_discharge").first(),
        "today": timezone.localdate(), "history": history_of(shipment),
        "notice_rows": notice_rows(request.user, shipment=shipment) if not draft else [],
        "shipment_documents": shipment_documents_of(shipment=shipment, user=request.user),
        **load_plan_context(request, shipment, lines)})


@login_required
def booking_form(request, pk):
    """Book the shipment with a forwarder, or change its booking (each order's plan follows)."""
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    if not request.user.has_perm("shipping.change_shipment") or shipment.status == ShipmentStatus.CANCELLED:
        raise PermissionDenied
    booking = Booking.objects.filter(shipment=shipment).first()
    form = BookingForm(request.POST or None, initial={
        **(model_to_dict(booking) if booking else {"port_of_loading": _home_port(shipment)}),
        "version": booking.version if booking else 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_save(shipment=shipment, by=request.user, version=form.cleaned_data["version"] or 0,
                                  **form.values())
        except (ValidationError, ConcurrentChange, PermissionDenied) as error:
            apply_service_errors(form, error if isinstance(error, ValidationError) else
                                 ValidationError(error_text(error)))
        else:
            messages.success(request, _("Booking saved: the orders' plans follow its dates."))
            return redirect("shipping:shipment_detail", pk=pk)
    return render(request, "shipping/booking_form.html", {"form": form, "shipment": shipment, "booking": booking},
                  status=400 if form.errors else 200)


def _home_port(shipment):
    """The port of loading of the customer's last booking: usually the same."""
    last = Booking.objects.filter(shipment__customer=shipment.customer).order_by("-updated_at").first()
    return last.port_of_loading_id if last else None


@login_required
@permission_required("shipping.view_shipment", raise_exception=True)
def order_shipments_card(request, order_pk):
    """The order's shipments, loaded into the order page: what went or goes on which, booked how."""
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    lines = list(order.lines.all())
    on_shipments, shipped = quantities_on_shipments(lines), quantities_on_shipments(lines, shipped_only=True)
    ordered = sum((line.quantity for line in lines), Decimal(0))
    return render(request, "shipping/includes/order_shipments.html", {
        "order": order, "shipments": order_shipments(order), "ordered": ordered,
        "shipped": sum(shipped.values(), Decimal(0)),
        "waiting": sum(on_shipments.values(), Decimal(0)) - sum(shipped.values(), Decimal(0)),
        "may_ship": order.status in services.READY and request.user.has_perm("shipping.add_shipment")})


@login_required
def container_new(request, pk):
    """Record a loaded container: its papers, and how many cartons and units of each shipment line went in."""
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    if not request.user.has_perm("shipping.add_loadedcontainer") or shipment.status == ShipmentStatus.CANCELLED:
        raise PermissionDenied
    rows = loading_differences(shipment)
    form = LoadedContainerForm(request.POST or None, request.FILES or None,
                               initial={"loaded_on": timezone.localdate()})
    row_errors, entered = {}, {}
    if request.method == "POST":
        goods, row_errors, entered = _loaded_goods(request, rows)
        if form.is_valid() and not row_errors:
            try:
                container = services.container_load(shipment=shipment, by=request.user, goods=goods,
                                                    **form.cleaned_data)
            except ValidationError as error:
                row_errors = _goods_row_errors(error, goods, form)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Container %(number)s recorded.") % {
                    "number": container.container_number})
                return redirect("shipping:shipment_detail", pk=pk)
    return render(request, "shipping/container_form.html", {
        "shipment": shipment, "form": form, "rows": rows, "row_errors": row_errors, "entered": entered},
        status=400 if form.errors or row_errors else 200)


@login_required
def loading_photo(request, pk, photo_pk):
    """A loading photo, to people who see the shipment (others get a 404)."""
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    photo = get_object_or_404(LoadingPhoto, container__shipment=shipment, pk=photo_pk)
    return file_response(photo.image, filename=photo.image.name.rsplit("/", 1)[-1])


def _loaded_goods(request, rows):
    """[LoadedGoods] for the rows filled in; {shipment line id: message} for entries that are not numbers."""
    goods, errors, entered = [], {}, {}
    for row in rows:
        line = row["line"]
        cartons = request.POST.get(f"cartons-{line.pk}", "").strip()
        quantity = request.POST.get(f"quantity-{line.pk}", "").strip().replace(",", "")
        if not cartons and not quantity:
            continue
        entered[line.pk] = (cartons, quantity)
        try:
            goods.append(services.LoadedGoods(line, int(cartons) if cartons else None,
                                              Decimal(quantity) if quantity else None))
        except (ValueError, InvalidOperation):
            errors[line.pk] = _("Enter whole cartons and a quantity, e.g. 40 and 2000.")
    return goods, errors, entered


def _goods_row_errors(error: ValidationError, goods, form) -> dict:
    """The service's `goods.<i>.…` messages on their shipment line's row; the rest on the form's fields."""
    rows = {}
    for key, texts in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "goods" and len(parts) > 1:
            rows[goods[int(parts[1])].shipment_line.pk] = " ".join(texts)
        elif parts[0] == "goods":
            rows[None] = " ".join(texts)
        else:
            form.add_error(key if key in form.fields else None, texts)
    return rows


def _bl_context(user, shipment, orders) -> dict:
    bl = BillOfLading.objects.filter(shipment=shipment).select_related("released_by").first()
    releasing = bl is not None and bl.status == BLStatus.COPY_SENT
    return {"bl": bl, "bl_types": BLType.choices, "release_methods": ReleaseMethod.choices,
            "may_bl": shipment.status != ShipmentStatus.CANCELLED and user.has_perm("shipping.change_shipment"),
            "may_release": releasing and user.has_perm("shipping.release_documents"),
            "may_answer": bl is not None and bl.release_method == ReleaseMethod.BANK and user.has_perm(
                "shipping.release_documents"),
            "bank_answers": BankAnswer.choices, "late_presentation": bl is not None and services.late_presentation(bl),
            "release_gates": [(order, may_release(order)) for order in orders] if releasing else []}


@login_required
@require_POST
def bl_step(request, pk, step):
    """One step of the shipment's B/L: draft received, draft confirmed, issued, copy sent, released."""
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    bl = BillOfLading.objects.filter(shipment=shipment).first()
    data = request.POST
    try:
        if step == "draft":
            services.bl_draft_received(shipment=shipment, by=request.user, note=data.get("note", ""))
        elif bl is None:
            raise Http404
        elif step == "confirm":
            services.bl_draft_confirm(bl=bl, by=request.user, version=_version(request))
        elif step == "issue":
            services.bl_issue(bl=bl, by=request.user, version=_version(request), number=data.get("number", ""),
                              issued_on=_date(data, "issued_on"), bl_type=data.get("bl_type", ""))
        elif step == "copy":
            services.bl_copy_sent(bl=bl, by=request.user, version=_version(request), on=_date(data, "on"))
        elif step == "release":
            services.bl_release(bl=bl, by=request.user, version=_version(request), on=_date(data, "on"), **{
                name: data.get(name, "") for name in ("method", "released_to", "verification", "courier",
                                                      "tracking_number", "lc_number")})
        elif step == "bank":
            services.bl_bank_answer(bl=bl, by=request.user, version=_version(request), answer=data.get("answer", ""),
                                    on=_date(data, "on"), discrepancies=data.get("discrepancies", ""),
                                    maturity_on=_date(data, "maturity_on"))
        else:
            raise Http404
    except (ValidationError, ConcurrentChange, InvalidTransition, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("B/L updated."))
    return redirect(f"{shipment.get_absolute_url()}#bl")


@login_required
@require_POST
def tracking_record(request, pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    try:
        services.tracking_record(shipment=shipment, by=request.user, status=request.POST.get("status", ""),
                                 happened_on=_date(request.POST, "happened_on"),
                                 place=request.POST.get("place", ""), note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Recorded: the orders' plans follow."))
    return redirect(f"{shipment.get_absolute_url()}#tracking-events")


def _date(data, name: str) -> date | None:
    text = data.get(name, "")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError({name: _("Enter a date like 2026-11-30.")}) from None


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
        services.shipment_ship(shipment=shipment, by=request.user, version=_version(request),
                               shipped_on=_date(request.POST, "shipped_on"))
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
