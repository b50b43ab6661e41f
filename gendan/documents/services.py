"""Making and sending documents. `document_generate` renders a document for its subject (an order, or a
customer's statement); if the content differs from the latest version of its series it stores version n+1
under the same number (the first version takes a number from the shared numbering service), otherwise it
returns the latest unchanged. `document_send` mails a version and logs it on the order's activity log."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core.numbering import next_number
from gendan.core.permissions import require_perm
from gendan.documents import render, sales_documents, shipping_documents, statements
from gendan.documents.choices import DocumentKind, Response
from gendan.documents.models import Document, archive_path
from gendan.finance.statements import statement_of
from gendan.followup.choices import ActivityKind
from gendan.followup.services import activity_add, validate_email_address
from gendan.sales.choices import OrderStatus
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping.choices import ShipmentStatus

PREFIX = {DocumentKind.PROFORMA_INVOICE: "PI", DocumentKind.SALES_CONTRACT: "SC", DocumentKind.STATEMENT: "ST",
          DocumentKind.COMMERCIAL_INVOICE: "CI", DocumentKind.PACKING_LIST: "PL", DocumentKind.SHIPPING_MARKS: "SM",
          DocumentKind.SHIPPING_NOTICE: "SN"}
VERSION_MARK = "@@version@@"
SALES_DOCUMENTS = (DocumentKind.PROFORMA_INVOICE, DocumentKind.SALES_CONTRACT)
SHIPMENT_DOCUMENTS = (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST, DocumentKind.SHIPPING_MARKS,
                      DocumentKind.SHIPPING_NOTICE)
SHIPMENT_TEMPLATES = {DocumentKind.COMMERCIAL_INVOICE: "documents/commercial_invoice.html",
                      DocumentKind.PACKING_LIST: "documents/packing_list.html",
                      DocumentKind.SHIPPING_MARKS: "documents/shipping_marks.html",
                      DocumentKind.SHIPPING_NOTICE: "documents/shipping_notice.html"}
WAREHOUSE_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Draft:
    """A document's content before it is numbered: what to render, and what the listing shows of it."""

    template: str
    context: dict
    total: object = None
    currency: str = ""
    xlsx: bytes | None = None


def sales_document_generate(*, kind: str, order, by, language: str = "") -> tuple[Document, bool]:
    """The PI or sales contract of an order, in the customer's document language unless another is asked."""
    require_perm(by, "documents.add_document")
    if kind not in SALES_DOCUMENTS:
        raise ValidationError({"kind": _("Choose a proforma invoice or a sales contract.")})
    if not order_list_visible_to(user=by).filter(pk=order.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))
    if order.status == OrderStatus.CANCELLED:
        raise ValidationError({"status": _("The order is cancelled: it gets no more documents.")})
    if not order.lines.exists():
        raise ValidationError({"lines": _("The order has no lines to print.")})
    bank = sales_documents.bank_for(order.currency)
    if bank is None:
        raise ValidationError({"bank_account": _(
            "There is no bank account in %(currency)s to print for payment: finance adds one on the bank "
            "accounts page.") % {"currency": order.currency}})
    language = language or order.customer.document_language

    def draft() -> Draft:
        context = sales_documents.context(kind, order, language, settings.GENDAN_DEPOSIT_DUE_DAYS, bank)
        return Draft("documents/sales_document.html", context, order.total_amount, order.currency)

    series = Document.objects.filter(kind=kind, order=order)
    return _issue(series, Document(kind=kind, order=order, customer=order.customer, language=language),
                  draft, by)


def shipment_document_generate(*, kind: str, shipment, by, language: str = "") -> tuple[Document, bool]:
    """A shipment's commercial invoice, packing list or marks sheet (PDF, and XLSX for the invoice and the
    list) in the customer's document language unless another is asked; the notice to the warehouse
    (出货通知) is always in Chinese. One series per kind and shipment."""
    require_perm(by, "documents.add_document")
    require_perm(by, "shipping.change_shipment")  # shipment papers are shipping's work, not finance's
    if kind not in SHIPMENT_DOCUMENTS:
        raise ValidationError({"kind": _("Choose a commercial invoice, packing list, shipping marks or the "
                                         "shipping notice.")})
    loaded = shipping_documents.loaded_rows(shipment)
    goods = shipping_documents.goods_of(shipment, loaded)
    orders = {order_line.order_id for order_line, _quantity in goods}
    if len(order_list_visible_to(user=by).filter(pk__in=orders)) < len(orders):
        raise PermissionDenied(_("You do not have permission to do this."))
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ValidationError({"status": _("The shipment is cancelled: it gets no more documents.")})
    if not goods:
        raise ValidationError({"lines": _("The shipment has no goods to print.")})
    shipping_documents.check_packaging(goods)
    if kind in (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST):
        shipping_documents.check_loaded_cartons(loaded)
    currency = shipping_documents.currency_of(goods) if kind == DocumentKind.COMMERCIAL_INVOICE else ""
    if kind == DocumentKind.SHIPPING_NOTICE:
        language = WAREHOUSE_LANGUAGE
    language = language or shipment.customer.document_language

    def draft() -> Draft:
        packing = shipping_documents.packing(goods)
        template = SHIPMENT_TEMPLATES[kind]
        if kind == DocumentKind.COMMERCIAL_INVOICE:
            context = shipping_documents.invoice_context(shipment, packing, language, currency)
            return Draft(template, context, context["total_value"], currency,
                         shipping_documents.invoice_workbook(shipment, packing, language, currency))
        if kind == DocumentKind.PACKING_LIST:
            groups = shipping_documents.container_groups(loaded, packing) if loaded else None
            return Draft(template, shipping_documents.packing_list_context(shipment, packing, language, groups),
                         xlsx=shipping_documents.packing_list_workbook(shipment, packing, language))
        if kind == DocumentKind.SHIPPING_MARKS:
            return Draft(template, shipping_documents.marks_context(shipment, packing, language))
        return Draft(template, shipping_documents.notice_context(shipment, packing))

    series = Document.objects.filter(kind=kind, shipment=shipment)
    document = Document(kind=kind, shipment=shipment, customer=shipment.customer, language=language)
    return _issue(series, document, draft, by)


def _issue(series, document: Document, draft, by) -> tuple[Document, bool]:
    """Version n+1 of a series when the content changed; the latest version as it is when it did not.
    The number is taken and the page stored in one transaction, so numbers have no gaps; the PDF is
    rendered from that page by the worker afterwards (`document_render`), so issuing never waits for it."""
    with transaction.atomic():
        latest = series.select_for_update().order_by("-version").first()
        document.version = latest.version + 1 if latest else 1
        document.number = latest.number if latest else next_number(PREFIX[document.kind], on=timezone.localdate())
        with translation.override(document.language):
            made = draft()
            letterhead = render.letterhead()
            html = render.html_of(made.template, {
                **letterhead, **made.context, "kind": document.kind, "number": document.number,
                "version": VERSION_MARK, "language": document.language,
                "company_address": letterhead["company"].address_in(document.language),
                "seller_name": letterhead["company"].name_in(document.language)})
        fingerprint = hashlib.sha256(html.encode()).hexdigest()  # without the version: same content, same print
        if latest is not None and latest.fingerprint == fingerprint:
            return latest, False
        document.html = html.replace(VERSION_MARK, str(document.version))
        document.fingerprint, document.total, document.currency = fingerprint, made.total, made.currency
        document.generated_by, document.generated_at = by, timezone.now()
        if made.xlsx is not None:
            document.xlsx.save(document.filename("xlsx"), ContentFile(made.xlsx), save=False)
        document._history_user = by
        document.save()
        from gendan.documents.tasks import render_document

        transaction.on_commit(lambda: render_document.enqueue(document.pk))
        return document, True


def document_render(document: Document) -> Document:
    """The document with its PDF: rendered now from the issued page unless the worker (or another reader)
    already did. Two renderers may race; the first to store its file wins and the other's file is removed."""
    if document.pdf:
        return document
    content = ContentFile(render.pdf_of(document.html))
    name = document.pdf.storage.save(archive_path(document, document.filename("pdf")), content)
    stored = Document.objects.filter(pk=document.pk, pdf="").update(pdf=name, rendered_at=timezone.now())
    if not stored:
        document.pdf.storage.delete(name)
    document.refresh_from_db(fields=["pdf", "rendered_at"])
    return document


def document_send(*, document: Document, by, recipients: list[str], subject: str, message: str) -> Document:
    """Mail the document (outside the transaction: a failed send changes nothing), then record who sent it
    to whom, and log it on the order's activity log."""
    require_perm(by, "documents.send_document")
    recipients = [address.strip() for address in recipients if address.strip()]
    if not recipients:
        raise ValidationError({"recipients": _("Give at least one email address.")})
    for address in recipients:
        validate_email_address(address)
    if not subject.strip():
        raise ValidationError({"subject": _("Give the email a subject.")})
    if not message.strip():
        with translation.override(document.language):
            message = _("Please find attached our %(document)s %(number)s.") % {
                "document": document.get_kind_display(), "number": document.number}
    mail = EmailMessage(subject.strip(), message, settings.DEFAULT_FROM_EMAIL, recipients,
                        reply_to=[by.email] if by.email else None)
    with document_render(document).pdf.open("rb") as pdf:
        mail.attach(document.filename("pdf"), pdf.read(), "application/pdf")
    if document.xlsx:
        with document.xlsx.open("rb") as sheet:
            mail.attach(document.filename("xlsx"), sheet.read(),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    mail.send()
    return _sent(document, by, ", ".join(recipients), subject.strip())


@transaction.atomic
def _sent(document: Document, by, recipients: str, subject: str) -> Document:
    document.sent_to, document.sent_at, document.sent_by = recipients, timezone.now(), by
    document._history_user = by
    document.save(update_fields=["sent_to", "sent_at", "sent_by"])
    if document.order_id:
        activity_add(order=document.order, by=by, kind=ActivityKind.EMAIL, happened_at=document.sent_at,
                     summary=_("%(document)s %(number)s version %(version)s sent") % {
                         "document": document.get_kind_display(), "number": document.number,
                         "version": document.version},
                     details=subject, contact=recipients[:100])
    return document


@transaction.atomic
def document_record_response(*, document: Document, by, response: str, note: str = "", signed_copy=None,
                             on: date | None = None) -> Document:
    """The customer's answer: a signed contract or confirmed statement (with the signed copy, or just
    recorded), or a dispute, which needs a note saying what the customer disputes."""
    require_perm(by, "documents.record_response")
    if response not in (Response.CONFIRMED, Response.DISPUTED):
        raise ValidationError({"response": _("Choose confirmed or disputed.")})
    if response == Response.DISPUTED and not note.strip():
        raise ValidationError({"note": _("Say what the customer disputes.")})
    if signed_copy is not None:
        from gendan.core.uploads import check_upload

        check_upload(signed_copy, field="signed_copy", extensions=["pdf", "png", "jpg", "jpeg"])
        document.response_file.save(f"{document.number}-v{document.version}-signed{_suffix(signed_copy.name)}",
                                    signed_copy, save=False)
    document.response, document.response_note = response, note.strip()
    document.responded_at, document.responded_by = timezone.now(), by
    document._history_user = by
    document.save()
    return document


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def statement_generate(*, customer, by, currency: str = "", period_start: date, as_of: date,
                       language: str = "") -> tuple[Document, bool]:
    """The customer's statement for a period, as the books stood at the end of `as_of` (PDF and XLSX)."""
    require_perm(by, "documents.add_document")
    require_perm(by, "finance.view_receipt")
    currency = currency or customer.currency
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("A statement closes today at the latest.")})
    if period_start > as_of:
        raise ValidationError({"period_start": _("The period starts on or before its closing day.")})
    language = language or customer.document_language

    def draft() -> Draft:
        statement = statement_of(customer, currency, period_start, as_of)
        context = statements.context(statement, language)
        return Draft("documents/statement.html", context, statement.closing, currency,
                     statements.workbook(statement))

    series = Document.objects.filter(kind=DocumentKind.STATEMENT, customer=customer, currency=currency,
                                     period_start=period_start, as_of=as_of)
    document = Document(kind=DocumentKind.STATEMENT, customer=customer, language=language, as_of=as_of,
                        period_start=period_start)
    return _issue(series, document, draft, by)
