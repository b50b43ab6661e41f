"""Numbers and dates beyond what can be stored or planned are refused in the services, so the web forms
get the same clear field errors as the API (issue 13, findings 11 and 18)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.catalog.tests.factories import ProductFactory
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder
from gendan.sales.services import LineInput, order_create
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(salesperson, merchandiser):
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME")


def header(customer, salesperson, **fields):
    return {"customer": customer.pk, "order_date": "2026-11-20", "incoterm": "FOB", "incoterm_place": "Ningbo",
            "currency": "USD", "deposit_percent": "30", "balance_condition": "against_copy_bl", "balance_days": "0",
            "salesperson": salesperson.pk, "followup_depth": "payment", "transport_mode": "sea", **fields}


@pytest.mark.parametrize("field,day", [("order_date", "9999-12-30"), ("order_date", "0001-01-01"),
                                       ("confirmed_ex_factory", "9999-12-30")])
def test_order_form_refuses_absurd_dates_naming_the_field(client, salesperson, customer, field, day):
    client.force_login(salesperson)
    with at(date(2026, 11, 20)):
        response = client.post(reverse("sales:order_create"), header(customer, salesperson, **{field: day}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert "2031-11-20" in response.context["form"].errors[field][0]
    assert not SalesOrder.objects.exists()  # and no number series SO-9999 opened


def test_date_window_is_one_constant_around_today():
    from gendan.core.validators import DATE_WINDOW_YEARS, date_out_of_window

    today = date(2028, 2, 29)
    assert DATE_WINDOW_YEARS == 5
    assert date_out_of_window(date(2033, 2, 28), today) is None
    assert date_out_of_window(date(2033, 3, 1), today)
    assert date_out_of_window(date(2023, 2, 27), today)
    assert date_out_of_window(None, today) is None


def test_reschedule_form_refuses_year_9999(client, salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    client.force_login(sales_manager)
    with at(date(2026, 10, 1)):
        response = client.post(reverse("followup:milestone_action", args=[bom.pk, "reschedule"]), {
            "version": bom.version, "new_date": "9999-12-30", "reason": "typo", "view": "plan"}, follow=True)
    assert response.status_code == 200
    assert "2031-10-01" in " ".join(str(m) for m in response.context["messages"])
    bom.refresh_from_db()
    assert bom.manual_date is None and bom.version == 0


def test_line_form_refuses_a_quantity_whose_cartons_overflow(client, salesperson, customer):
    order = make_order(by=salesperson, customer=customer)
    client.force_login(salesperson)
    response = client.post(reverse("sales:line_add", args=[order.pk]), {
        "version": order.version, "product": ProductFactory(units_per_carton=1).pk, "quantity": "99999999999",
        "unit_price": "1"})
    assert response.status_code == 400
    assert "quantity" in response.context["line_form"].errors
    assert order.lines.count() == 2


def test_service_refuses_numbers_wider_than_their_columns(salesperson, customer):
    # a caller that skips the forms and serializers still cannot store what would not read back
    with pytest.raises(ValidationError) as error:
        order_create(by=salesperson, customer=customer, lines=[
            LineInput(product=ProductFactory(), quantity=Decimal("1e15"), unit_price=Decimal("1"))])
    assert set(error.value.message_dict) == {"lines.0.quantity"}
    assert not SalesOrder.objects.exists()
