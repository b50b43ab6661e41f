from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import error_text
from gendan.core.forms import apply_service_errors
from gendan.core.listing import filtered_list
from gendan.core.uploads import file_response
from gendan.documents import services
from gendan.documents.choices import DocumentKind
from gendan.documents.filters import DocumentFilter
from gendan.documents.forms import GenerateForm, ResponseForm, SendForm, StatementForm
from gendan.documents.models import Document
from gendan.documents.selectors import (
    document_list_visible_to,
    documents_of_order,
    series_of,
    shipment_documents_of,
)
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping.selectors import shipment_list_visible_to


@login_required
@permission_required("documents.view_document", raise_exception=True)
def order_documents(request, order_pk, form: GenerateForm | None = None):
    """The order's documents, each series with its versions, and the buttons that make a new one (loaded into
    the order page like the plan)."""
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    may_make = request.user.has_perm("documents.add_document")
    documents = documents_of_order(order).select_related("generated_by", "sent_by")
    return render(request, "documents/includes/order_documents.html", {
        "order": order, "series": series_of(documents),
        "form": form or (GenerateForm(initial={"language": order.customer.document_language}) if may_make else None),
        "may_send": request.user.has_perm("documents.send_document"),
    })


@login_required
@require_POST
def generate(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            document, made = services.sales_document_generate(order=order, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            _say_made(request, document, made)
    return order_documents(request, order_pk, form=form if form.errors else None)


@login_required
@permission_required("documents.view_document", raise_exception=True)
def shipment_documents(request, shipment_pk):
    """The shipment's export documents card (also on the shipment page), after a document is made."""
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=shipment_pk)
    return render(request, "documents/includes/shipment_documents.html", {
        "shipment": shipment, "shipment_documents": shipment_documents_of(shipment=shipment, user=request.user)})


@login_required
@require_POST
def shipment_generate(request, shipment_pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=shipment_pk)
    try:
        document, made = services.shipment_document_generate(kind=request.POST.get("kind", ""), shipment=shipment,
                                                             by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        _say_made(request, document, made)
    return shipment_documents(request, shipment_pk)


def _say_made(request, document: Document, made: bool) -> None:
    text = (_("%(number)s version %(version)s made.") if made
            else _("Nothing changed since %(number)s version %(version)s: it is still the latest."))
    messages.success(request, text % {"number": document.number, "version": document.version})


def _visible(request, pk) -> Document:
    return get_object_or_404(document_list_visible_to(user=request.user), pk=pk)


@login_required
def download(request, pk, extension="pdf"):
    document = _visible(request, pk)
    if extension == "pdf":
        document = services.document_render(document)
    file = {"pdf": document.pdf, "xlsx": document.xlsx, "signed": document.response_file}[extension]
    if not file:
        raise PermissionDenied
    name = document.filename(extension) if extension != "signed" else file.name.rsplit("/", 1)[-1]
    return file_response(file, filename=name)


@login_required
@permission_required("documents.send_document", raise_exception=True)
def send(request, pk):
    document = _visible(request, pk)
    form = SendForm(request.POST or None, initial=_mail_defaults(document, request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_send(document=document, by=request.user, recipients=data["recipients"].split(","),
                                   subject=data["subject"], message=data["message"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(number)s version %(version)s sent to %(to)s.") % {
                "number": document.number, "version": document.version, "to": document.sent_to})
            return redirect(_back(document, request.user))
    return render(request, "documents/send.html", {"document": document, "form": form,
                                                   "back": _back(document, request.user)})


@login_required
@permission_required("documents.record_response", raise_exception=True)
def respond(request, pk):
    document = _visible(request, pk)
    form = ResponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_record_response(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The customer's answer is recorded."))
            return redirect(_back(document, request.user))
    return render(request, "documents/respond.html", {"document": document, "form": form,
                                                      "back": _back(document, request.user)})


def _back(document: Document, user) -> str:
    if document.shipment_id:  # a salesperson sees the shipment's papers, not its page
        return (document.shipment.get_absolute_url() if user.has_perm("shipping.view_shipment")
                else reverse("documents:document_list"))
    return document.order.get_absolute_url() if document.order_id else document.customer.get_absolute_url()


def _mail_defaults(document: Document, user) -> dict:
    """To the customer's contacts, in the document's language."""
    contacts = list(document.customer.contacts.exclude(email="").order_by("-is_primary", "pk")[:3])
    about = (document.order.customer_po or document.order.number) if document.order_id else ""
    with translation.override(document.language):
        subject = f"{document.get_kind_display()} {document.number}"
        message = _("Dear %(name)s,\n\nPlease find attached our %(document)s %(number)s.\n\nBest regards,\n"
                    "%(sender)s") % {"name": contacts[0].name if contacts else _("Sir or Madam"),
                                     "document": document.get_kind_display(), "number": document.number,
                                     "sender": user.get_full_name() or user.username}
    return {"recipients": ", ".join(c.email for c in contacts),
            "subject": f"{subject} · {about}" if about else subject, "message": message}


DOCUMENT_COLUMNS = [
    (gettext_lazy("Number"), lambda d: d.number),
    (gettext_lazy("Version"), lambda d: d.version),
    (gettext_lazy("Document"), lambda d: d.get_kind_display()),
    (gettext_lazy("Customer"), lambda d: d.customer.code),
    (gettext_lazy("Order"), lambda d: d.order.number if d.order_id else ""),
    (gettext_lazy("Shipment"), lambda d: d.shipment.number if d.shipment_id else ""),
    (gettext_lazy("Total"), lambda d: d.total),
    (gettext_lazy("Currency"), lambda d: d.currency),
    (gettext_lazy("Generated by"), lambda d: str(d.generated_by)),
    (gettext_lazy("Generated at"), lambda d: timezone.localtime(d.generated_at).strftime("%Y-%m-%d %H:%M")),
    (gettext_lazy("Sent to"), lambda d: d.sent_to),
]


@login_required
@permission_required("documents.view_document", raise_exception=True)
def document_list(request):
    """Every document the user may see, newest first: the archive."""
    context, export = filtered_list(request, document_list_visible_to(user=request.user), DocumentFilter,
                                    columns=DOCUMENT_COLUMNS, filename="documents")
    return export or render(request, "documents/document_list.html", context)


def _statement_form(customer, data=None) -> StatementForm:
    """Last month by default: statements go out at the start of the month (对账)."""
    month_start = timezone.localdate().replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    currencies = sorted({customer.currency, *customer.orders.values_list("currency", flat=True).distinct()})
    return StatementForm(data, currencies=currencies, initial={
        "period_start": last_month_end.replace(day=1), "as_of": last_month_end, "currency": customer.currency,
        "language": customer.document_language})


@login_required
@permission_required("documents.view_document", raise_exception=True)
def customer_statements(request, customer_pk, form: StatementForm | None = None):
    """The customer's statements of account (loaded into the customer's page), and, for finance, the form that
    makes the next one."""
    customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=customer_pk)
    may_make = request.user.has_perm("finance.view_receipt") and request.user.has_perm("documents.add_document")
    statements = customer.documents.filter(kind=DocumentKind.STATEMENT).select_related("generated_by", "sent_by")
    return render(request, "documents/includes/customer_statements.html", {
        "customer": customer, "series": series_of(statements)[:12],
        "form": form or (_statement_form(customer) if may_make else None),
        "may_send": request.user.has_perm("documents.send_document")})


@login_required
@require_POST
def statement_make(request, customer_pk):
    customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=customer_pk)
    form = _statement_form(customer, request.POST)
    if form.is_valid():
        try:
            document, made = services.statement_generate(customer=customer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return customer_statements(request, customer_pk, form=form)
        except PermissionDenied as error:
            messages.error(request, error_text(error))
        else:
            _say_made(request, document, made)
            return customer_statements(request, customer_pk)
    return customer_statements(request, customer_pk, form=form)
