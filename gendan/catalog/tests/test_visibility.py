"""Customer item numbers are shown, searched and edited only within the customers the user may see (issue 13.12):
one salesperson's customers' item numbers, codes and names never reach another salesperson, on any path."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gendan.catalog.models import CustomerItem, Product
from gendan.catalog.services import customer_item_set
from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MANAGERS = ["sales_manager", "general_manager"]


@pytest.fixture
def own_customer(salesperson):
    return CustomerFactory(owner=salesperson, code="ALFA-US", name_en="Alfa Imports", name_zh="阿尔法")


@pytest.fixture
def second_own_customer(salesperson):
    return CustomerFactory(owner=salesperson, code="ALFA-DE", name_en="Alfa Germany", name_zh="阿尔法德国")


@pytest.fixture
def others_customer(other_salesperson):
    return CustomerFactory(owner=other_salesperson, code="BRAVO-UK", name_en="Bravo Trading", name_zh="布拉沃")


@pytest.fixture
def product(own_customer, others_customer, other_salesperson, salesperson):
    product = ProductFactory(code="HK-100", name_en="Hook")
    customer_item_set(product=product, customer=own_customer, item_no="ALF-111", by=salesperson)
    customer_item_set(product=product, customer=others_customer, item_no="BRV-999", by=other_salesperson)
    return product


def others_item(product, others_customer) -> CustomerItem:
    return CustomerItem.objects.get(product=product, customer=others_customer)


def leaks(content: str) -> list[str]:
    """Whatever of the other salesperson's customer shows in a page or a response."""
    return [text for text in ("BRV-999", "BRAVO-UK", "Bravo Trading", "布拉沃") if text in content]


def product_post(product, *rows, initial: int) -> dict:
    data = {
        "code": product.code, "name_en": "Hook, changed", "name_zh": product.name_zh, "unit": product.unit,
        "hs_code": product.hs_code, "cost_currency": "CNY", "units_per_inner": product.units_per_inner,
        "units_per_carton": product.units_per_carton, "carton_length_cm": product.carton_length_cm,
        "carton_width_cm": product.carton_width_cm, "carton_height_cm": product.carton_height_cm,
        "net_weight_kg": product.net_weight_kg, "gross_weight_kg": product.gross_weight_kg, "is_active": "on",
        "version": product.version, "items-TOTAL_FORMS": len(rows), "items-INITIAL_FORMS": initial,
    }
    for index, row in enumerate(rows):
        data.update({f"items-{index}-{name}": value for name, value in row.items()})
        data[f"items-{index}-product"] = product.pk or ""
    return data


# ---------------------------------------------------------------- reading: detail, list, search, export


def test_product_page_shows_only_the_salespersons_own_customer_items(client, salesperson, product):
    client.force_login(salesperson)
    content = client.get(product.get_absolute_url()).content.decode()
    assert "ALF-111" in content and "ALFA-US" in content
    assert leaks(content) == []


@pytest.mark.parametrize("manager", MANAGERS)
def test_managers_see_every_customer_item_on_the_product_page(request, client, manager, product):
    client.force_login(request.getfixturevalue(manager))
    content = client.get(product.get_absolute_url()).content.decode()
    assert "ALF-111" in content and {"BRV-999", "BRAVO-UK"} <= set(leaks(content))


def test_product_search_ignores_other_salespersons_item_numbers(client, salesperson, product):
    client.force_login(salesperson)
    url = reverse("catalog:product_list")
    assert "HK-100" not in client.get(url, {"q": "BRV-999"}).content.decode()
    assert "HK-100" in client.get(url, {"q": "alf-111"}).content.decode()


def test_product_export_ignores_other_salespersons_item_numbers(client, salesperson, sales_manager, product):
    url = reverse("catalog:product_list")

    def exported(user) -> list:
        client.force_login(user)
        book = load_workbook(BytesIO(client.get(url, {"q": "BRV-999", "export": "xlsx"}).content))
        return [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]

    assert exported(salesperson) == []
    assert exported(sales_manager) == ["HK-100"]


@pytest.mark.parametrize("manager", MANAGERS)
def test_managers_find_products_by_any_customers_item_number(request, client, manager, product):
    client.force_login(request.getfixturevalue(manager))
    assert "HK-100" in client.get(reverse("catalog:product_list"), {"q": "brv-999"}).content.decode()


# ---------------------------------------------------------------- the API


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_api_product_search_ignores_other_salespersons_item_numbers(salesperson, product):
    client = api_for(salesperson)
    assert client.get("/api/v1/products/", {"q": "BRV-999"}).json()["results"] == []
    assert [p["code"] for p in client.get("/api/v1/products/", {"q": "ALF-111"}).json()["results"]] == ["HK-100"]
    detail = client.get(f"/api/v1/products/{product.pk}/")
    assert detail.status_code == 200 and leaks(detail.content.decode()) == []


@pytest.mark.parametrize("manager", MANAGERS)
def test_api_managers_find_products_by_any_customers_item_number(request, manager, product):
    response = api_for(request.getfixturevalue(manager)).get("/api/v1/products/", {"q": "BRV-999"})
    assert [p["code"] for p in response.json()["results"]] == ["HK-100"]


# ---------------------------------------------------------------- the form


@pytest.mark.parametrize("url_name", ["catalog:product_create", "catalog:product_edit"])
def test_product_form_offers_and_shows_only_own_customers(client, salesperson, own_customer, product, url_name):
    client.force_login(salesperson)
    args = [product.pk] if url_name == "catalog:product_edit" else []
    response = client.get(reverse(url_name, args=args))
    formset = response.context["items"]
    assert list(formset.forms[0].fields["customer"].queryset) == [own_customer]
    assert [form.instance.item_no for form in formset.initial_forms] == (["ALF-111"] if args else [])
    assert leaks(response.content.decode()) == []


def test_salesperson_edit_leaves_other_salespersons_items_untouched(client, salesperson, own_customer, product,
                                                                    others_customer):
    own = CustomerItem.objects.get(product=product, customer=own_customer)
    client.force_login(salesperson)
    response = client.post(reverse("catalog:product_edit", args=[product.pk]), product_post(
        product, {"id": own.pk, "customer": own_customer.pk, "item_no": "ALF-112"}, initial=1))
    assert response.status_code == 302
    assert CustomerItem.objects.get(pk=own.pk).item_no == "ALF-112"
    other = others_item(product, others_customer)
    assert other.item_no == "BRV-999" and other.history.count() == 1


FORGERIES = {  # what salesperson A posts about salesperson B's row and customer
    "changes their row": {"id": "their row", "customer": "their customer", "item_no": "HIJACKED"},
    "deletes their row": {"id": "their row", "customer": "their customer", "item_no": "BRV-999", "DELETE": "on"},
    "moves their row to an own customer": {"id": "their row", "customer": "own customer", "item_no": "HIJACKED"},
    "adds a row for their customer": {"customer": "their customer", "item_no": "HIJACKED"},
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_post_cannot_touch_another_salespersons_customer_items(client, salesperson, own_customer,
                                                                      others_customer, product, forgery):
    item = others_item(product, others_customer)
    values = {"their row": item.pk, "their customer": others_customer.pk, "own customer": own_customer.pk}
    row = {name: values.get(value, value) for name, value in FORGERIES[forgery].items()}
    client.force_login(salesperson)
    response = client.post(reverse("catalog:product_edit", args=[product.pk]),
                           product_post(product, row, initial=1 if "id" in row else 0))
    # refused as an invalid choice, and nothing at all saved: not their row, not the product, not a new row
    assert response.status_code == 200 and response.context["items"].errors != [{}]
    item.refresh_from_db()
    assert item.item_no == "BRV-999" and item.customer == others_customer and item.history.count() == 1
    assert set(CustomerItem.objects.values_list("item_no", flat=True)) == {"ALF-111", "BRV-999"}
    product.refresh_from_db()
    assert product.name_en == "Hook" and product.version == 0 and product.history.count() == 1


def test_forged_new_product_with_another_salespersons_customer_is_refused(client, salesperson, others_customer,
                                                                          product):
    client.force_login(salesperson)
    data = product_post(ProductFactory.build(code="NEW-1"), {"customer": others_customer.pk, "item_no": "X-1"},
                        initial=0)
    response = client.post(reverse("catalog:product_create"), data)
    assert response.status_code == 200 and "customer" in response.context["items"].forms[0].errors
    assert not Product.objects.filter(code="NEW-1").exists()
    assert not CustomerItem.objects.filter(item_no="X-1").exists()


@pytest.mark.parametrize("manager", MANAGERS)
def test_managers_edit_any_customers_item_number(request, client, manager, product, others_customer):
    user = request.getfixturevalue(manager)
    item = others_item(product, others_customer)
    client.force_login(user)
    response = client.post(reverse("catalog:product_edit", args=[product.pk]), product_post(
        product, {"id": item.pk, "customer": others_customer.pk, "item_no": "BRV-1000"}, initial=1))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.item_no == "BRV-1000"
    assert item.history.latest().history_user == user


def test_moving_a_row_to_another_own_customer_moves_the_number(client, salesperson, own_customer,
                                                                second_own_customer, product, others_customer):
    own = CustomerItem.objects.get(product=product, customer=own_customer)
    client.force_login(salesperson)
    response = client.post(reverse("catalog:product_edit", args=[product.pk]), product_post(
        product, {"id": own.pk, "customer": second_own_customer.pk, "item_no": "ALF-111"}, initial=1))
    assert response.status_code == 302
    numbers = dict(CustomerItem.objects.filter(product=product).values_list("customer__code", "item_no"))
    assert numbers == {"ALFA-DE": "ALF-111", "BRAVO-UK": "BRV-999"}
    removed = CustomerItem.history.filter(id=own.pk).latest()
    assert removed.history_type == "-" and removed.history_user == salesperson


def test_service_refuses_another_salespersons_customer(salesperson, others_customer, product):
    with pytest.raises(ValidationError) as error:
        customer_item_set(product=product, customer=others_customer, item_no="", by=salesperson)
    assert "customer" in error.value.message_dict
    assert others_item(product, others_customer).item_no == "BRV-999"


def options(client, text: str) -> list[str]:
    response = client.get(reverse("catalog:product_options"), {"q": text})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_the_product_select_finds_by_code_name_and_only_the_users_customers_item_numbers(
        client, salesperson, product):
    ProductFactory(code="HK-200", name_en="Hook, large", name_zh="大挂钩")
    ProductFactory(code="HK-300", name_en="Hook, retired", is_active=False)
    client.force_login(salesperson)
    assert options(client, "hk-") == ["HK-100 Hook", "HK-200 Hook, large"]  # not the inactive one
    assert options(client, "大挂") == ["HK-200 Hook, large"]
    assert options(client, "ALF-111") == ["HK-100 Hook"]
    assert options(client, "BRV-999") == []  # another salesperson's customer's item number finds nothing
    ProductFactory.create_batch(40)
    assert len(options(client, "")) == 30


def test_the_order_page_carries_the_chosen_product_only(client, salesperson, own_customer):
    from gendan.sales.tests.factories import make_order

    order = make_order(by=salesperson, customer=own_customer, lines=1)
    ProductFactory.create_batch(50)
    client.force_login(salesperson)
    page = client.get(order.get_absolute_url()).content.decode()
    assert page.count('<option value="') <= 10  # the add-line select offers no catalogue
    assert f'data-search-url="{reverse("catalog:product_options")}"' in page
