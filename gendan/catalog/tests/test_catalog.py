from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from gendan.catalog.models import CustomerItem, Product
from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.tests.factories import CustomerFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_cbm_per_carton_is_computed_from_carton_size():
    product = ProductFactory.build(carton_length_cm=Decimal("52.5"), carton_width_cm=Decimal("38"),
                                   carton_height_cm=Decimal("30.5"))
    assert product.cbm_per_carton == Decimal("0.060848")  # 52.5 × 38 × 30.5 / 1,000,000


def product_form(**overrides):
    data = {
        "code": "KT-5501", "name_en": "Kitchen towel holder", "name_zh": "厨房毛巾架", "unit": "pcs",
        "hs_code": "7323.93.0000", "cost_currency": "cny", "units_per_inner": "6", "units_per_carton": "24",
        "carton_length_cm": "60", "carton_width_cm": "40", "carton_height_cm": "35", "net_weight_kg": "9.6",
        "gross_weight_kg": "10.4", "is_active": "on", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_salesperson_creates_product_with_customer_item_number(client, salesperson):
    customer = CustomerFactory(owner=salesperson)
    client.force_login(salesperson)
    response = client.post(reverse("catalog:product_create"), product_form(**{
        "items-TOTAL_FORMS": "1", "items-0-customer": customer.pk, "items-0-item_no": "CUST-778"}))
    product = Product.objects.get(code="KT-5501")
    assert response.status_code == 302
    assert product.cbm_per_carton == Decimal("0.084000") and product.cost_currency == "CNY"
    assert CustomerItem.objects.get(product=product, customer=customer).item_no == "CUST-778"


def test_engineer_creates_product_but_sees_no_customers_to_number_for(client, engineer):
    # Engineering edits the catalogue but sees no customers, so it neither sees nor records their item numbers.
    customer = CustomerFactory()
    client.force_login(engineer)
    assert not client.get(reverse("catalog:product_create")).context["items"].forms[0].fields["customer"].queryset
    response = client.post(reverse("catalog:product_create"), product_form(**{
        "items-TOTAL_FORMS": "1", "items-0-customer": customer.pk, "items-0-item_no": "CUST-778"}))
    assert response.status_code == 200 and not Product.objects.exists() and not CustomerItem.objects.exists()
    response = client.post(reverse("catalog:product_create"), product_form())
    assert response.status_code == 302 and Product.objects.get().code == "KT-5501"


@pytest.mark.parametrize("field,value", [
    ("hs_code", "12AB"), ("units_per_carton", "0"), ("carton_length_cm", "-1"), ("gross_weight_kg", "5"),
    ("units_per_carton", "25"), ("cost_currency", "RMB"),
])
def test_bad_product_input_names_the_field(client, engineer, field, value):
    client.force_login(engineer)
    response = client.post(reverse("catalog:product_create"), product_form(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    # net > gross is reported on net weight; 25 is not a multiple of 6 per inner
    expected = {"gross_weight_kg": "net_weight_kg"}.get(field, field)
    assert expected in errors
    assert not Product.objects.exists()


@pytest.mark.parametrize("who,status", [("qc", 403), ("finance", 403), ("engineer", 200), ("salesperson", 200)])
def test_product_create_permissions(request, client, make_user, who, status):
    user = make_user("qc") if who == "qc" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(reverse("catalog:product_create")).status_code == status


def test_product_search_finds_customer_item_numbers(client, salesperson):
    product = ProductFactory(code="ZZ-1")
    CustomerItem.objects.create(product=product, customer=CustomerFactory(owner=salesperson), item_no="WALMART-99")
    ProductFactory(code="YY-2")
    client.force_login(salesperson)
    content = client.get(reverse("catalog:product_list"), {"q": "walmart"}).content.decode()
    assert "ZZ-1" in content and "YY-2" not in content


def test_product_import_lists_row_errors_then_imports(client, sales_manager):
    supplier = SupplierFactory(code="SUP-1")
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name_en", "hs_code", "default_supplier", "units_per_carton", "carton_length_cm",
                  "carton_width_cm", "carton_height_cm", "net_weight_kg", "gross_weight_kg", "unit", "cost_currency"])
    sheet.append(["P-1", "Hook", "8302.50", "SUP-1", 100, 40, 30, 20, 8, 9, "pcs", "CNY"])
    sheet.append(["P-2", "Rail", "8302.50", "NOPE", 0, 40, 30, 20, 8, 9, "pcs", "CNY"])
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(sales_manager)
    response = client.post(reverse("catalog:product_import"),
                           {"file": SimpleUploadedFile("p.xlsx", buffer.getvalue())})
    preview = response.context["preview"]
    assert {r.row: set(r.errors) for r in preview.bad_rows} == {3: {"default_supplier", "units_per_carton"}}
    assert not Product.objects.exists()
    # fix the file: only the good row
    sheet.delete_rows(3)
    buffer = BytesIO()
    book.save(buffer)
    preview = client.post(reverse("catalog:product_import"),
                          {"file": SimpleUploadedFile("p.xlsx", buffer.getvalue())}).context["preview"]
    client.post(reverse("catalog:product_import"), {"token": preview.token})
    product = Product.objects.get(code="P-1")
    assert product.default_supplier == supplier and product.cbm_per_carton == Decimal("0.024000")


def test_product_list_export(client, salesperson):
    ProductFactory(code="EXP-1")
    client.force_login(salesperson)
    response = client.get(reverse("catalog:product_list"), {"export": "xlsx"})
    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "EXP-1" and len(rows) == 2
