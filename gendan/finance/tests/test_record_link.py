"""The plan's deposit and balance rows are done by receipts: instead of a done button, finance gets a link to
record the receipt, with the order's customer chosen; others get neither."""

import pytest
from django.utils import timezone

from gendan.followup.tests.factories import confirmed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    today = timezone.localdate()
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                           confirm_on=today, ex_factory=today + timezone.timedelta(days=60))


def test_finance_gets_the_record_link_and_the_form_knows_the_customer(client, order, finance):
    client.force_login(finance)
    panel = client.get(f"/followup/orders/{order.pk}/plan/").content.decode()
    assert 'data-testid="record-deposit"' in panel and 'data-testid="plan-done-deposit"' not in panel
    assert f"/finance/receipts/new/?customer={order.customer_id}" in panel
    form = client.get(f"/finance/receipts/new/?customer={order.customer_id}").content.decode()
    assert f'<option value="{order.customer_id}" selected>' in form
    assert client.get("/finance/receipts/new/?customer=x%27").status_code == 200  # nonsense is ignored


def test_the_salesperson_gets_neither_link_nor_button(client, order, salesperson):
    client.force_login(salesperson)
    panel = client.get(f"/followup/orders/{order.pk}/plan/").content.decode()
    assert 'data-testid="record-deposit"' not in panel and 'data-testid="plan-done-deposit"' not in panel


def test_the_cockpit_row_links_to_recording_the_receipt(client, salesperson, sales_manager, merchandiser, finance):
    today = timezone.localdate()
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=today - timezone.timedelta(days=10),
                            ex_factory=today + timezone.timedelta(days=60))
    client.force_login(finance)
    cockpit = client.get("/")
    assert cockpit.status_code == 200
    page = cockpit.content.decode()
    assert f'data-testid="milestone-deposit-{order.number}"' in page  # overdue: due 7 days after confirmation
    assert f"/finance/receipts/new/?customer={order.customer_id}" in page
