"""Working-day arithmetic on the 2026 Chinese calendar (State Council notice 国办发明电〔2025〕7号):
Spring Festival 15–23 Feb off, Sat 14 and Sat 28 Feb worked; Labour Day 1–5 May off, Sat 9 May worked;
National Day with Mid-Autumn 1–7 Oct off, Sun 20 Sep and Sat 10 Oct worked."""

from datetime import date

import pytest

from gendan.core.models import CalendarDay, CalendarYear, DayKind
from gendan.core.workdays import WorkCalendar, WorkDate, seed_from_chinese_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return WorkCalendar.load()  # seeded from chinese-calendar after migrating


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize("day,working", [
    ("2026-02-13", True), ("2026-02-14", True),   # Saturday worked before Spring Festival
    ("2026-02-15", False), ("2026-02-17", False), ("2026-02-23", False),  # the holiday, Monday included
    ("2026-02-24", True), ("2026-02-28", True),   # back to work; Saturday 28 Feb worked
    ("2026-03-01", False),                         # an ordinary Sunday
    ("2026-05-01", False), ("2026-05-05", False), ("2026-05-09", True),
    ("2026-09-20", True), ("2026-10-01", False), ("2026-10-07", False), ("2026-10-10", True),
    ("2026-10-11", False),
])
def test_2026_days(calendar, day, working):
    assert calendar.is_workday(d(day)) is working


@pytest.mark.parametrize("start,days,expected", [
    ("2026-02-12", 1, "2026-02-13"),
    ("2026-02-13", 1, "2026-02-14"),   # the adjusted Saturday counts
    ("2026-02-13", 2, "2026-02-24"),   # then nine days off
    ("2026-02-13", 3, "2026-02-25"),
    ("2026-02-24", -1, "2026-02-14"),  # counting back over the holiday
    ("2026-04-30", 1, "2026-05-06"),   # Labour Day
    ("2026-05-08", 1, "2026-05-09"),
    ("2026-09-30", 1, "2026-10-08"),   # National Day
    ("2026-10-09", 1, "2026-10-10"),
    ("2026-10-09", 2, "2026-10-12"),
    ("2026-02-24", 0, "2026-02-24"),
])
def test_adding_working_days(calendar, start, days, expected):
    result = calendar.add(d(start), days)
    assert result.date == d(expected)
    assert not result.estimated


def test_working_days_between(calendar):
    assert calendar.between(d("2026-02-13"), d("2026-02-27")) == 5  # 14, 24, 25, 26, 27
    assert calendar.between(d("2026-02-27"), d("2026-02-13")) == -5
    assert calendar.between(d("2026-09-30"), d("2026-10-10")) == 3  # 8, 9, 10


def test_a_year_nobody_entered_is_estimated_not_silently_ordinary(calendar):
    assert not calendar.is_known(d("2027-02-08"))
    result = calendar.add(d("2026-12-30"), 5)
    assert result.estimated  # the count ran into 2027
    assert result.date == d("2027-01-07")  # weekends and the estimated New Year's Day skipped
    assert calendar.add(d("2026-12-01"), 5).estimated is False


def test_an_entered_year_is_used_and_no_longer_estimated(admin_user):
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕x号", entered_by=admin_user)
    CalendarDay.objects.bulk_create([
        CalendarDay(date=d("2027-01-01"), kind=DayKind.HOLIDAY, name="New Year's Day"),
        CalendarDay(date=d("2027-01-02"), kind=DayKind.HOLIDAY, name="New Year's Day"),
        CalendarDay(date=d("2027-01-03"), kind=DayKind.HOLIDAY, name="New Year's Day"),
    ])
    calendar = WorkCalendar.load()
    result = calendar.add(d("2026-12-31"), 1)
    assert result == result.__class__(d("2027-01-04"), False)


def test_a_year_nobody_entered_has_its_statutory_holidays_estimated(calendar):
    """chinese-calendar stops at 2026; holidays.China computes Spring Festival 2027 as 5–10 February."""
    assert not any(calendar.is_workday(d(f"2027-02-{day:02}")) for day in range(5, 11))
    assert calendar.is_workday(d("2027-02-11"))
    # 15 working days back from Friday 26 February 2027: Monday–Friday counting said 5 February,
    # inside the holiday; with the estimate it starts before it
    result = calendar.add(d("2027-02-26"), -15)
    assert result == result.__class__(d("2027-02-01"), True)


def test_an_unknown_year_whose_notice_the_holidays_package_carries_keeps_its_worked_weekends():
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    calendar = WorkCalendar.load()
    assert calendar.is_workday(d("2026-02-14")) and not calendar.is_workday(d("2026-02-17"))
    assert calendar.add(d("2026-02-13"), 1) == WorkDate(d("2026-02-14"), True)  # still flagged until entered


def test_company_closure_is_a_day_off(calendar):
    CalendarDay.objects.create(date=d("2026-02-25"), kind=DayKind.CLOSURE, name="Factory restart")
    assert WorkCalendar.load().add(d("2026-02-24"), 1).date == d("2026-02-26")


def test_seeding_is_idempotent():
    assert CalendarYear.objects.filter(year=2026).exists()
    days = CalendarDay.objects.count()
    assert seed_from_chinese_calendar() == 0
    assert CalendarDay.objects.count() == days


def test_the_calendar_is_kept_between_loads_and_reloaded_after_any_change():
    first = WorkCalendar.load()
    assert WorkCalendar.load() is first  # nothing changed: the same snapshot, memoised sums and all
    closure = CalendarDay.objects.create(date=d("2026-03-03"), kind=DayKind.CLOSURE)
    assert WorkCalendar.load().is_workday(d("2026-03-03")) is False
    closure.kind = DayKind.WORKING_WEEKEND  # an edit, no new row
    closure.save()
    assert WorkCalendar.load().is_workday(d("2026-03-03")) is True
    closure.delete()
    CalendarYear.objects.filter(year=2026).delete()
    assert not WorkCalendar.load().is_known(d("2026-03-03"))


def test_a_year_created_without_its_days_is_forgotten_by_the_migration():
    """Before the calendar page, the admin could create a year with no days, which then counted as known."""
    from importlib import import_module

    from django.apps import apps

    CalendarYear.objects.create(year=2027, source="empty")
    import_module("gendan.core.migrations.0005_calendar_year_entered").forget_empty_years(apps, None)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarYear.objects.filter(year=2026).exists()  # chinese-calendar's years keep their holidays
