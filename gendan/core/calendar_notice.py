"""Reading a year's calendar as an administrator pastes it: the State Council's notice as published, or a
simple table. Each line is one of

    二、春节：2月5日（农历除夕）至11日放假调休，共7天。2月14日（星期日）、2月20日（星期六）上班。
    2027-02-05  休  春节                 (or a range: 2027-02-05~2027-02-11  休  春节)
    2027-02-14  班  春节
    2027-08-02  停工  工厂年度检修

Kinds: 休/放假/holiday (public holiday), 班/上班/workday (adjusted working day on a weekend),
停工/closure (company closure). Lines without a date (the notice's title and prose) are skipped; a line
that looks like an entry but cannot be read is an error naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from gendan.core.models import DayKind

KINDS = {
    "休": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "假": DayKind.HOLIDAY, "holiday": DayKind.HOLIDAY,
    "班": DayKind.WORKING_WEEKEND, "上班": DayKind.WORKING_WEEKEND, "workday": DayKind.WORKING_WEEKEND,
    "停工": DayKind.CLOSURE, "closure": DayKind.CLOSURE,
}
KIND_WORDS = {DayKind.HOLIDAY: "休", DayKind.WORKING_WEEKEND: "班", DayKind.CLOSURE: "停工"}
NAME_LENGTH = 100  # CalendarDay.name
LONGEST_RANGE = 15  # days; a longer holiday is a typo (至21日 for 至11日)

ISO = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
TABLE_LINE = re.compile(rf"^{ISO}(?:\s*(?:~|～|至|–|—|\.\.)\s*{ISO})?[\s,，]+(\S+)[\s,，]*(.*)$")
CHINESE_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
ASIDE = re.compile(r"（[^）]*）|\([^)]*\)")
NUMBERING = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*")


@dataclass
class NoticeDay:
    date: date
    kind: str
    name: str
    line: int


@dataclass
class Notice:
    days: list[NoticeDay] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # lines without dates


class LineError(ValueError):
    pass


def parse_notice(text: str, year: int) -> Notice:
    notice = Notice()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        try:
            days = _read_line(line, year)
        except LineError as error:
            notice.errors.append(_("Line %(line)s: %(problem)s (%(text)s)") % {
                "line": number, "problem": error, "text": line[:80]})
            continue
        if days is None:
            if line:
                notice.skipped.append(number)
            continue
        for day, kind, name in days:
            notice.days.append(NoticeDay(day, kind, name, number))
    notice.errors += _check(notice.days, year)
    return notice


def as_table(days) -> str:
    """Days (rows with date, kind, name) as the simple table, one per line: what the form shows to edit."""
    return "\n".join(f"{d.date:%Y-%m-%d}\t{KIND_WORDS[d.kind]}\t{d.name}" for d in days)


# ---------------------------------------------------------------- one line


def _read_line(line: str, year: int) -> list[tuple[date, str, str]] | None:
    if not line or line.startswith("#"):
        return None
    if re.match(r"^\d{4}[-/.]", line):
        return _table_line(line)
    if CHINESE_DATE.search(line) and ("放假" in line or "上班" in line):
        return _notice_line(line, year)
    if "放假" in line and "：" in line or "上班" in line and "：" in line:
        raise LineError(_("no date found"))
    return None


def _table_line(line: str) -> list[tuple[date, str, str]]:
    match = TABLE_LINE.match(line)
    if not match:
        raise LineError(_("expected “date  kind  name”, e.g. 2027-02-05  休  春节"))
    start = _date(*match.group(1, 2, 3))
    end = _date(*match.group(4, 5, 6)) if match.group(4) else start
    kind = KINDS.get(match.group(7).lower())
    if kind is None:
        raise LineError(_("unknown kind “%(kind)s”: write 休, 班 or 停工") % {"kind": match.group(7)})
    return [(day, kind, match.group(8).strip()) for day in _span(start, end)]


def _notice_line(line: str, year: int) -> list[tuple[date, str, str]]:
    """二、春节：2月5日（农历除夕）至11日放假调休，共7天。2月14日（星期日）、2月20日（星期六）上班。"""
    name, _colon, rest = NUMBERING.sub("", line).rpartition("：" if "：" in line else ":")
    rest = ASIDE.sub("", rest)
    off, _sep, after = rest.partition("放假")
    if not _sep:
        off, after = "", rest
    days = []
    dates = _chinese_dates(off, year)
    if "至" in off:
        if len(dates) != 2:
            raise LineError(_("a holiday “from … to …” needs two dates"))
        days += [(day, DayKind.HOLIDAY, name.strip()) for day in _span(*dates)]
    else:
        days += [(day, DayKind.HOLIDAY, name.strip()) for day in dates]
    working = _chinese_dates(after, year)
    if working and "上班" not in after:
        raise LineError(_("dates after the holiday but no “上班”"))
    days += [(day, DayKind.WORKING_WEEKEND, name.strip()) for day in working]
    if not days:
        raise LineError(_("no date found"))
    return days


def _chinese_dates(text: str, year: int) -> list[date]:
    """“1月28日至2月4日” → two dates; a date without its month takes the month before it (“2月5日至11日”)."""
    dates, month = [], None
    for match in CHINESE_DATE.finditer(text):
        y, m, d = match.groups()
        month = int(m) if m else month
        if month is None:
            raise LineError(_("“%(text)s” has no month") % {"text": match.group(0)})
        dates.append(_date(y or year, month, d))
    return dates


def _date(year, month, day) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise LineError(_("%(year)s-%(month)s-%(day)s is not a date") % {
            "year": year, "month": month, "day": day}) from None


def _span(start: date, end: date) -> list[date]:
    if end < start:
        raise LineError(_("the range ends before it starts"))
    if (end - start).days >= LONGEST_RANGE:
        raise LineError(_("a range of more than %(days)s days") % {"days": LONGEST_RANGE})
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# ---------------------------------------------------------------- the whole year


def _check(days: list[NoticeDay], year: int) -> list[str]:
    errors, seen = [], {}
    for day in days:
        if day.date.year != year:
            errors.append(_("Line %(line)s: %(date)s is not in %(year)s.") % {
                "line": day.line, "date": day.date, "year": year})
        elif day.kind == DayKind.WORKING_WEEKEND and day.date.weekday() < 5:
            errors.append(_("Line %(line)s: %(date)s is a weekday; an adjusted working day falls on a weekend.")
                          % {"line": day.line, "date": day.date})
        if len(day.name) > NAME_LENGTH:
            errors.append(_("Line %(line)s: the name is longer than %(length)s characters.") % {
                "line": day.line, "length": NAME_LENGTH})
        if day.date in seen:
            errors.append(_("Line %(line)s: %(date)s is already on line %(other)s.") % {
                "line": day.line, "date": day.date, "other": seen[day.date].line})
        else:
            seen[day.date] = day
    return errors
