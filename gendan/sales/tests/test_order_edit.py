"""Editing an order's header in the browser: the edit page's form, posted as the browser posts it, changes
the stored order (with its history, and on a confirmed order a revision and a re-dated plan)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.core.errors import ConcurrentChange
from gendan.followup.models import Plan
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderRevision, SalesOrder
from gendan.sales.services import order_confirm, order_submit, order_update
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, merchandiser):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME")
    return make_order(by=salesperson, customer=customer, customer_po="PO-1", merchandiser=merchandiser)


@pytest.fixture
def confirmed(order, salesperson, sales_manager):
    order_submit(order=order, by=salesperson)
    order_confirm(order=order, by=sales_manager)
    order.refresh_from_db()
    return order


def form_data(client, order, **changes) -> dict:
    """What the browser posts: the edit page's form as shown (with its hidden version), then the user's edits."""
    page = client.get(reverse("sales:order_edit", args=[order.pk]))
    assert page.status_code == 200
    data = {"version": re.search(r'name="version" value="(\d+)"', page.content.decode())[1]}
    for name in page.context["form"].fields:
        value = page.context["form"][name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, date) else str(value)
    return data | changes


def post_edit(client, order, data):
    return client.post(reverse("sales:order_edit", args=[order.pk]), data)


def history_count(order) -> int:
    return SalesOrder.history.filter(id=order.pk).count()


def test_editing_a_draft_saves_the_header_and_its_history(client, order, salesperson):
    client.force_login(salesperson)
    before = history_count(order)
    response = post_edit(client, order, form_data(client, order, customer_po="PO-1-B",
                                                  requested_ex_factory="2026-12-01"))
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    stored = SalesOrder.objects.get(pk=order.pk)
    assert stored.customer_po == "PO-1-B" and stored.requested_ex_factory == date(2026, 12, 1)
    assert stored.version == order.version + 1
    assert history_count(order) == before + 1
    latest = SalesOrder.history.filter(id=order.pk).latest("history_date")
    assert latest.customer_po == "PO-1-B" and latest.history_user == salesperson
    assert not OrderRevision.objects.filter(order=order).exists()  # a draft's changes are plain history


def test_editing_a_confirmed_order_makes_a_revision_and_moves_the_plan(client, confirmed, salesperson):
    client.force_login(salesperson)
    plan = Plan.objects.get(order=confirmed)
    old_date = confirmed.confirmed_ex_factory
    new_date = old_date + timedelta(days=14)
    before = history_count(confirmed)
    response = post_edit(client, confirmed, form_data(client, confirmed, confirmed_ex_factory=new_date.isoformat(),
                                                      reason="customer asked for two weeks more"))
    assert response.status_code == 302
    stored = SalesOrder.objects.get(pk=confirmed.pk)
    assert stored.confirmed_ex_factory == new_date and stored.status == OrderStatus.CONFIRMED
    assert stored.revision == 1
    revision = OrderRevision.objects.get(order=confirmed, number=1)
    assert revision.reason == "customer asked for two weeks more" and revision.created_by == salesperson
    assert revision.changes == [{"field": "confirmed_ex_factory", "old": old_date.isoformat(),
                                 "new": new_date.isoformat()}]
    assert history_count(confirmed) == before + 1
    plan.refresh_from_db()
    assert plan.ex_factory == new_date


@pytest.mark.parametrize("state", ["draft", "confirmed"])
def test_a_stale_edit_is_refused_and_changes_nothing(request, client, state, salesperson, merchandiser):
    order = request.getfixturevalue("confirmed" if state == "confirmed" else "order")
    client.force_login(salesperson)
    shown = form_data(client, order, customer_po="MINE", reason="typo")
    # meanwhile the merchandiser changes the order (the API, another tab, another person)
    order_update(order=SalesOrder.objects.get(pk=order.pk), by=merchandiser, version=order.version,
                 customer_po="THEIRS", reason="customer's new PO")
    stored = SalesOrder.objects.get(pk=order.pk)
    revisions, history = stored.revision, history_count(order)
    response = post_edit(client, order, shown)
    assert response.status_code == 200
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        message = str(ConcurrentChange(stored))
    assert response.context["form"].non_field_errors() == [message]
    assert message in response.content.decode()
    # the refused form keeps the version it was shown: saving it again is refused again
    assert f'name="version" value="{shown["version"]}"' in response.content.decode()
    after = SalesOrder.objects.get(pk=order.pk)
    assert after.customer_po == "THEIRS" and after.version == stored.version and after.revision == revisions
    assert history_count(order) == history


def test_the_service_compares_with_the_stored_order_not_the_callers_instance(order, salesperson):
    # a caller that wrote the new value onto the instance first (as a bound ModelForm does) still saves it
    order.customer_po = "CHANGED"
    order_update(order=order, by=salesperson, version=order.version, customer_po="CHANGED")
    assert SalesOrder.objects.get(pk=order.pk).customer_po == "CHANGED"
    assert history_count(order) == 2


def test_an_unchanged_form_saves_nothing(client, order, salesperson):
    client.force_login(salesperson)
    before = history_count(order)
    assert post_edit(client, order, form_data(client, order)).status_code == 302
    stored = SalesOrder.objects.get(pk=order.pk)
    assert stored.version == order.version and history_count(order) == before


def test_an_old_order_can_still_be_edited_its_unchanged_dates_are_not_rechecked(client, order, salesperson):
    # an order taken six years ago stays editable: only the dates a user changes must be near today
    SalesOrder.objects.filter(pk=order.pk).update(order_date=date.today() - timedelta(days=6 * 366))
    client.force_login(salesperson)
    response = post_edit(client, order, form_data(client, order, customer_po="PO-1-REV"))
    assert response.status_code == 302
    assert SalesOrder.objects.get(pk=order.pk).customer_po == "PO-1-REV"
    far = (date.today() + timedelta(days=6 * 366)).isoformat()
    response = post_edit(client, order, form_data(client, order, requested_ex_factory=far))
    assert response.status_code == 200 and "requested_ex_factory" in response.context["form"].errors
    assert SalesOrder.objects.get(pk=order.pk).requested_ex_factory != date.fromisoformat(far)


def test_an_unchanged_line_from_a_stale_page_is_refused(order, salesperson):
    from gendan.sales.services import order_line_update

    line = order.lines.first()
    shown = order.version
    order_update(order=order, by=salesperson, version=shown, customer_po="PO-2")
    with pytest.raises(ConcurrentChange):
        order_line_update(order=order, line=line, by=salesperson, version=shown, quantity=line.quantity)
