from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gendan.core.calendar_notice import as_table
from gendan.core.errors import ConcurrentChange
from gendan.core.forms import CalendarYearForm, CompanyProfileForm, ImportForm, apply_service_errors
from gendan.core.history import history_of
from gendan.core.imports import ImportRejected
from gendan.core.models import CalendarDay, CalendarYear, DayKind
from gendan.core.permissions import require_perm
from gendan.core.selectors import calendar_years, company_profile
from gendan.core.services import FIRST_YEAR, LAST_YEAR, calendar_year_enter, company_profile_update
from gendan.core.uploads import file_response
from gendan.core.workdays import estimated_holidays
from gendan.core.xlsx import XLSX_TYPE, workbook_bytes


def import_page(request, importer, *, title: str, template_url: str, success_url: str, intro: str = ""):
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
        "form": form, "preview": preview, "title": title, "template_url": template_url, "intro": intro,
        "key_title": importer.label(importer.key_field),
    })


def import_template(importer, filename: str) -> HttpResponse:
    """An empty workbook whose header row names the importable columns."""
    content = workbook_bytes([], [(header, None) for header in importer.template_headers()], filename)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-template.xlsx"'
    return response


# ---------------------------------------------------------------- the working-day calendar

CALENDAR_PERM = "core.change_calendaryear"


@login_required
def calendar_year_list(request):
    require_perm(request.user, CALENDAR_PERM)
    return render(request, "core/calendar_years.html", {"years": calendar_years()})


@login_required
def calendar_year_edit(request, year: int):
    """Paste the year's days → preview (errors name the line) → save the year and its days in one step."""
    require_perm(request.user, CALENDAR_PERM)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    entry = CalendarYear.objects.filter(year=year).first()
    days = CalendarDay.objects.filter(date__year=year)
    form = CalendarYearForm(request.POST or None, year=year, initial={
        "source": entry.source if entry else "", "days": as_table(days), "version": entry.version if entry else 0})
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        try:
            calendar_year_enter(year=year, source=form.cleaned_data["source"], days=form.cleaned_data["days"],
                                version=form.cleaned_data["version"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        except ConcurrentChange as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The calendar of %(year)s is saved. Open plans on the changed days are "
                                        "being re-planned.") % {"year": year})
            return redirect("core:calendar_years")
    preview = form.cleaned_data["days"] if form.is_bound and form.is_valid() else None
    return render(request, "core/calendar_year.html", {
        "year": year, "entry": entry, "form": form, "preview": preview,
        "no_working_days": preview and not any(day.kind == DayKind.WORKING_WEEKEND for day in preview),
        "skipped": form.notice.skipped if form.notice else [],
        "estimated": None if entry else sorted(estimated_holidays(year, get_language() or "").items()),
    })


# ---------------------------------------------------------------- the company profile

PROFILE_PERM = "core.change_companyprofile"


@login_required
def company_profile_edit(request):
    require_perm(request.user, PROFILE_PERM)
    profile = company_profile()
    # the form works on its own copy (a ModelForm writes what was posted onto its instance); the service reads
    # and saves the stored row itself
    form = CompanyProfileForm(request.POST or None, request.FILES or None, instance=company_profile())
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "logo"}
        if "logo" in request.FILES or form.cleaned_data["logo"] is False:
            data["logo"] = form.cleaned_data["logo"]
        try:
            company_profile_update(version=form.cleaned_data["version"], by=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except ConcurrentChange as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The company profile is saved."))
            return redirect("core:company_profile")
    return render(request, "core/company_profile.html", {"form": form, "profile": profile,
                                                          "history": history_of(profile) if profile.version else []})


@login_required
def company_logo(request):
    profile = company_profile()
    if not profile.logo:
        raise Http404
    return file_response(profile.logo, filename=profile.logo.name.rsplit("/", 1)[-1])
