"""An administrator enters 2027 from the State Council's notice on the calendar page — in a real Chromium
against a live server, at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from gendan.accounts.tests.factories import PASSWORD
from gendan.core.models import CalendarDay, CalendarYear, DayKind
from gendan.core.tests.test_calendar import NOTICE_2027

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_administrator_enters_a_year_from_the_notice(page, live_server, administrator, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", administrator.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login]")
    page.goto(f"{live_server.url}/calendar/")
    expect(page.locator("[data-testid=status-2027]")).to_have_attribute("data-status", "estimated")
    table = page.locator("[data-testid=calendar-years]").bounding_box()
    assert table["x"] + table["width"] <= width  # on a phone the years stack, no row runs off the screen
    page.locator("tr[data-year='2027'] a").first.click()
    page.fill("#id_source", "国办发明电〔2026〕7号")
    page.fill("#id_days", NOTICE_2027.replace("2月14日", "2月15日"))  # a Monday: refused, the line named
    page.click("[data-testid=preview]")
    expect(page.locator("[data-testid=calendar-form]")).to_contain_text(re.compile(r"第 3 行|Line 3:"))
    expect(page.locator("[data-testid=save]")).to_have_count(0)
    page.fill("#id_days", NOTICE_2027)
    page.click("[data-testid=preview]")
    expect(page.locator("[data-testid=calendar-preview]")).to_contain_text("2027-02-20")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=status-2027]")).to_have_attribute("data-status", "entered")
    assert CalendarYear.objects.get(year=2027).entered_by == administrator
    assert CalendarDay.objects.filter(date__year=2027, kind=DayKind.WORKING_WEEKEND).count() == 2
    assert CalendarYear.history.filter(year=2027, history_user=administrator).count() == 1
