"""The customer's tracking page (no login), the order page's card that issues and revokes its link, and the
import of the forwarder's tracking sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import error_text
from gendan.core.selectors import company_profile
from gendan.core.views import import_page, import_template
from gendan.followup.selectors import may_notify_customer
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping import tracking
from gendan.shipping.imports import TrackingImporter
from gendan.shipping.models import TrackingLink


def tracking_page(request, token):
    """What the customer sees, in the customer's document language, with nothing to click that changes anything."""
    link = tracking.link_for_token(token)
    if link is None:
        raise Http404
    order, company = link.order, company_profile()
    language = order.customer.document_language
    with translation.override(language):
        response = render(request, "shipping/tracking_page.html", {
            **tracking.customer_view(order, language=language, prices=company.tracking_shows_prices),
            "company": company, "expires_on": link.expires_on})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def tracking_card(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    link = TrackingLink.objects.filter(order=order, revoked_at__isnull=True,
                                       expires_on__gte=timezone.localdate()).first()
    url = request.build_absolute_uri(reverse("tracking_page", args=[tracking.token_of(link)])) if link else ""
    return render(request, "shipping/includes/tracking_card.html", {
        "order": order, "link": link, "url": url, "may_issue": may_notify_customer(request.user, order)})


@login_required
@require_POST
def tracking_issue(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    try:
        days = int(request.POST.get("days") or 90)
        tracking.tracking_link_issue(order=order, by=request.user, days=days)
    except ValueError:
        messages.error(request, _("Enter the number of days the link lasts."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("A new tracking link is ready: any earlier one no longer works."))
    return redirect(f"{order.get_absolute_url()}#tracking")


@login_required
@require_POST
def tracking_revoke(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    try:
        tracking.tracking_link_revoke(order=order, by=request.user)
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The tracking link no longer works."))
    return redirect(f"{order.get_absolute_url()}#tracking")


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
def tracking_import(request):
    """The forwarder's tracking sheet: checked row by row, then recorded all together or not at all."""
    return import_page(request, TrackingImporter(user=request.user), title=_("Import the forwarder's tracking"),
                       template_url="shipping:tracking_import_template", success_url="shipping:shipment_list",
                       intro=_("Upload the forwarder's .xlsx: one row per event with the booking, B/L or container "
                               "number, what happened (departed, transhipped, arrived, delivered — or ATD, T/S, ATA, "
                               "POD, 已开船, 到港 …), the date and the place. Other columns are left unread. Every "
                               "row is checked first and nothing is recorded until the whole file is right; events "
                               "already recorded are left as they are."))


@login_required
@permission_required("shipping.change_shipment", raise_exception=True)
def tracking_import_template(request):
    return import_template(TrackingImporter(user=request.user), "tracking")
