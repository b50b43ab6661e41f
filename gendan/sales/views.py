from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from gendan.core.errors import ConcurrentChange, InvalidTransition, error_text
from gendan.core.forms import apply_service_errors
from gendan.core.history import shown
from gendan.core.listing import filtered_list
from gendan.core.trade import Unit
from gendan.parties.models import PaymentTerm
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales import services
from gendan.sales.filters import OrderFilter
from gendan.sales.forms import AttachmentForm, LineForm, OrderForm, ReasonForm
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.selectors import (
    customers_for_new_order,
    order_change_log,
    order_editable_by,
    order_list_visible_to,
)
from gendan.sales.services import order_defaults

RECENT_ORDERS = 20  # on a customer's page
ORDER_COLUMNS = [
    (gettext_lazy("Order no."), lambda o: o.number),
    (gettext_lazy("Status"), lambda o: o.get_status_display()),
    (gettext_lazy("Customer"), lambda o: o.customer.code),
    (gettext_lazy("Customer name"), lambda o: o.customer.name_en),
    (gettext_lazy("Customer PO no."), lambda o: o.customer_po),
    (gettext_lazy("Order date"), lambda o: o.order_date),
    (gettext_lazy("Requested ex-factory"), lambda o: o.requested_ex_factory),
    (gettext_lazy("Confirmed ex-factory"), lambda o: o.confirmed_ex_factory),
    (gettext_lazy("Incoterm"), lambda o: o.incoterm_display),
    (gettext_lazy("Currency"), lambda o: o.currency),
    (gettext_lazy("Total"), lambda o: o.total_amount),
    (gettext_lazy("Cartons"), lambda o: o.total_cartons),
    (gettext_lazy("CBM"), lambda o: o.total_cbm),
    (gettext_lazy("Salesperson"), lambda o: str(o.salesperson)),
    (gettext_lazy("Merchandiser"), lambda o: str(o.merchandiser or "")),
    (gettext_lazy("Revision"), lambda o: o.revision),
]
TRANSITION_LABELS = {
    "submit": (gettext_lazy("Submit for review"), "btn-primary", "ti-send"),
    "return_to_draft": (gettext_lazy("Return to draft"), "btn-outline-warning", "ti-arrow-back-up"),
    "confirm": (gettext_lazy("Confirm order"), "btn-success", "ti-circle-check"),
    "start_production": (gettext_lazy("Start production"), "btn-primary", "ti-building-factory"),
    "mark_ready": (pgettext_lazy("order action", "Ready to ship"), "btn-primary", "ti-package"),
    "ship_partially": (pgettext_lazy("order action", "Partially shipped"), "btn-outline-primary", "ti-truck"),
    "ship": (pgettext_lazy("order action", "Shipped"), "btn-primary", "ti-ship"),
    "complete": (gettext_lazy("Complete"), "btn-success", "ti-flag-check"),
    "cancel": (gettext_lazy("Cancel order"), "btn-outline-danger", "ti-x"),
}


@login_required
def order_list(request):
    if not request.user.has_perm("sales.view_salesorder"):
        raise PermissionDenied
    orders = order_list_visible_to(user=request.user)
    context, export = filtered_list(request, orders, OrderFilter, columns=ORDER_COLUMNS, filename="orders")
    return export or render(request, "sales/order_list.html", context)


@login_required
def customer_orders(request, customer_pk):
    """A customer's recent orders, for the customer's page (which loads them from here: orders are sales')."""
    if not request.user.has_perm("sales.view_salesorder"):
        raise PermissionDenied
    customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=customer_pk)
    orders = order_list_visible_to(user=request.user).filter(customer=customer).order_by("-order_date", "-pk")
    return render(request, "sales/includes/customer_orders.html", {
        "customer": customer, "orders": orders[:RECENT_ORDERS]})


def _visible_order(request, pk):
    return get_object_or_404(order_list_visible_to(user=request.user), pk=pk)


@login_required
def order_detail(request, pk):
    order = _visible_order(request, pk)
    return render(request, "sales/order_detail.html", _detail_context(request, order))


def _row_context(order) -> dict:
    """What every line row needs, worked out once per page rather than once per row."""
    return {
        "url": reverse("sales:line_row", args=[order.pk, 0]).removesuffix("0/"),
        "edit": _("Edit"), "remove": _("Remove"), "confirm_remove": _("Remove this line?"),
        "customer_item": _("Customer item no."),
        "units": {value: str(label) for value, label in Unit.choices},  # get_unit_display rebuilt this per line
    }


def _detail_context(request, order, **extra) -> dict:
    lines = order.lines.select_related("product").order_by("position")
    editable = order.is_editable and order_editable_by(user=request.user, order=order)
    available = services.transitions_available(order=order, user=request.user)
    return {
        "order": order,
        "lines": lines,
        "row": _row_context(order),
        "can_edit": editable,
        # departments see the order, not the customer's file: no link that answers 404
        "customer_visible": customer_list_visible_to(user=request.user).filter(pk=order.customer_id).exists(),
        "line_form": LineForm() if editable else None,
        "transitions": [(name, *TRANSITION_LABELS[name]) for name in available],
        "needs_reason": services.NEEDS_REASON,
        "revisions": order.revisions.select_related("created_by"),
        "events": order.events.select_related("by")[:30],
        "attachments": order.attachments.select_related("uploaded_by"),
        "attachment_form": AttachmentForm() if editable else None,
        "history": order_change_log(order),
        **extra,
    }


@login_required
def order_create(request):
    if not request.user.has_perm("sales.add_salesorder"):
        raise PermissionDenied
    customers = customers_for_new_order(user=request.user)
    initial = _initial_from_customer(customers.filter(pk=request.GET.get("customer")).first())
    form = OrderForm(request.POST or None, customers=customers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(by=request.user, customer=form.cleaned_data["customer"],
                                          **form.header_changes())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Order %(number)s created. Now add its lines.") % {"number": order.number})
            return redirect(order)
    partial = "#header-form" if request.htmx and request.method == "GET" else ""
    return render(request, f"sales/order_form.html{partial}", {"form": form, "payment_terms": _payment_terms()})


def _payment_terms() -> dict:
    """What each payment term brings to the order form (order_form.js fills the figures in)."""
    return {term.pk: {"deposit_percent": str(term.deposit_percent), "balance_condition": term.balance_condition,
                      "balance_days": term.balance_days} for term in PaymentTerm.objects.all()}


def _initial_from_customer(customer) -> dict:
    initial = {"order_date": timezone.localdate()}
    if customer is None:
        return initial
    return initial | {"customer": customer.pk} | {
        name.removesuffix("_id"): value for name, value in order_defaults(customer).items()}


@login_required
def order_edit(request, pk):
    order = _visible_order(request, pk)
    if not order_editable_by(user=request.user, order=order):
        raise PermissionDenied
    form = OrderForm(request.POST or None, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_update(order=order, by=request.user, version=_version(request),
                                  reason=form.cleaned_data.get("reason", ""), **form.header_changes())
        except ConcurrentChange as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Order %(number)s saved.") % {"number": order.number})
            return redirect(order)
    # A refused form keeps the version it was shown, so saving it again cannot overwrite a newer order.
    version = request.POST.get("version", "") if request.method == "POST" else order.version
    return render(request, "sales/order_form.html", {"form": form, "order": order, "version": version,
                                                     "payment_terms": _payment_terms()})


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError as error:
        raise ValidationError({"version": _("The form is missing the order's version; reload the page.")}) from error


# ---------------------------------------------------------------- lines (htmx: one row at a time)


@login_required
@require_POST
def line_add(request, pk):
    order = _visible_order(request, pk)
    form = LineForm(request.POST)
    if form.is_valid():
        data = form.values()
        try:
            services.order_line_add(order=order, by=request.user, version=_version(request),
                                    reason=form.cleaned_data["reason"], line=services.LineInput(**data))
        except (ValidationError, ConcurrentChange, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Line added."))
            return redirect(order)
    order.refresh_from_db()
    return render(request, "sales/order_detail.html", _detail_context(request, order, line_form=form), status=400)


@login_required
def line_edit(request, pk, line_pk):
    order = _visible_order(request, pk)
    line = get_object_or_404(order.lines.select_related("product"), pk=line_pk)
    if not (order.is_editable and order_editable_by(user=request.user, order=order)):
        raise PermissionDenied
    form = LineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        changes = form.values()
        fresh = SalesOrderLine.objects.select_related("product").get(pk=line.pk)  # the form changed `line`
        try:
            services.order_line_update(order=order, line=fresh, by=request.user, version=_version(request),
                                       reason=form.cleaned_data["reason"], **changes)
        except (ValidationError, ConcurrentChange) as error:
            _form_error(form, error)
        else:
            if request.htmx:
                order.refresh_from_db()
                return render(request, "sales/order_detail.html#line-saved",
                              {"order": order, "line": fresh, "can_edit": True, "row": _row_context(order)})
            messages.success(request, _("Line %(position)s saved.") % {"position": line.position})
            return redirect(order)
    return render(request, "sales/order_detail.html#line-edit", {"order": order, "line": line, "form": form})


@login_required
def line_row(request, pk, line_pk):
    """The read-only row again (after 'cancel' on an inline edit)."""
    order = _visible_order(request, pk)
    line = get_object_or_404(order.lines.select_related("product"), pk=line_pk)
    can_edit = order.is_editable and order_editable_by(user=request.user, order=order)
    return render(request, "sales/order_detail.html#line-row",
                  {"order": order, "line": line, "can_edit": can_edit, "row": _row_context(order)})


@login_required
@require_POST
def line_delete(request, pk, line_pk):
    order = _visible_order(request, pk)
    line = get_object_or_404(order.lines.select_related("product"), pk=line_pk)
    try:
        services.order_line_delete(order=order, line=line, by=request.user, version=_version(request),
                                   reason=request.POST.get("reason", ""))
    except (ValidationError, ConcurrentChange) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Line %(position)s removed.") % {"position": line.position})
    if request.htmx:
        return HttpResponseClientRedirect(order.get_absolute_url())
    return redirect(order)


def _form_error(form, error) -> None:
    if isinstance(error, ValidationError):
        apply_service_errors(form, error)
    else:
        form.add_error(None, str(error))


# ---------------------------------------------------------------- transitions and attachments


@login_required
@require_POST
def order_transition(request, pk, name):
    order = _visible_order(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.order_apply_transition(order=order, name=name, by=request.user,
                                        reason=form.cleaned_data.get("reason", ""))
    except (ValidationError, InvalidTransition, ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Order %(number)s is now “%(status)s”.")
                         % {"number": order.number, "status": order.get_status_display()})
    return redirect(order)


@login_required
@require_POST
def order_copy(request, pk):
    """Copy as a new order: the draft opens, ready for its PO number, dates and changes."""
    order = _visible_order(request, pk)
    if not request.user.has_perm("sales.add_salesorder"):
        raise PermissionDenied
    try:
        copy = services.order_copy(order=order, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(order)
    left_out = order.lines.count() - copy.lines.count()
    messages.success(request, _("Order %(number)s is a copy of %(original)s: enter the customer's PO number and the "
                                "dates, and change what changed.") % {"number": copy.number, "original": order.number})
    if left_out:
        messages.warning(request, ngettext("%(n)s line was left out: its product is no longer sold.",
                                           "%(n)s lines were left out: their products are no longer sold.",
                                           left_out) % {"n": left_out})
    return redirect(copy)


@login_required
@require_POST
def attachment_add(request, pk):
    order = _visible_order(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.order_attachment_add(order=order, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You cannot change this order."))
        else:
            messages.success(request, _("File attached."))
    if form.errors:  # each message names the field it is about
        messages.error(request, " ".join(f"{form[name].label}: {e}" if name in form.fields else str(e)
                                         for name, errors in form.errors.items() for e in errors))
    return redirect(order)


@login_required
def revision_detail(request, pk, number):
    order = _visible_order(request, pk)
    revision = get_object_or_404(order.revisions.select_related("created_by"), number=number)
    changes = [
        (change.get("line"), _field_label(model, change["field"]),
         _readable(model, change["field"], change["old"]), _readable(model, change["field"], change["new"]))
        for change in revision.changes
        for model in [SalesOrderLine if change.get("line") else SalesOrder]
    ]
    snapshot = revision.snapshot
    header = [(_field_label(SalesOrder, name), _readable(SalesOrder, name, value))
              for name, value in snapshot["header"].items() if name != "total_amount"]
    lines = [{**line, "unit": _readable(SalesOrderLine, "unit", line["unit"])} for line in snapshot["lines"]]
    return render(request, "sales/revision_detail.html", {
        "order": order, "revision": revision, "changes": changes, "header": header, "lines": lines,
        "currency": snapshot["header"].get("currency", order.currency),
        "total_amount": snapshot["header"].get("total_amount"),
    })


def _field_label(model, name: str) -> str:
    if not name:
        return _("line")
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


QUANTITY_FIELDS = {"quantity", "unit_price", "deposit_percent"}  # shown without trailing zeros


def _readable(model, name: str, value):
    """A value as a revision stored it (JSON: decimals and dates as text, people and terms by name) as a person
    reads it: choice labels, yes/no, grouped digits."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.is_relation or value in (None, ""):
        return value  # a revision keeps the related record's name, not its id
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float):
        if name in QUANTITY_FIELDS:
            return format(Decimal(str(value)).normalize(), ",f")
        value = Decimal(str(value))
    elif isinstance(field, models.DateField) and isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return shown(model, name, value)


