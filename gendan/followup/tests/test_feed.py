from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from gendan.followup.feeds import feed_token_renew, feed_token_revoke
from gendan.followup.models import Milestone
from gendan.followup.services import milestone_complete
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def events(client, token) -> dict:
    response = client.get(reverse("followup:calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


def test_the_feed_lists_ones_milestones_on_their_dates(client, order, merchandiser, engineer):
    with at(date(2026, 10, 9)):
        milestone_complete(milestone=Milestone.objects.get(plan__order=order, code="bom"), by=engineer,
                           actual_date=date(2026, 10, 8))
        token = feed_token_renew(user=merchandiser).token
        found = events(client, token)
    assert found[f"{order.number} · 订单评审会签 / Order review signed"] == date(2026, 9, 29)
    assert found[f"{order.number} · 客制资料到齐（唛头、标签、彩盒） / Customer specifics received (artwork, labels)"] \
        == date(2026, 10, 8)
    assert not any("BOM" in summary for summary in found)  # engineering's, not the merchandiser's
    with at(date(2026, 10, 9)):
        engineering = events(client, feed_token_renew(user=engineer).token)
    assert engineering[f"✓ {order.number} · 工程出 BOM / BOM issued"] == date(2026, 10, 8)


def test_a_revoked_or_replaced_address_stops_working(client, order, merchandiser):
    old = feed_token_renew(user=merchandiser).token
    new = feed_token_renew(user=merchandiser).token
    assert old != new
    assert client.get(reverse("followup:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("followup:calendar_feed", args=[new])).status_code == 200
    feed_token_revoke(user=merchandiser)
    assert client.get(reverse("followup:calendar_feed", args=[new])).status_code == 404


def test_the_settings_page_makes_and_revokes_the_address(client, merchandiser):
    client.force_login(merchandiser)
    client.post(reverse("followup:calendar_settings"), {"action": "renew"})
    page = client.get(reverse("followup:calendar_settings")).content.decode()
    token = merchandiser.feed_token.token
    assert f"/followup/calendar/{token}.ics" in page
    client.post(reverse("followup:calendar_settings"), {"action": "revoke"})
    assert client.get(reverse("followup:calendar_feed", args=[token])).status_code == 404
