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
