"""Changes to what `core` keeps for the whole company: the company profile and the working-day calendar."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.calendar_notice import NoticeDay
from gendan.core.concurrency import save_first_version, take_version
from gendan.core.models import CalendarDay, CalendarYear, CompanyProfile, DayKind
from gendan.core.permissions import require_perm
from gendan.core.records import save_record
from gendan.core.signals import calendar_days_changed
from gendan.core.uploads import check_upload

FIRST_YEAR, LAST_YEAR = 2000, 2100
LOGO_TYPES = ("png", "jpg", "jpeg")
PROFILE_FIELDS = ("name_zh", "name_en", "address_zh", "address_en", "phone", "email", "website", "tax_id", "logo",
                  "company_type", "tracking_shows_prices")


@transaction.atomic
def company_profile_update(*, version: int, by, **changes) -> CompanyProfile:
    """Save the company's name, address and logo as documents and notices print them. `version` is the one the
    administrator saw (0 before the profile was first saved); `logo` is a new file, or False to remove it."""
    require_perm(by, "core.change_companyprofile")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {', '.join(sorted(unknown))}")
    if changes.get("logo"):
        check_upload(changes["logo"], field="logo", extensions=LOGO_TYPES)
    if changes.get("logo") is False:
        changes["logo"] = ""
    profile = CompanyProfile.objects.select_for_update().filter(pk=CompanyProfile.ROW).first()
    if profile is None:
        return save_first_version(CompanyProfile(pk=CompanyProfile.ROW), version, by=by, **changes)
    take_version(profile, version)
    old_logo = profile.logo.name
    profile = save_record(profile, by=by, **changes)
    if old_logo and profile.logo.name != old_logo:  # replaced or removed: the old file goes once this commits
        storage = profile.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return profile


@transaction.atomic
def calendar_year_enter(*, year: int, source: str, days: list[NoticeDay], version: int, by) -> CalendarYear:
    """Enter (or correct) a year from the State Council's notice: the year and all its days — holidays,
    adjusted working days, closures — in one step, replacing what the year had. Only then is the year
    known; the plans whose dates it touches are re-planned by the listeners of `calendar_days_changed`.
    `version` is the year's as the administrator saw it (0 for a year not entered yet): of two administrators
    entering one year at once, the second is told to reload."""
    require_perm(by, "core.change_calendaryear")
    _check_year(year, source, days)
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    newly_known = entry is None
    fields = {"source": source.strip(), "entered_by": by, "entered_at": timezone.now()}
    if entry is None:
        entry = save_first_version(CalendarYear(year=year), version, by=by, **fields)
    else:
        take_version(entry, version)
        entry = save_record(entry, by=by, **fields)
    changed = _replace_days(year, {day.date: day for day in days}, by)
    if newly_known:  # every date of the year was an estimate: plans reaching it lose the flag
        changed += [date(year, 1, 1), date(year, 12, 31)]
    if changed:
        calendar_days_changed.send(sender=CalendarDay, first=min(changed), last=max(changed), by=by)
    return entry


def _check_year(year: int, source: str, days: list[NoticeDay]) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("Enter a year between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR, "last": LAST_YEAR}})
    if not source.strip():
        raise ValidationError({"source": _("Name the notice the days come from.")})
    if not any(day.kind == DayKind.HOLIDAY for day in days):
        raise ValidationError({"days": _("Enter the year's public holidays and adjusted working days together; "
                                         "no holiday was found.")})
    if any(day.date.year != year for day in days):
        raise ValidationError({"days": _("Every day must be in %(year)s.") % {"year": year}})


def _replace_days(year: int, wanted: dict, by) -> list:
    """Make the year's rows equal `wanted`, each change with its history row; returns the dates whose kind of
    day changed."""
    changed = []
    for row in CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)):
        day = wanted.pop(row.date, None)
        if day is None:
            row._history_user = by
            row.delete()
            changed.append(row.date)
        elif (row.kind, row.name) != (day.kind, day.name):
            if row.kind != day.kind:  # a new name moves no date
                changed.append(row.date)
            row.kind, row.name, row._history_user = day.kind, day.name, by
            row.save()
    for day in wanted.values():
        row = CalendarDay(date=day.date, kind=day.kind, name=day.name)
        row._history_user = by
        row.save()
        changed.append(day.date)
    return changed

