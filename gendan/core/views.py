from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.core.forms import ImportForm
from gendan.core.imports import ImportRejected
from gendan.core.xlsx import XLSX_TYPE, workbook_bytes


def import_page(request, importer, *, title: str, template_url: str, success_url: str):
    """Upload → preview listing every bad row and field → commit all rows or none."""
    form, preview = ImportForm(), None
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        try:
            count = importer.commit(token)
        except ImportRejected as rejected:
            preview = rejected.preview
        else:
            messages.success(request, _("%(count)s rows imported.") % {"count": count})
            return redirect(success_url)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            preview = importer.preview(importer.store(form.cleaned_data["file"]))
    return render(request, "core/import.html", {
        "form": form, "preview": preview, "title": title, "template_url": template_url,
    })


def import_template(importer, filename: str) -> HttpResponse:
    """An empty workbook whose header row names the importable columns."""
    content = workbook_bytes([], [(header, None) for header in importer.template_headers()], filename)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-template.xlsx"'
    return response
