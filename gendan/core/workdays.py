"""Working days on the Chinese calendar: public holidays, weekends worked in exchange (调休) and
company closures, kept as data. "3 working days after X" is `add(X, 3)` everywhere.

A year nobody has entered is not silently treated as ordinary Mondays to Fridays: its statutory holidays
are estimated from the lunar calendar (the `holidays` package), and results that touch it come back marked
`estimated`, so plans can flag them until an administrator enters the year from the State Council's notice
(whose adjusted working weekends nobody can guess).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db import connection
from django.utils import timezone

from gendan.core.models import CalendarDay, CalendarYear, DayKind

MEMO_LIMIT = 200_000
ESTIMATED_YEARS_AHEAD = 6  # unknown years are estimated up to this many years ahead (dates are refused beyond 5)


@dataclass(frozen=True)
class WorkDate:
    date: date
    estimated: bool  # True when a year on the way is not in the calendar yet


class WorkCalendar:
    """A snapshot of the calendar tables; cheap to query many times (plans compute hundreds of dates)."""

    def __init__(self, known_years: set[int], days_off: set[date], working_weekends: set[date]):
        self.known_years = known_years
        self.days_off = days_off
        self.working_weekends = working_weekends
        self._added: dict[tuple[date, int], WorkDate] = {}  # plans ask the same sums over and over
        self._counted: dict[tuple[date, date], int] = {}

    @classmethod
    def load(cls) -> WorkCalendar:
        """The current calendar. Each process keeps it (with its memoised sums) and re-reads the tables
        only when one small query says they changed: plans are created one per confirmed order."""
        if _pinned:
            return _pinned[-1]
        stamp = _stamp()
        if _loaded and _loaded[0] == stamp:
            return _loaded[1]
        calendar = cls.read()
        _loaded[:] = [stamp, calendar]
        return calendar

    @classmethod
    def read(cls) -> WorkCalendar:
        known = set(CalendarYear.objects.values_list("year", flat=True))
        days_off, working = set(), set()
        for year in estimated_years(known):
            holidays, worked = estimated_days(year)
            days_off.update(holidays)
            working.update(worked)
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (working if kind == DayKind.WORKING_WEEKEND else days_off).add(day)
        return cls(known, days_off, working)

    def is_known(self, day: date) -> bool:
        return day.year in self.known_years

    def is_workday(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def add(self, start: date, days: int) -> WorkDate:
        """The working day `days` working days after (or, if negative, before) `start`."""
        key = (start, days)
        if key not in self._added:
            if len(self._added) > MEMO_LIMIT:  # a long-running process must not grow without end
                self._added.clear()
            self._added[key] = self._add(start, days)
        return self._added[key]

    def _add(self, start: date, days: int) -> WorkDate:
        step = 1 if days >= 0 else -1
        day, left, estimated = start, abs(days), not self.is_known(start)
        while left:
            day += timedelta(days=step)
            estimated |= not self.is_known(day)
            if self.is_workday(day):
                left -= 1
        return WorkDate(day, estimated)

    def next_workday(self, day: date) -> WorkDate:
        """`day` itself if it is a working day, else the first working day after it."""
        estimated = not self.is_known(day)
        while not self.is_workday(day):
            day += timedelta(days=1)
            estimated |= not self.is_known(day)
        return WorkDate(day, estimated)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end is earlier)."""
        if end < start:
            return -self.between(end, start)
        if (start, end) not in self._counted:
            if len(self._counted) > MEMO_LIMIT:
                self._counted.clear()
            self._counted[start, end] = self._between(start, end)
        return self._counted[start, end]

    def _between(self, start: date, end: date) -> int:
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=n)))


_pinned: list[WorkCalendar] = []
_loaded: list = []  # [stamp, WorkCalendar] of the last load in this process


def _stamp() -> tuple:
    """Changes whenever a year or a day is added, edited or removed (one small query), and at New Year,
    when the window of estimated years moves on."""
    years, days = CalendarYear._meta.db_table, CalendarDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {years}), (SELECT SUM(year) FROM {years}), "
                       f"(SELECT COUNT(*) FROM {days}), (SELECT MAX(changed_at) FROM {days})")
        return (*cursor.fetchone(), timezone.localdate().year)


def estimated_years(known: set[int]) -> list[int]:
    """The years nobody has entered, from the first after those known (or last year) to a few years ahead:
    their holidays are estimated."""
    this_year = timezone.localdate().year
    first = min(this_year - 1, max(known, default=this_year - 1) + 1)
    return [year for year in range(first, this_year + ESTIMATED_YEARS_AHEAD + 1) if year not in known]


@cache
def estimated_days(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """The public holidays of `year` as the `holidays` package computes them from the lunar calendar (e.g.
    Spring Festival 2027: 5–10 February), and the weekends it knows to be worked (only for years whose notice
    it already carries), until the State Council's notice is entered here.
    Once per process and year: the first China() costs a few tenths of a second."""
    import holidays

    china = holidays.China(years=year)
    return ({day: str(name) for day, name in china.items()},
            frozenset(day for day in china.weekend_workdays if day.year == year))


@cache
def estimated_holidays(year: int, language: str = "en") -> dict[date, str]:
    """The estimated holidays of `year` named in the reader's language (Chinese or English)."""
    import holidays

    names = holidays.China(years=year, language="zh_CN" if language.startswith("zh") else "en_US")
    return {day: str(name) for day, name in sorted(names.items())}


@contextmanager
def calendar_pinned():
    """Load the calendar once for a batch (demo, benchmarks, the morning scan) instead of on every plan."""
    _pinned.append(WorkCalendar.read())
    try:
        yield _pinned[-1]
    finally:
        _pinned.pop()


def seed_from_chinese_calendar() -> int:
    """Copy the years the chinese-calendar package knows into the calendar tables (idempotent)."""
    import chinese_calendar

    holidays = chinese_calendar.constants.holidays
    working = chinese_calendar.constants.workdays
    years = {day.year for day in holidays} | {day.year for day in working}
    known = set(CalendarYear.objects.values_list("year", flat=True))
    new_years = sorted(years - known)
    if not new_years:
        return 0
    version = getattr(chinese_calendar, "__version__", "")
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=f"chinese-calendar {version}".strip()) for year in new_years]
    )
    rows = [
        CalendarDay(date=day, kind=DayKind.HOLIDAY, name=str(name or ""))
        for day, name in holidays.items() if day.year in new_years
    ] + [
        CalendarDay(date=day, kind=DayKind.WORKING_WEEKEND, name=str(name or ""))
        for day, name in working.items() if day.year in new_years
    ]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    return len(new_years)
