"""The plan says what is known about leaving and sailing (issue 14, finding 5): ETD and ETA not entered show
dates estimated from the projected ex-factory date, not just "estimated"; an order whose ex-factory step is
long past and still open is "overdue N days, no new date", not "forecast to leave the factory today"."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db


def panel(client, user, order, day) -> str:
    client.force_login(user)
    with at(day):
        return client.get(reverse("followup:order_plan", args=[order.pk])).content.decode()


def test_etd_and_eta_show_estimated_dates(client, salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 10, 12), ex_factory=date(2026, 12, 10))
    page = panel(client, merchandiser, order, date(2026, 10, 12))
    shown = re.search(r'data-testid="etd-eta">(.*?)</div>', page, re.S)[1]
    plan = order.plan
    etd = plan.projected_ex_factory + timedelta(days=plan.port_days)
    assert etd.isoformat() in shown and (etd + timedelta(days=plan.transit_days)).isoformat() in shown
    assert shown.count("估算") == 2


def test_a_long_overdue_ex_factory_is_not_forecast_for_today(client, salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 7, 1), ex_factory=date(2026, 8, 14))
    ex_step = order.plan.milestones.get(is_ex_factory=True)
    order.plan.milestones.exclude(pk=ex_step.pk).update(status="waived")  # all done but leaving the factory
    today = ex_step.due_date + timedelta(days=79)
    page = panel(client, merchandiser, order, today)
    projected = re.search(r'data-testid="projected-ex-factory">(.*?)</div></div>', page, re.S)[1]
    assert "逾期 79 天，尚无新日期" in projected and today.isoformat() not in projected
