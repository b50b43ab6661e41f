"""Reads of what `core` keeps: the company profile, and the working-day calendar as the administrators' page
shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.models import CalendarDay, CalendarYear, CompanyProfile, DayKind
from gendan.core.workdays import estimated_holidays, estimated_years


def company_profile() -> CompanyProfile:
    """The company as entered by an administrator; an empty, unsaved profile until then."""
    return CompanyProfile.objects.filter(pk=CompanyProfile.ROW).first() or CompanyProfile(pk=CompanyProfile.ROW)


YEAR_STATUS = {
    "package": _("Known (chinese-calendar)"),
    "entered": _("Entered from the notice"),
    "estimated": _("Estimated (statutory holidays only)"),
}


@dataclass
class YearRow:
    year: int
    status: str
    entry: CalendarYear | None = None
    counts: dict = field(default_factory=dict)  # DayKind → number of days

    @property
    def status_label(self) -> str:
        return YEAR_STATUS[self.status]


def calendar_years(today: date | None = None) -> list[YearRow]:
    """Last year onwards: the years the calendar knows and the years still estimated."""
    first = (today or timezone.localdate()).year - 1
    entries = {entry.year: entry for entry in CalendarYear.objects.filter(year__gte=first)
               .select_related("entered_by")}
    counts = (CalendarDay.objects.filter(date__gte=date(first, 1, 1)).annotate(year=ExtractYear("date"))
              .values("year").annotate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in DayKind.values}))
    by_year = {row.pop("year"): row for row in counts}
    rows = [YearRow(year, "entered" if entry.entered_by_id else "package", entry, by_year.get(year, {}))
            for year, entry in entries.items()]
    rows += [YearRow(year, "estimated", counts={DayKind.HOLIDAY: len(estimated_holidays(year))})
             for year in estimated_years(set(entries)) if year >= first]
    return sorted(rows, key=lambda row: row.year)
