"""A person's milestones as an iCalendar feed (for Outlook, Apple or Google Calendar), behind a secret
token in the address; revoking the token replaces it, and the old address stops working."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from gendan.followup.choices import MilestoneStatus, PlanStatus
from gendan.followup.models import FeedToken, Milestone

DONE_DAYS_SHOWN = 30


@transaction.atomic
def feed_token_renew(*, user) -> FeedToken:
    """Make (or replace) the person's feed secret."""
    token, _created = FeedToken.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    if not _created:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token", "created_at"])
    return token


def feed_token_revoke(*, user) -> None:
    FeedToken.objects.filter(user=user).delete()


def feed_milestones(user, today: date):
    return (
        Milestone.objects.owed_by(user).filter(plan__status__in=[PlanStatus.ACTIVE, PlanStatus.FINISHED],
                                 due_date__isnull=False)
        .filter(Q(status=MilestoneStatus.OPEN) | Q(status=MilestoneStatus.DONE,
                                                   actual_date__gte=today - timedelta(days=DONE_DAYS_SHOWN)))
        .select_related("plan__order__customer")
    )


def calendar_for(user, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Gendan//Follow-up//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Gendan · {user}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for m in feed_milestones(user, today):
        calendar.add_component(_event(m))
    return calendar.to_ical()


def _event(m: Milestone) -> Event:
    order = m.plan.order
    done = m.status == MilestoneStatus.DONE
    day = m.actual_date if done else m.due_date
    event = Event()
    event.add("uid", f"milestone-{m.pk}@gendan")
    event.add("summary", f"{'✓ ' if done else ''}{order.number} · {m.name_zh} / {m.name_en}")
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", m.updated_at)
    event.add("description", f"{order.customer.code} {order.customer.name_en}\n"
                             f"{settings.GENDAN_SITE_URL}{order.get_absolute_url()}")
    event.add("url", f"{settings.GENDAN_SITE_URL}{order.get_absolute_url()}")
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event
