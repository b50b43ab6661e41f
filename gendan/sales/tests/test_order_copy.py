"""Copy as new order (issue 14, finding 9): a repeat order starts as a draft with the old order's terms,
requirements and lines at their prices; its PO number and dates are its own; products no longer sold stay out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderEvent, SalesOrder, SalesOrderLine

LINE_COLUMNS = ("product_id", "quantity", "unit_price", "unit", "customer_item_no", "description")


def lines_of(order) -> list[tuple]:
    return list(order.lines.order_by("position").values_list(*LINE_COLUMNS))


def check_copy(copy: SalesOrder, original: SalesOrder, by, lines: list[tuple]) -> None:
    assert copy.pk != original.pk and copy.status == OrderStatus.DRAFT and copy.customer == original.customer
    assert (copy.customer_po, copy.confirmed_ex_factory, copy.requested_ex_factory) == ("", None, None)
    assert copy.order_date == timezone.localdate() and copy.created_by == by
    for name in ("currency", "incoterm", "incoterm_place", "payment_term", "deposit_percent", "balance_condition",
                 "needs_samples", "shipping_marks", "packing_requirements"):
        assert getattr(copy, name) == getattr(original, name), name
    assert lines_of(copy) == lines
    event = OrderEvent.objects.get(order=copy)
    assert (event.kind, event.by, original.number in event.note) == ("created", by, True)
    assert copy.history.get().history_user == by
    assert SalesOrderLine.history.filter(order_id=copy.pk, history_type="+").count() == len(lines)


@pytest.mark.django_db
def test_a_salesperson_copies_a_confirmed_order(client, salesperson, sales_manager, merchandiser):
    original = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                               customer_po="PO-2026-118", shipping_marks="HT / CARTON 1-UP", needs_samples=True)
    before = (original.version, original.history.count())
    client.force_login(salesperson)
    response = client.post(reverse("sales:order_copy", args=[original.pk]))
    copy = SalesOrder.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    check_copy(copy, original, salesperson, lines_of(original))
    original.refresh_from_db()
    assert (original.version, original.history.count()) == before  # the original is untouched


@pytest.mark.django_db
def test_products_no_longer_sold_are_left_out_and_said_so(client, salesperson):
    from gendan.sales.tests.factories import make_order

    original = make_order(by=salesperson, customer=CustomerFactory(owner=salesperson), lines=3)
    gone = original.lines.order_by("position").first().product
    gone.is_active = False
    gone.save()
    client.force_login(salesperson)
    page = client.post(reverse("sales:order_copy", args=[original.pk]), follow=True).content.decode()
    copy = SalesOrder.objects.exclude(pk=original.pk).get()
    assert [row[0] for row in lines_of(copy)] == [row[0] for row in lines_of(original)[1:]]
    assert "1 行未复制：其产品已停售。" in page


@pytest.mark.django_db
def test_who_may_not_copy_gets_nothing(client, salesperson, other_salesperson, warehouse, sales_manager,
                                       merchandiser):
    original = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    client.force_login(warehouse)  # sees the order, may not open orders
    assert client.post(reverse("sales:order_copy", args=[original.pk])).status_code == 403
    client.force_login(other_salesperson)  # may open orders, does not see this one
    assert client.post(reverse("sales:order_copy", args=[original.pk])).status_code == 404
    assert client.get(reverse("sales:order_copy", args=[original.pk])).status_code in (404, 405)
    assert SalesOrder.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_copy_as_new_order_in_the_browser(page, live_server, salesperson, sales_manager, merchandiser, warehouse,
                                          width):
    original = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                               confirm_on=timezone.localdate() - timedelta(days=3),
                               ex_factory=timezone.localdate() + timedelta(days=40), customer_po="PO-77")
    problems = log_in(page, live_server, warehouse, width)
    page.goto(f"{live_server.url}{original.get_absolute_url()}")
    expect(page.locator("[data-testid=copy-order]")).to_have_count(0)

    problems = switch_user(page, live_server, salesperson, width)
    page.goto(f"{live_server.url}{original.get_absolute_url()}")
    page.click("[data-testid=copy-order]")
    expect(page.locator("[data-testid=lines]")).to_be_visible()
    copy = SalesOrder.objects.exclude(pk=original.pk).get()
    assert page.url.endswith(copy.get_absolute_url())
    expect(page.locator(".page-title")).to_contain_text(copy.number)
    check_copy(copy, original, salesperson, lines_of(original))
    assert problems == []
