"""A product's loading data for the container load planner: "this side up", stackable, the most weight one carton
may carry; entered on the product form, shown on the product page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.catalog.models import Product
from gendan.catalog.tests.test_catalog import product_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_loading_data_is_entered_on_the_form_and_shown_on_the_page(client, engineer):
    engineer.language = "en"  # the page is in the user's language
    engineer.save(update_fields=["language"])
    client.force_login(engineer)
    response = client.post(reverse("catalog:product_create"), product_form(
        this_side_up="on", stackable="on", max_load_kg="120.5"))
    assert response.status_code == 302
    product = Product.objects.get()
    assert (product.this_side_up, product.stackable, product.max_load_kg) == (True, True, Decimal("120.5"))
    assert product.history.get().max_load_kg == Decimal("120.5")
    page = client.get(product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This side up" in page and "Stackable, at most 120.50 kg on a carton" in page

    response = client.post(reverse("catalog:product_edit", args=[product.pk]), product_form(
        version=product.version, max_load_kg=""))  # unticked: may lie on its side, nothing on top
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.this_side_up, product.stackable, product.max_load_kg) == (False, False, None)
    assert "Not stackable" in client.get(product.get_absolute_url()).content.decode()


def test_a_new_product_is_stackable_unless_said_otherwise(client, engineer):
    client.force_login(engineer)
    form = client.get(reverse("catalog:product_create")).context["form"]
    assert form["stackable"].value() is True and form["this_side_up"].value() is False


@pytest.mark.parametrize("value", ["0", "-5", "abc"])
def test_the_load_limit_must_be_positive(client, engineer, value):
    client.force_login(engineer)
    response = client.post(reverse("catalog:product_create"), product_form(max_load_kg=value))
    assert response.status_code == 200 and "max_load_kg" in response.context["form"].errors
    assert not Product.objects.exists()
