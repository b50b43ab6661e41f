"""Money through the API: the same services, permissions and errors as the pages."""

from datetime import date

import pytest

from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Allocation, GateException, Receipt, ScheduleLine
from gendan.finance.tests.factories import bank_account
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import api_for, at, confirmed_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 8)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def test_finance_records_allocates_and_confirms_a_receipt(order, finance):
    api, account = api_for(finance), bank_account("USD")
    deposit = ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)
    with at(TODAY):
        created = api.post("/api/v1/receipts/", {
            "customer": order.customer_id, "received_on": "2026-10-06", "bank_account": account.pk,
            "amount": "800.00", "bank_charges": "15.00", "rate_to_cny": "7.1023", "reference": "FT1"}, format="json")
        assert created.status_code == 201, created.json()
        receipt = created.json()
        assert (receipt["currency"], receipt["status"], receipt["unallocated"]) == ("USD", "recorded", "800.000")
        url = f"/api/v1/receipts/{receipt['id']}/"
        too_much = api.post(url + "allocate/", {"version": receipt["version"], "allocations": [
            {"line": deposit.pk, "amount": "760"}]}, format="json")
        assert too_much.status_code == 400 and "allocations.0.amount" in too_much.json()["errors"]
        allocated = api.post(url + "allocate/", {"version": receipt["version"], "allocations": [
            {"line": deposit.pk, "amount": "750"}]}, format="json").json()
        assert allocated["unallocated"] == "50.000" and allocated["allocations"][0]["order_number"] == order.number
        stale = api.post(url + "confirm/", {"version": receipt["version"]}, format="json")
        assert stale.status_code == 409 and stale.json()["code"] == "concurrent_change"
        confirmed = api.post(url + "confirm/", {"version": allocated["version"]}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == ReceiptStatus.CONFIRMED
    assert Milestone.objects.get(plan__order=order, code="deposit").status == MilestoneStatus.DONE
    assert Allocation.objects.get().amount == 750


def test_a_salesperson_has_no_receipts_but_sees_the_money_of_their_order(order, salesperson, other_salesperson):
    assert api_for(salesperson).get("/api/v1/receipts/").status_code == 403
    assert api_for(salesperson).post("/api/v1/receipts/", {}, format="json").status_code == 403
    with at(TODAY):
        money = api_for(salesperson).get(f"/api/v1/orders/{order.pk}/money/")
    assert money.status_code == 200
    body = money.json()
    assert [line["kind"] for line in body["schedule"]] == ["deposit", "balance"]
    assert body["production"]["allowed"] is False and "USD 750.00" in body["production"]["reason"]
    assert api_for(other_salesperson).get(f"/api/v1/orders/{order.pk}/money/").status_code == 404


def test_exceptions_are_posted_on_the_orders_money(order, finance, merchandiser):
    url = f"/api/v1/orders/{order.pk}/money/"
    with at(TODAY):
        assert api_for(merchandiser).post(url, {"gate": "production", "reason": "x"},
                                          format="json").status_code == 403
        missing = api_for(finance).post(url, {"gate": "production", "reason": " "}, format="json")
        assert missing.status_code == 400 and "reason" in missing.json()["errors"]
        granted = api_for(finance).post(url, {"gate": "production", "reason": "L/C by fax"}, format="json")
    assert granted.status_code == 201 and granted.json()["production"]["allowed"] is True
    assert GateException.objects.get().granted_by == finance


def test_receivables_aging(order, finance, salesperson):
    rows = api_for(finance).get("/api/v1/receivables/", {"as_of": "2026-10-20"}).json()
    assert rows == [{"customer": order.customer_id, "customer_code": order.customer.code, "currency": "USD",
                     "not_due": "1750.000", "days_1_30": "750.000", "days_31_60": "0.000", "days_61_90": "0.000",
                     "over_90": "0.000", "total": "2500.000"}]
    assert api_for(finance).get("/api/v1/receivables/", {"as_of": "not a day"}).status_code == 400
    assert api_for(salesperson).get("/api/v1/receivables/").status_code == 403
    assert not Receipt.objects.exists()


# ---------------------------------------------------------------- expenses, refund rates, profit


def test_finance_records_and_voids_an_expense_and_reads_the_profit(order, finance, sales_manager):
    from decimal import Decimal

    from gendan.finance.models import Expense

    api = api_for(finance)
    profit_before = api.get(f"/api/v1/orders/{order.pk}/profit/").json()
    with at(TODAY):
        bad = api.post("/api/v1/expenses/", {"order": order.pk, "kind": "freight", "amount": "300", "currency": "CNY",
                                             "rate_to_cny": "7.8", "incurred_on": "2026-10-06"}, format="json")
        assert bad.status_code == 400 and "rate_to_cny" in bad.json()["errors"]
        future = api.post("/api/v1/expenses/", {"order": order.pk, "kind": "freight", "amount": "300",
                                                "currency": "EUR", "rate_to_cny": "7.8", "incurred_on": "2026-10-09"},
                          format="json")
        assert future.status_code == 400 and "incurred_on" in future.json()["errors"]
        created = api.post("/api/v1/expenses/", {"order": order.pk, "kind": "freight", "amount": "300",
                                                 "currency": "EUR", "rate_to_cny": "7.8", "incurred_on": "2026-10-06",
                                                 "payee": "Kuehne+Nagel"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["currency"], body["amount_cny"]) == ("EUR", "2340.00")
    profit = api.get(f"/api/v1/orders/{order.pk}/profit/").json()
    assert Decimal(profit["expenses_cny"]) == Decimal("2340.00")
    assert Decimal(profit_before["profit_cny"]) - Decimal(profit["profit_cny"]) == Decimal("2340.00")
    assert [e["id"] for e in profit["expenses"]] == [body["id"]]
    assert api_for(sales_manager).get(f"/api/v1/orders/{order.pk}/profit/").status_code == 200
    assert api_for(sales_manager).post(f"/api/v1/expenses/{body['id']}/void/", {"version": body["version"],
                                       "reason": "no"}, format="json").status_code == 403
    voided = api.post(f"/api/v1/expenses/{body['id']}/void/", {"version": body["version"], "reason": "Twice"},
                      format="json")
    assert voided.status_code == 200 and voided.json()["void_reason"] == "Twice"
    assert Expense.objects.get().voided_by == finance
    assert api.get("/api/v1/expenses/", {"state": "void"}).json()["count"] == 1


def test_salespeople_and_merchandisers_see_no_profit_expenses_or_rates(order, salesperson, merchandiser,
                                                                       other_salesperson, finance):
    for user in (salesperson, merchandiser):
        api = api_for(user)
        assert api.get(f"/api/v1/orders/{order.pk}/profit/").status_code == 403
        assert api.get("/api/v1/expenses/").status_code == 403
        assert api.post("/api/v1/expenses/", {}, format="json").status_code == 403
        assert api.get("/api/v1/refund-rates/").status_code == 403
    assert api_for(other_salesperson).get(f"/api/v1/orders/{order.pk}/profit/").status_code == 404


def test_finance_keeps_refund_rates_through_the_api(finance, sales_manager):
    api = api_for(finance)
    created = api.post("/api/v1/refund-rates/", {"hs_prefix": "8302.10", "refund_rate": "13", "vat_rate": "13",
                                                 "valid_from": "2026-01-01"}, format="json")
    assert created.status_code == 201, created.json()
    rate = created.json()
    assert rate["hs_prefix"] == "830210"
    too_high = api.post("/api/v1/refund-rates/", {"hs_prefix": "7323", "refund_rate": "15", "vat_rate": "13",
                                                  "valid_from": "2026-01-01"}, format="json")
    assert too_high.status_code == 400 and "refund_rate" in too_high.json()["errors"]
    changed = api.patch(f"/api/v1/refund-rates/{rate['id']}/", {"version": rate["version"], "refund_rate": "9"},
                        format="json")
    assert changed.status_code == 200 and changed.json()["refund_rate"] == "9.00"
    stale = api.patch(f"/api/v1/refund-rates/{rate['id']}/", {"version": rate["version"], "refund_rate": "5"},
                      format="json")
    assert stale.status_code == 409
    assert api_for(sales_manager).get("/api/v1/refund-rates/").json()["count"] == 1
    assert api_for(sales_manager).post("/api/v1/refund-rates/", {}, format="json").status_code == 403


def test_finance_takes_an_allocation_off_and_pays_back_through_the_api(order, finance, salesperson):
    api, account = api_for(finance), bank_account("USD")
    deposit = ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)
    with at(TODAY):
        receipt = api.post("/api/v1/receipts/", {
            "customer": order.customer_id, "received_on": "2026-10-06", "bank_account": account.pk,
            "amount": "800.00", "rate_to_cny": "7.1"}, format="json").json()
        url = f"/api/v1/receipts/{receipt['id']}/"
        receipt = api.post(url + "allocate/", {"version": receipt["version"], "allocations": [
            {"line": deposit.pk, "amount": "750"}]}, format="json").json()
        receipt = api.post(url + "confirm/", {"version": receipt["version"]}, format="json").json()
        allocation = receipt["allocations"][0]["id"]
        nameless = api.post(url + "release/", {"version": receipt["version"], "allocation": allocation,
                                               "reason": ""}, format="json")
        assert nameless.status_code == 400 and "reason" in nameless.json()["errors"]
        assert api_for(salesperson).post(url + "release/", {"version": receipt["version"], "allocation": allocation,
                                                            "reason": "x"}, format="json").status_code in (403, 404)
        released = api.post(url + "release/", {"version": receipt["version"], "allocation": allocation,
                                               "reason": "wrong order"}, format="json")
        assert released.status_code == 200 and released.json()["unallocated"] == "800.000"
        assert Milestone.objects.get(plan__order=order, code="deposit").status == MilestoneStatus.OPEN
        too_much = api.post(url + "refund/", {"version": released.json()["version"], "amount": "800.01",
                                              "refunded_on": "2026-10-07", "reason": "overpaid"}, format="json")
        assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]
        refunded = api.post(url + "refund/", {"version": released.json()["version"], "amount": "800",
                                              "refunded_on": "2026-10-07", "reason": "order cancelled"},
                            format="json")
    assert refunded.status_code == 200, refunded.json()
    assert refunded.json()["unallocated"] == "0.000" and refunded.json()["refunds"][0]["reason"] == "order cancelled"
