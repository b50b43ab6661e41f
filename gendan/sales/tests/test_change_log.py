"""An order's change log shows what changed: its header's fields and its lines' (added, changed, removed), as a
person reads them — the payment term's name, not its id; yes/no, not True (issue 14, findings 7 and 9: the log
showed only "created")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.parties.models import PaymentTerm
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.selectors import order_change_log
from gendan.sales.services import order_line_update, order_update
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


def test_the_change_log_shows_header_and_line_changes_readably(client, salesperson):
    customer = CustomerFactory(owner=salesperson)
    term = PaymentTerm.objects.create(name="T/T 30/70", deposit_percent=30, balance_condition="against_copy_bl")
    order = make_order(by=salesperson, customer=customer, incoterm_place="Ningbo", quantity="1000")
    order_update(order=order, by=salesperson, version=0, payment_term=term, needs_samples=True)
    line = order.lines.order_by("position").first()
    order_line_update(order=order, line=line, by=salesperson, version=1, quantity=Decimal("1200"))

    log = order_change_log(order)
    assert [(e.subject, e.kind) for e in log][:2] == [("第 1 行", "~"), ("", "~")]
    assert log[0].changes == [("数量", "1,000.000", "1,200.000")] and log[0].who == salesperson
    header = {label: (old, new) for label, old, new in log[1].changes}
    assert header == {"付款方式": ("", "T/T 30/70"), "产前样": ("否", "是"), "定金比例 (%)": ("0.00", "30.00")}

    client.force_login(salesperson)
    page = client.get(reverse("sales:order_detail", args=[order.pk])).content.decode()
    assert "第 1 行" in page and "T/T 30/70" in page and "True" not in page
