"""Choosing another payment term brings its figures (deposit %, balance condition, days) unless the user set
those too (issue 14, finding 6: the customer's 100 % in advance stayed beside "T/T 30/70 against copy B/L")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.parties.models import PaymentTerm
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder
from gendan.sales.services import order_update
from gendan.sales.tests.factories import make_order
from gendan.sales.tests.test_order_edit import form_data, post_edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    advance = PaymentTerm.objects.create(name="100% T/T in advance", deposit_percent=100,
                                         balance_condition="in_advance")
    split = PaymentTerm.objects.create(name="T/T 30/70 against copy B/L", deposit_percent=30,
                                       balance_condition="against_copy_bl")
    oa = PaymentTerm.objects.create(name="O/A 60 days", deposit_percent=0, balance_condition="open_account",
                                    balance_days=60)
    return advance, split, oa


@pytest.fixture
def customer(salesperson, terms):
    return CustomerFactory(owner=salesperson, payment_term=terms[0])


def terms_of(order) -> tuple:
    stored = SalesOrder.objects.get(pk=order.pk)
    return stored.payment_term.name, stored.deposit_percent, stored.balance_condition, stored.balance_days


def test_a_new_order_with_another_term_takes_that_terms_figures(client, salesperson, customer, terms):
    client.force_login(salesperson)
    page = client.get(reverse("sales:order_create"), {"customer": customer.pk})
    data = {name: page.context["form"][name].value() for name in page.context["form"].fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not None and v is not False}
    data |= {"payment_term": terms[1].pk, "incoterm_place": "Ningbo",
             "confirmed_ex_factory": "2026-12-20", "order_date": "2026-11-30"}
    response = client.post(reverse("sales:order_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    order = SalesOrder.objects.get()
    assert terms_of(order) == ("T/T 30/70 against copy B/L", Decimal(30), "against_copy_bl", 0)


def test_editing_the_term_brings_its_figures_with_history(client, salesperson, customer, terms):
    order = make_order(by=salesperson, customer=customer, incoterm_place="Ningbo")
    client.force_login(salesperson)
    assert post_edit(client, order, form_data(client, order, payment_term=terms[2].pk)).status_code == 302
    assert terms_of(order) == ("O/A 60 days", Decimal(0), "open_account", 60)
    latest = SalesOrder.history.filter(id=order.pk).latest("history_date")
    assert (latest.deposit_percent, latest.balance_condition) == (Decimal(0), "open_account")


def test_figures_the_user_set_themselves_are_kept(salesperson, customer, terms):
    order = make_order(by=salesperson, customer=customer, incoterm_place="Ningbo")
    order_update(order=order, by=salesperson, version=order.version, payment_term=terms[1],
                 deposit_percent=Decimal(50))  # a one-off arrangement on this order
    assert terms_of(order) == ("T/T 30/70 against copy B/L", Decimal(50), "in_advance", 0)


def test_the_api_changing_only_the_term_gets_its_figures(client, salesperson, customer, terms):
    order = make_order(by=salesperson, customer=customer, incoterm_place="Ningbo")
    client.force_login(salesperson)
    response = client.patch(f"/api/v1/orders/{order.pk}/", {"version": order.version, "payment_term": terms[1].pk},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert terms_of(order) == ("T/T 30/70 against copy B/L", Decimal(30), "against_copy_bl", 0)
