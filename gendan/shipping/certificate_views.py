"""A shipment's inspections and certificates of origin: the card on the shipment's page, the form that records or
corrects one, its removal, and its scan sent to people who see the shipment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import ConcurrentChange, error_text
from gendan.core.forms import apply_service_errors
from gendan.core.uploads import file_response
from gendan.sales.models import SalesOrder
from gendan.shipping import certificates as services
from gendan.shipping.certificate_forms import CertificateForm
from gendan.shipping.choices import CertificateKind, InspectionResult, ShipmentStatus
from gendan.shipping.models import Certificate, Shipment
from gendan.shipping.selectors import shipment_list_visible_to


def may_certify(user, shipment: Shipment) -> bool:
    return shipment.status != ShipmentStatus.CANCELLED and user.has_perm("shipping.change_shipment")


def certificates_card_context(user, shipment: Shipment) -> dict:
    """What the card needs: the records, who may add, and the orders still waiting for an inspection or a C/O."""
    records = list(shipment.certificates.all())
    orders = list(SalesOrder.objects.filter(lines__shipment_lines__shipment=shipment).distinct().order_by("number"))
    inspected = any(r.kind == CertificateKind.INSPECTION and r.result == InspectionResult.PASSED for r in records)
    with_origin = any(r.is_origin for r in records)
    return {
        "certificates": records, "may_certify": may_certify(user, shipment),
        "inspection_needed": [] if inspected else [o.number for o in orders if o.needs_commodity_inspection],
        "origin_needed": [] if with_origin else [o.number for o in orders if o.needs_certificate_of_origin],
    }


def _visible_certificate(request, pk) -> Certificate:
    return get_object_or_404(Certificate.objects.select_related("shipment"), pk=pk,
                             shipment__in=shipment_list_visible_to(user=request.user))


def _back(shipment: Shipment):
    return redirect(f"{shipment.get_absolute_url()}#certificates")


@login_required
def certificate_new(request, pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    if not may_certify(request.user, shipment):
        raise PermissionDenied
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_add(shipment=shipment, by=request.user, **form.values())
        except (ValidationError, PermissionDenied) as error:
            apply_service_errors(form, error if isinstance(error, ValidationError) else
                                 ValidationError(error_text(error)))
        else:
            messages.success(request, _("%(certificate)s recorded.") % {"certificate": certificate})
            return _back(shipment)
    return render(request, "shipping/certificate_form.html", {"form": form, "shipment": shipment},
                  status=400 if form.errors else 200)


@login_required
def certificate_edit(request, pk):
    certificate = _visible_certificate(request, pk)
    shipment = certificate.shipment
    if not may_certify(request.user, shipment):
        raise PermissionDenied
    form = CertificateForm(request.POST or None, request.FILES or None, editing=True, initial={
        **{name: getattr(certificate, name) for name in services.FIELDS}, "version": certificate.version})
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_update(certificate=certificate, by=request.user,
                                                      version=form.cleaned_data["version"] or 0,
                                                      **form.values())
        except (ValidationError, ConcurrentChange, PermissionDenied) as error:
            apply_service_errors(form, error if isinstance(error, ValidationError) else
                                 ValidationError(error_text(error)))
        else:
            messages.success(request, _("%(certificate)s corrected.") % {"certificate": certificate})
            return _back(shipment)
    return render(request, "shipping/certificate_form.html", {
        "form": form, "shipment": shipment, "certificate": certificate}, status=400 if form.errors else 200)


@login_required
@require_POST
def certificate_remove(request, pk):
    certificate = _visible_certificate(request, pk)
    shipment = certificate.shipment
    if not may_certify(request.user, shipment):
        raise PermissionDenied
    version = request.POST.get("version", "")
    try:
        services.certificate_remove(certificate=certificate, by=request.user,
                                    version=int(version) if version.isdigit() else -1)
    except (ValidationError, ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(certificate)s removed.") % {"certificate": certificate})
    return _back(shipment)


@login_required
def certificate_file(request, pk):
    """The scan, to people who see the shipment (others get a 404)."""
    certificate = _visible_certificate(request, pk)
    if not certificate.file:
        raise Http404
    return file_response(certificate.file, filename=certificate.file.name.rsplit("/", 1)[-1])
