"""Credit: confirming an order that takes its customer's exposure past the credit limit needs a manager's approval,
which covers the order's total as it was asked for (a smaller total later, not a larger one). The check holds at
every entry point: the services, the API, a copied order, an order sent back and confirmed again."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.errors import ConcurrentChange, InvalidTransition
from gendan.finance.choices import CreditApprovalStatus
from gendan.finance.credit import credit_check
from gendan.finance.models import CreditApproval, ScheduleLine
from gendan.finance.selectors import credit_exposure
from gendan.finance.services import credit_approval_decide, credit_approval_request
from gendan.finance.tests.factories import pay
from gendan.followup.models import Notification, ReminderKind
from gendan.followup.tests.factories import api_for, at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.services import (
    order_cancel,
    order_confirm,
    order_copy,
    order_line_update,
    order_return_to_draft,
    order_submit,
    order_update,
)
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 8)


@pytest.fixture
def customer(salesperson, merchandiser):
    """Credit limit USD 10,000.00."""
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US", credit_limit=10000)


def confirmed(customer, people, **header):
    salesperson, manager, merchandiser = people
    return confirmed_order(salesperson=salesperson, manager=manager, merchandiser=merchandiser, customer=customer,
                           **header)


def submitted(customer, salesperson, **header):
    """An order waiting for review: 2 lines × 1,000 × `price` (USD 2,500.00 at 1.25)."""
    with at(DAY):
        order = make_order(by=salesperson, customer=customer, order_date=DAY, **header)
        order_submit(order=order, by=salesperson)
    return order


def refused(action) -> str:
    with pytest.raises(ValidationError) as error, at(DAY):
        action()
    return " ".join(error.value.message_dict["status"])


@pytest.fixture
def people(salesperson, sales_manager, merchandiser):
    return salesperson, sales_manager, merchandiser


def test_exposure_counts_open_money_on_confirmed_orders_once(customer, people, salesperson, sales_manager, finance):
    a = confirmed(customer, people)  # 2,500.00: deposit 750.00 paid, balance 1,750.00 open
    pay(a, by=finance, kinds=["deposit"])
    b = confirmed(customer, people, price="2.00")  # 4,000.00, nothing paid
    c = confirmed(customer, people)  # cancelled: owes nothing
    with at(DAY):
        order_cancel(order=c, by=sales_manager, reason="customer withdrew")
    submitted(customer, salesperson)  # waiting for review: not exposure yet
    exposure = credit_exposure(customer, "USD")
    assert (exposure.receivables, exposure.unscheduled, exposure.total) == (Decimal(5750), 0, Decimal(5750))

    # an open order without a schedule (confirmed before schedules existed) counts at its total instead
    ScheduleLine.objects.filter(order=b).delete()
    exposure = credit_exposure(customer, "USD")
    assert (exposure.receivables, exposure.unscheduled, exposure.total) == (Decimal(1750), Decimal(4000),
                                                                            Decimal(5750))
    # orders in another currency are not converted, so they do not count against a USD limit
    assert credit_exposure(customer, "EUR").total == 0


def test_an_order_within_the_limit_is_confirmed_and_one_past_it_is_refused(customer, people, salesperson,
                                                                          sales_manager, finance):
    a = confirmed(customer, people)
    pay(a, by=finance, kinds=["deposit"])
    confirmed(customer, people, price="2.00")  # exposure now 1,750.00 + 4,000.00 = 5,750.00
    fits = submitted(customer, salesperson)  # + 2,500.00 = 8,250.00 ≤ 10,000.00
    assert not credit_check(fits).needs_approval
    with at(DAY):
        order_confirm(order=fits, by=sales_manager)
    too_much = submitted(customer, salesperson, price="1.00")  # 8,250.00 + 2,000.00 = 10,250.00 > 10,000.00
    message = refused(lambda: order_confirm(order=too_much, by=sales_manager))
    assert message == ("Confirming takes ACME-US's exposure to USD 10,250.00, past its credit limit of "
                       "USD 10,000.00: it needs a credit approval. Request one on the order page.")
    too_much.refresh_from_db()
    assert too_much.status == OrderStatus.UNDER_REVIEW
    assert not too_much.schedule_lines.exists()  # nothing half-done


def test_no_limit_means_nothing_is_checked(people, salesperson, sales_manager, merchandiser):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, credit_limit=0)
    order = submitted(customer, salesperson, price="1000")  # 2,000,000.00
    assert credit_check(order).limit is None and not credit_check(order).needs_approval
    with at(DAY):
        order_confirm(order=order, by=sales_manager)


def test_an_order_in_another_currency_than_the_limit_needs_an_approval(customer, salesperson, sales_manager):
    order = submitted(customer, salesperson, currency="EUR")
    check = credit_check(order)
    assert check.foreign and check.needs_approval and check.exposure == 0
    assert "in EUR" in refused(lambda: order_confirm(order=order, by=sales_manager))


def test_approved_credit_lets_the_order_be_confirmed(customer, salesperson, sales_manager):
    order = submitted(customer, salesperson, price="6.00")  # 12,000.00 > 10,000.00
    with at(DAY):
        approval = credit_approval_request(order=order, by=salesperson, reason="Pays in 30 days, 8 years with us")
    assert (approval.status, approval.amount, approval.currency, approval.exposure, approval.credit_limit,
            approval.limit_currency, approval.requested_by) == (
        CreditApprovalStatus.REQUESTED, Decimal(12000), "USD", Decimal(12000), Decimal(10000), "USD", salesperson)
    assert "credit approval" in refused(lambda: order_confirm(order=order, by=sales_manager))  # not yet decided
    with at(DAY):
        credit_approval_decide(approval=approval, by=sales_manager, approve=True, version=approval.version,
                               note="OK for this order")
        order_confirm(order=order, by=sales_manager)
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.decision_note) == (
        CreditApprovalStatus.APPROVED, sales_manager, "OK for this order")
    assert list(approval.history.order_by("history_id").values_list("status", "history_user")) == [
        ("requested", salesperson.pk), ("approved", sales_manager.pk)]
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def approve(order, *, by, manager):
    with at(DAY):
        approval = credit_approval_request(order=order, by=by, reason="Good payer")
        return credit_approval_decide(approval=approval, by=manager, approve=True, version=approval.version)


def test_the_approval_covers_a_smaller_total_but_not_a_larger_one(customer, salesperson, sales_manager):
    smaller = submitted(customer, salesperson, price="6.00")  # 12,000.00
    larger = submitted(customer, salesperson, price="6.00")
    for order in (smaller, larger):
        approve(order, by=salesperson, manager=sales_manager)
        with at(DAY):
            order_return_to_draft(order=order, by=sales_manager, reason="quantities to check")
    for order, quantity in ((smaller, "800"), (larger, "1200")):  # 10,800.00 and 13,200.00
        order.refresh_from_db()
        line = order.lines.order_by("position").first()
        with at(DAY):
            order_line_update(order=order, line=line, by=salesperson, version=order.version,
                              quantity=Decimal(quantity))
            order_submit(order=order, by=salesperson)
    with at(DAY):
        order_confirm(order=smaller, by=sales_manager)  # re-confirmed within what was approved
    # 10,800.00 now owed on the smaller one + 13,200.00
    assert "USD 24,000.00" in refused(lambda: order_confirm(order=larger, by=sales_manager))
    check = credit_check(larger)
    assert check.approval is None and check.needs_approval
    with at(DAY):  # a new approval for the new total
        again = credit_approval_request(order=larger, by=salesperson, reason="Bigger order, same customer")
    assert again.amount == Decimal(13200)


def test_a_rejected_request_keeps_the_order_unconfirmed_and_says_why(customer, salesperson, sales_manager):
    order = submitted(customer, salesperson, price="6.00")
    with at(DAY):
        approval = credit_approval_request(order=order, by=salesperson, reason="Please")
    with pytest.raises(ValidationError) as error, at(DAY):
        credit_approval_decide(approval=approval, by=sales_manager, approve=False, version=approval.version)
    assert "note" in error.value.message_dict
    approval.refresh_from_db()
    assert approval.status == CreditApprovalStatus.REQUESTED
    with at(DAY):
        credit_approval_decide(approval=approval, by=sales_manager, approve=False, version=approval.version,
                               note="Two invoices 60 days late")
    approval.refresh_from_db()
    assert (approval.status, approval.decision_note) == (CreditApprovalStatus.REJECTED, "Two invoices 60 days late")
    assert "credit approval" in refused(lambda: order_confirm(order=order, by=sales_manager))
    with pytest.raises(InvalidTransition), at(DAY):  # decided once
        credit_approval_decide(approval=approval, by=sales_manager, approve=True, version=approval.version)
    with at(DAY):  # asked again, with a better reason
        credit_approval_request(order=order, by=salesperson, reason="Customer paid the late invoices today")


def test_a_stale_decision_is_refused(customer, salesperson, sales_manager, general_manager):
    order = submitted(customer, salesperson, price="6.00")
    with at(DAY):
        approval = credit_approval_request(order=order, by=salesperson, reason="Please")
        credit_approval_decide(approval=CreditApproval.objects.get(pk=approval.pk), by=general_manager,
                               approve=False, version=0, note="No")
    with pytest.raises(ConcurrentChange), at(DAY):
        credit_approval_decide(approval=approval, by=sales_manager, approve=True, version=0)
    assert CreditApproval.objects.get(pk=approval.pk).status == CreditApprovalStatus.REJECTED


@pytest.mark.parametrize(("fields", "field"), [({"reason": "  "}, "reason")])
def test_a_request_without_a_reason_is_refused(customer, salesperson, fields, field):
    order = submitted(customer, salesperson, price="6.00")
    with pytest.raises(ValidationError) as error, at(DAY):
        credit_approval_request(order=order, by=salesperson, **fields)
    assert field in error.value.message_dict and not CreditApproval.objects.exists()


def test_credit_is_requested_only_when_needed_and_once_at_a_time(customer, salesperson, merchandiser):
    within = submitted(customer, salesperson)
    with pytest.raises(ValidationError) as error, at(DAY):
        credit_approval_request(order=within, by=salesperson, reason="just in case")
    assert "needs no credit approval" in str(error.value.message_dict["order"])
    over = submitted(customer, salesperson, price="6.00")
    with at(DAY):
        credit_approval_request(order=over, by=merchandiser, reason="Trusted")  # the order's merchandiser may ask
    with pytest.raises(ValidationError) as error, at(DAY):
        credit_approval_request(order=over, by=salesperson, reason="Trusted")
    assert "already requested" in str(error.value.message_dict["order"])
    assert CreditApproval.objects.count() == 1


def test_who_may_request_and_who_may_approve(customer, salesperson, other_salesperson, sales_manager,
                                            general_manager, merchandiser, finance):
    order = submitted(customer, salesperson, price="6.00")
    for outsider in (other_salesperson, finance):  # not their order; finance neither changes nor confirms orders
        with pytest.raises(PermissionDenied), at(DAY):
            credit_approval_request(order=order, by=outsider, reason="x")
    with at(DAY):
        approval = credit_approval_request(order=order, by=salesperson, reason="Trusted")
    for user in (salesperson, merchandiser, finance):
        with pytest.raises(PermissionDenied), at(DAY):
            credit_approval_decide(approval=approval, by=user, approve=True, version=approval.version)
    assert CreditApproval.objects.get().status == CreditApprovalStatus.REQUESTED
    for manager in (sales_manager, general_manager):
        assert manager.has_perm("finance.approve_credit")
    with at(DAY):
        credit_approval_decide(approval=approval, by=general_manager, approve=True, version=approval.version)


def test_a_copy_of_an_approved_order_needs_its_own_approval(customer, salesperson, sales_manager):
    order = submitted(customer, salesperson, price="6.00")
    approve(order, by=salesperson, manager=sales_manager)
    with at(DAY):
        order_confirm(order=order, by=sales_manager)
        copy = order_copy(order=order, by=salesperson)
        order_update(order=copy, by=salesperson, version=copy.version, confirmed_ex_factory=date(2026, 12, 20))
        order_submit(order=copy, by=salesperson)
    # 12,000.00 owed on the first order + 12,000.00 = 24,000.00
    assert "USD 24,000.00" in refused(lambda: order_confirm(order=copy, by=sales_manager))
    copy.refresh_from_db()
    assert copy.status == OrderStatus.UNDER_REVIEW and not copy.credit_approvals.exists()


def test_confirming_through_the_api_is_held_and_credit_is_asked_and_given_there(customer, salesperson,
                                                                                sales_manager, merchandiser):
    order = submitted(customer, salesperson, price="6.00")
    with at(DAY):
        response = api_for(sales_manager).post(f"/api/v1/orders/{order.pk}/confirm/")
    assert response.status_code == 400 and "USD 12,000.00" in str(response.json()["errors"]["status"])

    with at(DAY):
        check = api_for(salesperson).get(f"/api/v1/orders/{order.pk}/credit/").json()
    assert (check["credit_limit"], check["currency"], check["receivables"], check["this_order"], check["exposure"],
            check["over_limit"], check["needs_approval"], check["approvals"]) == (
        "10000.000", "USD", "0.000", "12000.000", "12000.000", True, True, [])

    with at(DAY):
        bad = api_for(salesperson).post(f"/api/v1/orders/{order.pk}/credit/", {"reason": ""}, format="json")
        asked = api_for(salesperson).post(f"/api/v1/orders/{order.pk}/credit/", {"reason": "Trusted"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    assert asked.status_code == 201
    (approval,) = asked.json()["approvals"]
    assert approval["status"] == "requested" and approval["amount"] == "12000.000"

    with at(DAY):
        pending = api_for(sales_manager).get("/api/v1/credit-approvals/?status=requested").json()
        forbidden = [api_for(user).post(f"/api/v1/credit-approvals/{approval['id']}/approve/",
                                        {"version": approval["version"]}, format="json")
                     for user in (salesperson, merchandiser)]
        stale = api_for(sales_manager).post(f"/api/v1/credit-approvals/{approval['id']}/approve/",
                                            {"version": approval["version"] + 1}, format="json")
        approved = api_for(sales_manager).post(f"/api/v1/credit-approvals/{approval['id']}/approve/",
                                               {"version": approval["version"], "note": "ok"}, format="json")
        confirmed_now = api_for(sales_manager).post(f"/api/v1/orders/{order.pk}/confirm/")
    assert [row["id"] for row in pending["results"]] == [approval["id"]]
    assert [r.status_code for r in forbidden] == [403, 403]
    assert stale.status_code == 409
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert confirmed_now.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_the_api_hides_orders_and_approvals_from_those_who_may_not_see_them(customer, salesperson,
                                                                            other_salesperson, sales_manager):
    order = submitted(customer, salesperson, price="6.00")
    with at(DAY):
        assert api_for(other_salesperson).get(f"/api/v1/orders/{order.pk}/credit/").status_code == 404
        assert api_for(other_salesperson).post(f"/api/v1/orders/{order.pk}/credit/", {"reason": "x"},
                                               format="json").status_code == 404
        assert api_for(salesperson).get("/api/v1/credit-approvals/").status_code == 403
        assert api_for(sales_manager).get("/api/v1/credit-approvals/?status=bogus").status_code == 400


def test_the_credit_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/orders/{id}/credit/", "/api/v1/credit-approvals/", "/api/v1/credit-approvals/{id}/approve/",
            "/api/v1/credit-approvals/{id}/reject/"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/orders/{id}/credit/"]


def test_whoever_asked_does_not_decide_and_the_people_who_decide_are_told(
        customer, salesperson, sales_manager, general_manager, finance):
    order = submitted(customer, salesperson, price="6.00")  # 12,000.00 > 10,000.00
    with at(DAY):
        approval = credit_approval_request(order=order, by=sales_manager, reason="Old customer, pays late but pays")
    told = Notification.objects.filter(kind=ReminderKind.CREDIT_REQUESTED)
    assert list(told.values_list("user", "order")) == [(general_manager.pk, order.pk)]  # not the asker, not finance
    with pytest.raises(PermissionDenied, match="another manager decides"), at(DAY):
        credit_approval_decide(approval=approval, by=sales_manager, approve=True, version=approval.version)
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.version) == (CreditApprovalStatus.REQUESTED, None, 0)
    with at(DAY):
        credit_approval_decide(approval=approval, by=general_manager, approve=False, version=approval.version,
                               note="Collect the overdue invoices first")
    assert told.get().read_at is not None  # decided: the request is no longer news for the general manager
    answer = Notification.objects.get(kind=ReminderKind.CREDIT_REJECTED)
    assert (answer.user, answer.order) == (sales_manager, order)
    assert not Notification.objects.filter(kind=ReminderKind.CREDIT_APPROVED).exists()
