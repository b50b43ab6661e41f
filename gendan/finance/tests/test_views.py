"""The receipt pages and the order page's payments card, through the views: who may, who may not, and bad
input shown on its row with nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Allocation, GateException, Receipt, ScheduleLine
from gendan.finance.tests.factories import bank_account, record
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 8)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def test_receipts_are_finances_and_the_general_managers(client, finance, general_manager, salesperson,
                                                        merchandiser, sales_manager):
    for user, status in ((finance, 200), (general_manager, 200), (salesperson, 403), (merchandiser, 403),
                         (sales_manager, 403)):
        client.force_login(user)
        assert client.get(reverse("finance:receipt_list")).status_code == status
        assert client.get(reverse("finance:receipt_create")).status_code == status


def test_recording_a_receipt_through_the_form(client, order, finance):
    account = bank_account("USD")
    client.force_login(finance)
    with at(TODAY):
        response = client.post(reverse("finance:receipt_create"), {
            "customer": order.customer_id, "received_on": "2026-10-06", "bank_account": account.pk,
            "amount": "750", "bank_charges": "15", "rate_to_cny": "7.1", "reference": "FT1"})
    receipt = Receipt.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance:receipt_detail", args=[receipt.pk])
    assert (receipt.currency, receipt.amount, receipt.status, receipt.recorded_by) == (
        "USD", 750, ReceiptStatus.RECORDED, finance)


def test_a_future_receipt_is_refused_on_the_form(client, order, finance):
    client.force_login(finance)
    with at(TODAY):
        response = client.post(reverse("finance:receipt_create"), {
            "customer": order.customer_id, "received_on": "2026-10-09", "bank_account": bank_account("USD").pk,
            "amount": "750", "bank_charges": "0", "rate_to_cny": "7.1"})
    assert response.status_code == 200 and "到账日期不能晚于今天" in response.content.decode()
    assert not Receipt.objects.exists()


def test_over_allocating_shows_the_message_on_its_row_and_saves_nothing(client, order, finance):
    receipt = record(by=finance, customer=order.customer, amount="2000")
    deposit = ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)
    client.force_login(finance)
    page = client.get(reverse("finance:receipt_detail", args=[receipt.pk])).content.decode()
    assert f'name="line-{deposit.pk}"' in page
    response = client.post(reverse("finance:receipt_allocate", args=[receipt.pk]),
                           {"version": receipt.version, f"line-{deposit.pk}": "800"})
    assert response.status_code == 400 and "USD 750.00" in response.content.decode()
    assert not Allocation.objects.exists()
    response = client.post(reverse("finance:receipt_allocate", args=[receipt.pk]),
                           {"version": receipt.version, f"line-{deposit.pk}": "abc"})
    assert response.status_code == 400 and not Allocation.objects.exists()


def test_the_order_page_shows_its_payments_and_gates_to_whoever_sees_the_order(client, order, merchandiser,
                                                                              other_salesperson, finance):
    client.force_login(merchandiser)
    with at(TODAY):
        card = client.get(reverse("finance:order_money", args=[order.pk])).content.decode()
    assert "USD 750.00" in card and "USD 1,750.00" in card and 'data-testid="exception-form"' not in card
    client.force_login(other_salesperson)
    assert client.get(reverse("finance:order_money", args=[order.pk])).status_code == 404
    client.force_login(finance)
    with at(TODAY):
        client.post(reverse("finance:gate_exception_grant", args=[order.pk]),
                    {"gate": "production", "reason": "deposit by L/C", "expires_on": ""})
    assert GateException.objects.get().granted_by == finance
    client.force_login(merchandiser)
    with at(TODAY):
        assert client.post(reverse("finance:gate_exception_grant", args=[order.pk]),
                           {"gate": "shipment", "reason": "please"}).status_code == 403
    assert GateException.objects.count() == 1  # refused: merchandisers do not lift gates


def test_pages_offer_no_done_by_hand_for_money_milestones(client, order, finance):
    client.force_login(finance)
    with at(TODAY):
        panel = client.get(reverse("followup:order_plan", args=[order.pk])).content.decode()
        cockpit = client.get(reverse("home")).content.decode()
    assert 'data-testid="plan-row-deposit"' in panel
    assert 'data-testid="plan-done-deposit"' not in panel and 'data-testid="plan-waive-deposit"' not in panel
    deposit = order.plan.milestones.get(code="deposit")
    assert f'data-testid="milestone-deposit-{order.number}"' in cockpit  # finance sees it due …
    assert f'data-testid="done-{deposit.pk}"' not in cockpit  # … and records the receipt instead
    with at(TODAY):
        form = client.get(reverse("followup:milestone_form", args=[deposit.pk, "done"]))
    assert form.status_code == 403


def test_receivables_aging_page_and_its_export(client, order, finance, salesperson):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(finance)
    page = client.get(reverse("finance:receivables"), {"as_of": "2026-10-20"}).content.decode()
    row = page.split(f'data-testid="aging-{order.customer.code}-USD"', 1)[1].split("</tr>", 1)[0]
    assert "USD 750.00" in row and "USD 1,750.00" in row and "USD 2,500.00" in row
    export = client.get(reverse("finance:receivables"), {"as_of": "2026-10-20", "export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    values = [cell.value for cell in list(sheet.rows)[1]]
    assert values[0] == order.customer.code and values[2] == "USD"
    assert [Decimal(str(v)) for v in values[3:]] == [Decimal(1750), Decimal(750), 0, 0, 0, Decimal(2500)]
    client.force_login(salesperson)
    assert client.get(reverse("finance:receivables")).status_code == 403


def test_finance_keeps_the_bank_accounts(client, finance, salesperson):
    from gendan.finance.models import BankAccount

    client.force_login(finance)
    fields = {"name": "中行美元户", "currency": "usd", "beneficiary": "Hengtai", "bank_name": "Bank of China",
              "account_no": "3583 0001", "swift": "BKCHCNBJ92A", "is_active": "on", "version": "0"}
    assert client.post(reverse("finance:bank_account_create"), fields).status_code == 302
    account = BankAccount.objects.get()
    assert (account.currency, account.history.first().history_user) == ("USD", finance)
    bad = client.post(reverse("finance:bank_account_edit", args=[account.pk]), {**fields, "swift": "nope"})
    assert bad.status_code == 200 and BankAccount.objects.get().swift == "BKCHCNBJ92A"
    client.post(reverse("finance:bank_account_edit", args=[account.pk]), {**fields, "is_active": "", "version": "0"})
    account.refresh_from_db()
    assert not account.is_active and account.version == 1
    stale = client.post(reverse("finance:bank_account_edit", args=[account.pk]), {**fields, "version": "0"})
    assert stale.status_code == 200 and not BankAccount.objects.get().is_active  # changed meanwhile: not saved
    client.force_login(salesperson)
    assert client.get(reverse("finance:bank_account_list")).status_code == 403
    assert client.post(reverse("finance:bank_account_create"), fields).status_code == 403


def test_the_customer_page_shows_what_they_owe_by_age_and_what_is_on_account(client, order, finance, salesperson,
                                                                             other_salesperson):
    from gendan.finance.services import receipt_confirm

    receipt = record(by=finance, customer=order.customer, amount="300")
    receipt_confirm(receipt=receipt, by=finance, version=receipt.version)  # not allocated: on account
    url = reverse("finance:customer_money", args=[order.customer_id])
    client.force_login(salesperson)
    with at(date(2026, 10, 20)):  # the deposit 15 days late: shown, not flagged
        card = client.get(url).content.decode()
    assert "USD 2,500.00" in card and "USD 750.00" in card and 'data-testid="overdue-flag"' not in card
    assert 'data-testid="credit-USD"' in card and "USD 300.00" in card
    with at(date(2026, 11, 20)):  # 46 days late
        assert 'data-testid="overdue-flag"' in client.get(url).content.decode()
    client.force_login(other_salesperson)
    assert client.get(url).status_code == 404
