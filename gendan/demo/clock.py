"""The demo's simulated clock: the services stamp the moment a step of the story happened as "now"."""

from contextlib import contextmanager
from datetime import date, datetime, time

from django.utils import timezone


@contextmanager
def clock(moment: datetime):
    """Let the services stamp `moment` as "now" (auto_now_add fields, history, events)."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


def at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
