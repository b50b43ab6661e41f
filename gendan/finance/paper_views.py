"""The export VAT refund checklist page of an order: upload each paper, see what is missing, download the ZIP."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import error_text
from gendan.core.forms import apply_service_errors
from gendan.core.uploads import file_response
from gendan.finance import services
from gendan.finance.forms import RefundPaperForm
from gendan.finance.models import RefundPaper
from gendan.finance.refund_papers import checklist, checklist_zip, factories_of
from gendan.sales.selectors import order_list_visible_to

VIEW = "finance.view_vatrefund"


def _order(request, order_pk):
    return get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def refund_papers(request, order_pk):
    order = _order(request, order_pk)
    may_upload = request.user.has_perm("finance.change_vatrefund")
    form = RefundPaperForm(request.POST or None, request.FILES or None, factories=factories_of(order))
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                paper = services.refund_paper_add(order=order, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("%(paper)s added.") % {"paper": paper.get_kind_display()})
                return redirect("finance:refund_papers", order_pk=order.pk)
    items = checklist(order)
    return render(request, "finance/refund_papers.html", {
        "order": order, "items": items, "form": form if may_upload else None, "may_upload": may_upload,
        "done": sum(item.present for item in items), "total": len(items),
    }, status=400 if form.errors else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def refund_papers_zip(request, order_pk):
    order = _order(request, order_pk)
    response = HttpResponse(checklist_zip(order, checklist(order)), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{order.number}-refund-papers.zip"'
    return response


def _paper(request, pk) -> RefundPaper:
    paper = get_object_or_404(RefundPaper, pk=pk)
    _order(request, paper.order_id)
    return paper


@login_required
@permission_required(VIEW, raise_exception=True)
def refund_paper_download(request, pk):
    paper = _paper(request, pk)
    return file_response(paper.file, filename=paper.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def refund_paper_remove(request, pk):
    paper = _paper(request, pk)
    try:
        services.refund_paper_remove(paper=paper, by=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(paper)s removed.") % {"paper": paper.get_kind_display()})
    return redirect("finance:refund_papers", order_pk=paper.order_id)
