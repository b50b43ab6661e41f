"""Key-step notices to the customer: the card on the order and shipment pages, drafting one with a click, and the
notice page where it is edited, then emailed or recorded as sent another way."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import ConcurrentChange, error_text
from gendan.core.forms import apply_service_errors
from gendan.core.history import history_of
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping import notices as services
from gendan.shipping.choices import NoticeStatus
from gendan.shipping.forms import CustomerNoticeForm
from gendan.shipping.models import CustomerNotice
from gendan.shipping.selectors import shipment_list_visible_to


@login_required
def order_notices_card(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    return render(request, "shipping/includes/notices_card.html", {
        "order": order, "rows": services.notice_rows(request.user, order=order),
        "shipment_notices": services.notices_of_order(order).filter(shipment__isnull=False)})


@login_required
@require_POST
def notice_draft(request):
    """One click: the step's notice drafted from the order or shipment (or its open draft), ready to edit."""
    node = request.POST.get("node", "")
    order = shipment = None
    if request.POST.get("order", "").isdigit():
        order = get_object_or_404(order_list_visible_to(user=request.user), pk=request.POST["order"])
    elif request.POST.get("shipment", "").isdigit():
        shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=request.POST["shipment"])
    else:
        raise PermissionDenied
    try:
        notice = services.notice_draft(by=request.user, node=node, order=order, shipment=shipment)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect((order or shipment).get_absolute_url())
    return redirect(notice)


def _visible_notice(request, pk) -> CustomerNotice:
    orders = order_list_visible_to(user=request.user)
    shipments = shipment_list_visible_to(user=request.user)
    notice = get_object_or_404(CustomerNotice.objects.select_related("customer", "order", "shipment"), pk=pk)
    if notice.order_id and not orders.filter(pk=notice.order_id).exists():
        raise Http404
    if notice.shipment_id and not shipments.filter(pk=notice.shipment_id).exists():
        raise Http404
    return notice


@login_required
def notice(request, pk):
    """Whoever sees the order or shipment reads the notice; those who write to the customer edit and send it."""
    notice = _visible_notice(request, pk)
    orders = services.orders_of(notice)
    may_edit = notice.status == NoticeStatus.DRAFT and services.may_write(request.user, orders)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = CustomerNoticeForm(request.POST or None, initial={
        "recipients": notice.recipients, "subject": notice.subject, "body": notice.body, "version": notice.version})
    if request.method == "POST" and form.is_valid():
        try:
            _act(request, notice, form.cleaned_data)
            return redirect(notice)
        except (ValidationError, ConcurrentChange) as error:
            apply_service_errors(form, error if isinstance(error, ValidationError) else
                                 ValidationError(error_text(error)))
        except OSError as error:  # the mail server did not answer: the draft stays a draft
            messages.error(request, _("The mail server refused or did not answer: %(error)s") % {"error": error})
    return render(request, "shipping/notice.html", {
        "notice": notice, "form": form, "orders": orders, "may_edit": may_edit,
        "documents": notice.documents.all(), "history": history_of(notice, limit=10)},
        status=400 if form.errors else 200)


def _act(request, notice: CustomerNotice, data: dict) -> None:
    services.notice_update(notice=notice, by=request.user, version=data["version"], recipients=data["recipients"],
                           subject=data["subject"], body=data["body"])
    action = request.POST.get("action")
    if action == "send":
        services.notice_send(notice=notice, by=request.user)
        messages.success(request, _("The notice was emailed and logged on the orders."))
    elif action == "record":
        services.notice_record(notice=notice, by=request.user)
        messages.success(request, _("Recorded as sent; logged on the orders."))
    else:
        messages.success(request, _("Draft saved."))
