from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.services import order_confirm, order_submit
from gendan.sales.tests.factories import make_order

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    """Travel to `day` in the company's time zone."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def confirmed_order(*, salesperson, manager, merchandiser, confirm_on=date(2026, 9, 28),
                    ex_factory=date(2026, 11, 20), customer=None, **header):
    """An order confirmed through the services on `confirm_on` (which creates its plan)."""
    customer = customer or CustomerFactory(owner=salesperson, merchandiser=merchandiser)
    header.setdefault("deposit_percent", 30)
    with at(confirm_on):
        order = make_order(by=salesperson, customer=customer, order_date=confirm_on,
                           confirmed_ex_factory=ex_factory, merchandiser=merchandiser, **header)
        order_submit(order=order, by=salesperson)
        order_confirm(order=order, by=manager)
    return order


def planned_order(*, salesperson, manager, merchandiser, today: date = date(2026, 10, 12)):
    """A confirmed order whose plan is re-planned as of `today` (BOM and the material dates overdue)."""
    from gendan.followup.models import Plan
    from gendan.followup.replanning import plan_replan

    order = confirmed_order(salesperson=salesperson, manager=manager, merchandiser=merchandiser)
    plan_replan(Plan.objects.get(order=order), today=today)
    return order


def api_for(user):
    """An API client holding the user's token, in English."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client
