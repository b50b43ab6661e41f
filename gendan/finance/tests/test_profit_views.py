"""The expense, refund-rate and profit pages, and the profit part of the order's money card: who may see and do
what (both ways), bad input shown on the form with nothing saved, and the XLSX exports."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gendan.core.models import CompanyProfile, CompanyType
from gendan.finance.choices import ExpenseKind
from gendan.finance.models import Expense, RefundRate, VatRefund
from gendan.finance.services import expense_record
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def sheet(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_profit_and_expenses_are_for_finance_managers_and_the_gm_only(client, order, finance, general_manager,
                                                                      sales_manager, salesperson, merchandiser):
    pages = [reverse("finance:profit"), reverse("finance:expense_list"), reverse("finance:refund_rate_list")]
    for user in (finance, general_manager, sales_manager):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)
    for user in (salesperson, merchandiser):
        client.force_login(user)
        for url in [*pages, reverse("finance:expense_create")]:
            assert client.get(url).status_code == 403, (user, url)
    client.force_login(sales_manager)  # sees, does not record
    assert client.get(reverse("finance:expense_create")).status_code == 403
    assert client.post(reverse("finance:refund_rate_list"), {"hs_prefix": "8302"}).status_code == 403


def test_the_money_card_shows_profit_and_expenses_only_to_those_who_see_profit(client, order, finance, salesperson,
                                                                              merchandiser, sales_manager):
    expense_record(by=finance, order=order, kind=ExpenseKind.COURIER, amount=Decimal("345.67"), currency="CNY",
                   rate_to_cny=Decimal(1), incurred_on=date(2026, 10, 2), payee="SF Express", today=TODAY)
    url = reverse("finance:order_money", args=[order.pk])
    for user in (salesperson, merchandiser):
        client.force_login(user)
        card = client.get(url).content.decode()
        assert 'data-testid="money"' in card  # the payments, yes
        assert 'data-testid="order-profit"' not in card and "345.67" not in card and "SF Express" not in card
    client.force_login(sales_manager)
    card = client.get(url).content.decode()
    assert 'data-testid="order-profit"' in card and "CNY 345.67" in card and 'data-testid="add-expense"' not in card
    client.force_login(finance)
    card = client.get(url).content.decode()
    assert 'data-testid="add-expense"' in card and 'data-testid="refund-form"' in card


def test_recording_an_expense_through_the_form_and_its_bad_input(client, order, finance):
    client.force_login(finance)
    url = reverse("finance:expense_create") + f"?order={order.pk}"
    good = {"order": order.pk, "kind": ExpenseKind.FREIGHT, "incurred_on": "2026-11-02", "amount": "300",
            "currency": "eur", "rate_to_cny": "7.8", "payee": "Kuehne+Nagel", "reference": "KN-1"}
    with at(TODAY):
        for change, field in (({"currency": "CNY", "rate_to_cny": "7.8"}, "rate_to_cny"), ({"amount": "0"}, "amount"),
                              ({"amount": "-3"}, "amount"), ({"rate_to_cny": "0"}, "rate_to_cny"),
                              ({"incurred_on": "2026-12-01"}, "incurred_on")):
            response = client.post(url, {**good, **change})
            assert response.status_code == 200 and response.context["form"].errors.get(field), (change, field)
        assert not Expense.objects.exists()
        response = client.post(url, good)
    expense = Expense.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert (expense.currency, expense.amount, expense.recorded_by, expense.history.count()) == (
        "EUR", Decimal(300), finance, 1)


def test_voiding_an_expense_from_the_page(client, order, finance, sales_manager):
    expense = expense_record(by=finance, order=order, kind=ExpenseKind.BANK, amount=Decimal("50"), currency="CNY",
                             rate_to_cny=Decimal(1), incurred_on=date(2026, 10, 2), today=TODAY)
    url = reverse("finance:expense_void", args=[expense.pk])
    client.force_login(sales_manager)
    client.post(url, {"version": expense.version, "reason": "twice"})
    expense.refresh_from_db()
    assert not expense.is_void
    client.force_login(finance)
    response = client.post(url, {"version": expense.version, "reason": "Entered twice", "back": "order"})
    expense.refresh_from_db()
    assert response["Location"] == order.get_absolute_url() and expense.void_reason == "Entered twice"


def test_the_expense_list_filters_and_exports(client, order, finance):
    for kind, amount in ((ExpenseKind.FREIGHT, "1000"), (ExpenseKind.COURIER, "=HYPERLINK(1)")):
        if kind == ExpenseKind.COURIER:
            expense_record(by=finance, order=order, kind=kind, amount=Decimal("88"), currency="CNY",
                           rate_to_cny=Decimal(1), incurred_on=date(2026, 10, 3), payee=amount, today=TODAY)
        else:
            expense_record(by=finance, order=order, kind=kind, amount=Decimal(amount), currency="CNY",
                           rate_to_cny=Decimal(1), incurred_on=date(2026, 10, 2), today=TODAY)
    client.force_login(finance)
    page = client.get(reverse("finance:expense_list"), {"kind": "courier"})
    assert len(page.context["page"].object_list) == 1
    rows = sheet(client.get(reverse("finance:expense_list"), {"export": "xlsx"}))
    assert len(rows) == 3 and "=HYPERLINK(1)" in {cell for row in rows for cell in row}  # as text


def test_finance_adds_and_changes_a_refund_rate(client, finance):
    client.force_login(finance)
    url = reverse("finance:refund_rate_list")
    bad = client.post(url, {"hs_prefix": "8302", "refund_rate": "15", "vat_rate": "13", "valid_from": "2026-01-01"})
    assert bad.status_code == 400 and bad.context["form"].errors["refund_rate"]
    assert client.post(url, {"hs_prefix": "8302.10", "refund_rate": "13", "vat_rate": "13",
                             "valid_from": "2026-01-01"}).status_code == 302
    rate = RefundRate.objects.get()
    assert (rate.hs_prefix, rate.refund_rate, rate.history.get().history_user) == ("830210", 13, finance)
    edit = reverse("finance:refund_rate_edit", args=[rate.pk])
    client.post(edit, {"version": rate.version, "hs_prefix": "830210", "refund_rate": "9", "vat_rate": "13",
                       "valid_from": "2026-01-01", "valid_to": "2026-12-31"})
    rate.refresh_from_db()
    assert (rate.refund_rate, rate.valid_to, rate.history.count()) == (9, date(2026, 12, 31), 2)


def test_finance_records_the_declared_refund_from_the_order(client, order, finance, salesperson):
    refund = VatRefund.objects.get(order=order)
    url = reverse("finance:vat_refund_record", args=[order.pk])
    client.force_login(salesperson)
    client.post(url, {"version": refund.version, "declared_cny": "100", "declared_on": "2026-11-02"})
    refund.refresh_from_db()
    assert refund.declared_cny is None
    client.force_login(finance)
    with at(TODAY):
        client.post(url, {"version": refund.version, "declared_cny": "100", "declared_on": "2026-12-02"})
        refund.refresh_from_db()
        assert refund.declared_cny is None  # a future day is refused
        client.post(url, {"version": refund.version, "declared_cny": "1234.50", "declared_on": "2026-11-02"})
    refund.refresh_from_db()
    assert (refund.declared_cny, refund.declared_on) == (Decimal("1234.50"), date(2026, 11, 2))
    CompanyProfile.objects.create(pk=CompanyProfile.ROW, company_type=CompanyType.MANUFACTURER)
    client.post(url, {"action": "estimate"})
    refund.refresh_from_db()
    assert refund.method == CompanyType.MANUFACTURER and refund.declared_cny == Decimal("1234.50")


def test_the_profit_page_lists_orders_groups_them_and_exports(client, order, finance, salesperson, sales_manager,
                                                              merchandiser):
    confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    client.force_login(finance)
    url = reverse("finance:profit")
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["page"].object_list) == 2
    assert page.context["totals"]["orders"] == 2
    assert f'data-testid="profit-{order.number}"' in page.content.decode()
    for group in ("customer", "salesperson", "month"):
        grouped = client.get(url, {"group": group})
        assert grouped.status_code == 200 and sum(row["orders"] for row in grouped.context["rows"]) == 2
        rows = sheet(client.get(url, {"group": group, "export": "xlsx"}))
        assert len(rows) == 1 + len(grouped.context["rows"])
    rows = sheet(client.get(url, {"export": "xlsx"}))
    assert len(rows) == 3 and {row[0] for row in rows[1:]} >= {order.number}
    assert client.get(url, {"ordering": "-profit", "customer": order.customer_id}).context["page"].paginator.count == 1
