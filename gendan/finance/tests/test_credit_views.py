"""The credit card on the order page, the list of credit requests, and the overdue flag, through the views: who may
ask, who may decide, who may not (403, or 404 for an order they do not see), and bad input with nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from gendan.finance.choices import CreditApprovalStatus
from gendan.finance.models import CreditApproval
from gendan.finance.services import credit_approval_request
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.services import order_submit
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 8)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def order(salesperson, merchandiser):
    """USD 12,000.00 waiting for review, for a customer with a USD 10,000.00 limit."""
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US", credit_limit=10000)
    with at(DAY):
        order = make_order(by=salesperson, customer=customer, order_date=DAY, price="6.00")
        order_submit(order=order, by=salesperson)
    return order


def card(client, user, order):
    client.force_login(user)
    with at(DAY):
        return client.get(reverse("finance:order_credit", args=[order.pk]))


def test_the_order_page_loads_the_credit_card_before_confirmation(client, order, salesperson):
    client.force_login(salesperson)
    page = client.get(order.get_absolute_url()).content.decode()
    assert reverse("finance:order_credit", args=[order.pk]) in page
    assert f"{reverse('finance:customer_flag')}?customer={order.customer_id}" in page


def test_the_salesperson_sees_why_and_may_ask(client, order, salesperson):
    response = card(client, salesperson, order)
    text = response.content.decode()
    assert response.status_code == 200
    assert "USD 12,000.00" in text and "USD 10,000.00" in text
    assert 'data-testid="request-credit"' in text and 'data-testid="approve-credit"' not in text


def test_an_order_the_user_does_not_see_is_a_404(client, order, other_salesperson):
    assert card(client, other_salesperson, order).status_code == 404
    with at(DAY):
        response = client.post(reverse("finance:credit_request", args=[order.pk]), {"reason": "x"}, **HTMX)
    assert response.status_code == 404 and not CreditApproval.objects.exists()


def in_english(user):
    """The messages are asserted as written: this person reads pages in English."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def test_asking_without_a_reason_is_refused_on_the_card(client, order, salesperson):
    client.force_login(in_english(salesperson))
    with at(DAY):
        response = client.post(reverse("finance:credit_request", args=[order.pk]), {"reason": " "}, **HTMX)
    assert response.status_code == 400 and "Say why this customer should have the credit." in response.content.decode()
    assert not CreditApproval.objects.exists()


def test_asking_from_the_card(client, order, salesperson):
    client.force_login(salesperson)
    with at(DAY):
        response = client.post(reverse("finance:credit_request", args=[order.pk]), {"reason": "Pays on time"},
                               **HTMX)
    assert response.status_code == 200 and 'data-testid="credit-pending"' in response.content.decode()
    approval = CreditApproval.objects.get()
    assert (approval.status, approval.reason, approval.requested_by) == (
        CreditApprovalStatus.REQUESTED, "Pays on time", salesperson)


def test_only_the_sales_manager_and_the_general_manager_decide(client, order, salesperson, merchandiser, finance,
                                                                sales_manager, general_manager):
    with at(DAY):
        approval = credit_approval_request(order=order, by=salesperson, reason="Pays on time")
    for user in (salesperson, merchandiser, finance):
        assert 'data-testid="approve-credit"' not in card(client, user, order).content.decode()
        with at(DAY):
            response = client.post(reverse("finance:credit_decide", args=[approval.pk, "approve"]),
                                   {"version": approval.version, "from": "order"}, **HTMX)
        assert response.status_code == 403
    assert CreditApproval.objects.get().status == CreditApprovalStatus.REQUESTED
    assert 'data-testid="approve-credit"' in card(client, general_manager, order).content.decode()
    assert 'data-testid="approve-credit"' in card(client, sales_manager, order).content.decode()
    with at(DAY):
        response = client.post(reverse("finance:credit_decide", args=[approval.pk, "approve"]),
                               {"version": approval.version, "from": "order", "note": "OK"}, **HTMX)
    assert response.status_code == 200 and 'data-testid="credit-approved"' in response.content.decode()
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.decision_note) == (
        CreditApprovalStatus.APPROVED, sales_manager, "OK")


def test_the_list_of_requests_is_the_managers_and_finances(client, order, salesperson, merchandiser, finance,
                                                           sales_manager, general_manager):
    with at(DAY):
        credit_approval_request(order=order, by=salesperson, reason="Pays on time")
    for user, status, buttons in ((sales_manager, 200, True), (general_manager, 200, True), (finance, 200, False),
                                  (salesperson, 403, False), (merchandiser, 403, False)):
        client.force_login(user)
        response = client.get(reverse("finance:credit_approval_list"))
        assert response.status_code == status
        if status == 200:
            text = response.content.decode()
            assert order.number in text and ("data-testid=\"approve-" in text) == buttons


def test_rejecting_from_the_list_needs_a_note(client, order, salesperson, sales_manager):
    with at(DAY):
        approval = credit_approval_request(order=order, by=salesperson, reason="Pays on time")
    client.force_login(in_english(sales_manager))
    url = reverse("finance:credit_decide", args=[approval.pk, "reject"])
    with at(DAY):
        response = client.post(url, {"version": approval.version}, follow=True)
    assert "Say why the credit is refused." in response.content.decode()
    assert CreditApproval.objects.get().status == CreditApprovalStatus.REQUESTED
    with at(DAY):
        response = client.post(url, {"version": approval.version, "note": "Two invoices late"})
    assert response.status_code == 302 and response["Location"] == reverse("finance:credit_approval_list")
    assert CreditApproval.objects.get().status == CreditApprovalStatus.REJECTED


def test_the_overdue_flag_shows_for_a_late_payer_only(client, salesperson, other_salesperson, sales_manager,
                                                      merchandiser):
    late = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    prompt = CustomerFactory(owner=salesperson)
    client.force_login(salesperson)
    url = reverse("finance:customer_flag")
    with at(date(2026, 11, 5)):  # the deposit was due on 2026-10-05: 31 days late
        flagged = client.get(f"{url}?customer={late.customer_id}").content.decode()
        clear = client.get(f"{url}?customer={prompt.pk}").content.decode()
    with at(date(2026, 11, 4)):  # 30 days: not beyond GENDAN_OVERDUE_FLAG_DAYS yet
        not_yet = client.get(f"{url}?customer={late.customer_id}").content.decode()
    assert 'data-testid="customer-overdue-flag"' in flagged and late.customer.code in flagged
    assert clear == "" and not_yet == ""
    client.force_login(other_salesperson)  # not their customer: nothing
    with at(date(2026, 11, 5)):
        assert client.get(f"{url}?customer={late.customer_id}").content.decode() == ""
        assert client.get(f"{url}?customer=abc").content.decode() == ""


def test_the_new_order_form_asks_for_the_flag_of_the_chosen_customer(client, salesperson):
    customer = CustomerFactory(owner=salesperson)
    client.force_login(salesperson)
    page = client.get(f"{reverse('sales:order_create')}?customer={customer.pk}").content.decode()
    assert f"{reverse('finance:customer_flag')}?customer={customer.pk}" in page
