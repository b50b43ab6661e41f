"""Commodity inspections (商检) and certificates of origin (产地证) of a shipment, each operation one transaction.

A record names its kind, number, issuer and issue date (the scan is optional); an inspection also its date and
result. A certificate of origin completes the `certificate_of_origin` milestone of every order on the shipment,
a passed inspection `commodity_inspection`, on the issue date; a failed one completes nothing. Every change is
logged on each order's activities and in the record's history."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.concurrency import take_version
from gendan.core.errors import ConcurrentChange
from gendan.core.permissions import require_perm
from gendan.core.records import field_errors, save_record
from gendan.core.uploads import check_upload
from gendan.followup.choices import ActivityKind
from gendan.followup.services import activity_add, plan_record_done, plan_record_undone
from gendan.shipping.choices import CERTIFICATES_OF_ORIGIN, CertificateKind, InspectionResult, ShipmentStatus
from gendan.shipping.models import Certificate, Shipment
from gendan.shipping.services import _require_visible, shipment_orders

FIELDS = ("kind", "form_name", "number", "issuer", "issued_on", "inspected_on", "result", "note")
FILE_TYPES = ["pdf", "jpg", "jpeg", "png"]
MAX_FILE_MB = 10


@transaction.atomic
def certificate_add(*, shipment: Shipment, by, today: date | None = None, **fields) -> Certificate:
    """Record an inspection or a certificate of origin on the shipment. `fields`: those in FIELDS, and `file`."""
    require_perm(by, "shipping.change_shipment")
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    _require_visible(by, shipment)
    certificate = Certificate(shipment=shipment, created_by=by, version=1)
    _apply(certificate, fields, today or timezone.localdate())
    save_record(certificate, by=by)
    _follow(certificate, by, _("%(certificate)s recorded (%(shipment)s)"))
    return certificate


@transaction.atomic
def certificate_update(*, certificate: Certificate, by, version: int, today: date | None = None,
                       **fields) -> Certificate:
    """Correct a record; `version` is the one the user saw. A `file` replaces the scan, `file=False` removes it."""
    require_perm(by, "shipping.change_shipment")
    certificate = Certificate.objects.select_for_update().select_related("shipment").get(pk=certificate.pk)
    _require_visible(by, certificate.shipment)
    if certificate.version != version:  # told before the rules: the user is looking at an old record
        raise ConcurrentChange(certificate)
    proved = _milestone_of(certificate)
    _apply(certificate, fields, today or timezone.localdate())
    take_version(certificate, version)
    save_record(certificate, by=by)
    _follow(certificate, by, _("%(certificate)s corrected (%(shipment)s)"))
    if proved and proved != _milestone_of(certificate):
        _unprove(certificate, proved, by)
    return certificate


@transaction.atomic
def certificate_remove(*, certificate: Certificate, by, version: int) -> None:
    """Remove a record entered by mistake; its history keeps it. The milestone it completed opens again on
    each order no other record proves it for."""
    require_perm(by, "shipping.change_shipment")
    certificate = Certificate.objects.select_for_update().select_related("shipment").get(pk=certificate.pk)
    _require_visible(by, certificate.shipment)
    _require_open(certificate.shipment)
    if certificate.version != version:
        raise ConcurrentChange(certificate)
    summary = _("%(certificate)s removed (%(shipment)s)") % {"certificate": certificate,
                                                              "shipment": certificate.shipment.number}
    for order in shipment_orders(certificate.shipment):
        activity_add(order=order, by=by, kind=ActivityKind.NOTE, summary=summary[:200])
    certificate._history_user = by
    proved = _milestone_of(certificate)
    certificate.delete()  # the scan stays in storage: the history row still names it
    if proved:
        _unprove(certificate, proved, by)


def _require_open(shipment: Shipment) -> None:
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ValidationError({"shipment": _("The shipment is cancelled.")})


def _apply(certificate: Certificate, fields: dict, today: date) -> None:
    """Set the given fields and check every rule at once: each error names its field, nothing is saved."""
    _require_open(certificate.shipment)
    for name in FIELDS:
        if name in fields:
            value = fields[name]
            setattr(certificate, name, value.strip() if isinstance(value, str) else value)
    if certificate.kind != CertificateKind.INSPECTION:
        certificate.result, certificate.inspected_on = "", None
    if certificate.kind != CertificateKind.OTHER:
        certificate.form_name = ""
    errors = field_errors(certificate, ("form_name", "number", "issuer", "result", "note"))
    if certificate.kind not in CertificateKind.values:
        errors["kind"] = [_("Choose what the record is: an inspection or which certificate of origin.")]
    elif certificate.kind == CertificateKind.OTHER and not certificate.form_name:
        errors["form_name"] = [_("Name the preferential form, e.g. China–Australia FTA.")]
    if not certificate.number:
        errors["number"] = [_("Enter the number printed on the certificate.")]
    elif other := Certificate.objects.filter(kind=certificate.kind, number=certificate.number).exclude(
            pk=certificate.pk).select_related("shipment").first():
        errors["number"] = [_("%(certificate)s is already recorded on %(shipment)s: a certificate number is used "
                              "once.") % {"certificate": other, "shipment": other.shipment.number}]
    if not certificate.issuer:
        errors["issuer"] = [_("Enter who issued it, e.g. the CCPIT branch or the customs office.")]
    _check_dates(certificate, today, errors)
    if certificate.kind == CertificateKind.INSPECTION and certificate.result not in InspectionResult.values:
        errors["result"] = [_("Choose the inspection's result: passed or failed.")]
    if upload := fields.get("file"):
        try:
            _check_file(upload)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if "file" in fields and fields["file"] is not None:
        certificate.file = fields["file"] or ""  # False (cleared): no scan any more


def _check_dates(certificate: Certificate, today: date, errors: dict) -> None:
    if certificate.issued_on is None:
        errors["issued_on"] = [_("Enter the date of issue.")]
    elif certificate.issued_on > today:
        errors["issued_on"] = [_("A certificate cannot be issued in the future.")]
    if certificate.kind != CertificateKind.INSPECTION:
        return
    if certificate.inspected_on is None:
        errors["inspected_on"] = [_("Enter the day the goods were inspected.")]
    elif certificate.inspected_on > today:
        errors["inspected_on"] = [_("The goods cannot have been inspected in the future.")]
    elif certificate.issued_on and certificate.inspected_on > certificate.issued_on:
        errors["inspected_on"] = [_("The inspection comes before its certificate is issued.")]


def _check_file(upload) -> None:
    """A PDF or an image, its content what its name says, at most 10 MB."""
    if upload.size > MAX_FILE_MB * 1024 * 1024:
        raise ValidationError({"file": _("The file is %(size)s MB; at most %(max)s MB can be uploaded.") % {
            "size": f"{upload.size / 1024 / 1024:.1f}", "max": MAX_FILE_MB}})
    check_upload(upload, field="file", extensions=FILE_TYPES)


def _milestone_of(certificate: Certificate) -> str | None:
    """The milestone the record proves done: a certificate of origin its own, a passed inspection its own."""
    return ("certificate_of_origin" if certificate.is_origin else
            "commodity_inspection" if certificate.result == InspectionResult.PASSED else None)


def _unprove(certificate: Certificate, code: str, by) -> None:
    """`certificate` no longer proves `code`: reopen it on each of the shipment's orders that no other record
    (of any of the order's shipments) proves it for."""
    proving = Certificate.objects.exclude(pk=certificate.pk).filter(
        kind__in=CERTIFICATES_OF_ORIGIN) if code == "certificate_of_origin" else Certificate.objects.exclude(
        pk=certificate.pk).filter(kind=CertificateKind.INSPECTION, result=InspectionResult.PASSED)
    reason = _("%(certificate)s removed or corrected: it no longer proves this step.") % {
        "certificate": certificate}
    for order in shipment_orders(certificate.shipment):
        if not proving.filter(shipment__lines__order_line__order=order).exists():
            plan_record_undone(order=order, code=code, by=by, reason=reason)


def _follow(certificate: Certificate, by, summary: str) -> None:
    """The orders' plans and activities follow the record."""
    code = _milestone_of(certificate)
    text = (summary % {"certificate": certificate, "shipment": certificate.shipment.number})[:200]
    details = " · ".join(part for part in (certificate.issuer, str(certificate.issued_on),
                                           certificate.get_result_display(), certificate.note) if part)
    for order in shipment_orders(certificate.shipment):
        if code:
            plan_record_done(order=order, code=code, by=by, on=certificate.issued_on)
        activity_add(order=order, by=by, kind=ActivityKind.NOTE, summary=text, details=details)
