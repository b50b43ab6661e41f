"""Customers, suppliers and products through the API."""

from decimal import Decimal

import pytest

from gendan.catalog.models import Product
from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.tests.factories import CustomerFactory, SupplierFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- customers


def test_create_customer_with_contacts(api, sales_manager, salesperson, merchandiser):
    response = api(sales_manager).post("/api/v1/customers/", {
        "code": "ACME-US", "name_en": "Acme Hardware Inc.", "name_zh": "艾克美五金", "country": "US",
        "currency": "USD", "incoterm": "FOB", "incoterm_place": "Ningbo", "owner": salesperson.pk,
        "merchandiser": merchandiser.pk, "grade": "A", "credit_limit": "50000.00",
        "contacts": [{"name": "Jane Buyer", "role": "buyer", "email": "jane@acme.example", "is_primary": True}],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    customer = Customer.objects.get(code="ACME-US")
    assert body["id"] == customer.pk and body["version"] == 0
    assert (customer.owner, customer.merchandiser, customer.credit_limit) == (
        salesperson, merchandiser, Decimal("50000"))
    assert [c["email"] for c in body["contacts"]] == ["jane@acme.example"]
    assert customer.contacts.get().name == "Jane Buyer"
    assert customer.history.first().history_user == sales_manager


def test_customer_errors_are_named(api, salesperson):
    CustomerFactory(code="TAKEN")
    response = api(salesperson).post("/api/v1/customers/", {
        "code": "TAKEN", "name_en": "X", "country": "ZZ", "currency": "usd", "credit_limit": "-1",
        "contacts": [{"name": "Ok", "email": "fine@example.com"}, {"name": "Bad", "email": "not-an-email"}],
    }, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"code", "country", "currency", "credit_limit", "contacts.1.email"}
    assert errors["currency"] == ["usd is not an ISO 4217 currency code."]
    assert errors["contacts.1.email"] == ["Enter a valid email address."]
    assert Customer.objects.count() == 1 and not Contact.objects.exists()


def test_update_customer_with_version(api, salesperson, customer):
    client = api(salesperson)
    response = client.patch(f"/api/v1/customers/{customer.pk}/", {"name_en": "Renamed Ltd", "grade": "A",
                                                                  "version": 0}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["name_en"], response.json()["version"]) == ("Renamed Ltd", 1)
    stale = client.patch(f"/api/v1/customers/{customer.pk}/", {"name_en": "Again", "version": 0}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "concurrent_change"
    customer.refresh_from_db()
    assert (customer.name_en, customer.grade, customer.version) == ("Renamed Ltd", "A", 1)


def test_customer_code_stays_unique_on_update(api, salesperson, customer):
    CustomerFactory(code="OTHER")
    response = api(salesperson).patch(f"/api/v1/customers/{customer.pk}/", {"code": "OTHER", "version": 0},
                                      format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["code"]
    same = api(salesperson).patch(f"/api/v1/customers/{customer.pk}/", {"code": customer.code, "version": 0},
                                  format="json")
    assert same.status_code == 200


def test_merchandiser_keeps_the_file_she_looks_after_but_not_anothers(api, merchandiser, other_merchandiser,
                                                                      customer):
    """She keeps the files of the customers she looks after (seed 001); another merchandiser's are read-only."""
    client = api(merchandiser)
    response = client.patch(f"/api/v1/customers/{customer.pk}/", {"notes": "mine", "version": 0}, format="json")
    assert response.status_code == 200, response.content
    other = api(other_merchandiser)
    assert other.get(f"/api/v1/customers/{customer.pk}/").status_code == 404  # not hers to see
    customer.refresh_from_db()
    assert customer.notes == "mine" and customer.version == 1
    assert customer.history.latest("history_date").history_user == merchandiser


def test_merchandiser_cannot_change_a_customer_she_only_sees_through_an_order(api, merchandiser, salesperson):
    from gendan.parties.tests.factories import CustomerFactory
    from gendan.sales.tests.factories import make_order

    theirs = CustomerFactory(owner=salesperson, incoterm_place="Ningbo")
    make_order(by=salesperson, customer=theirs, merchandiser=merchandiser)
    client = api(merchandiser)
    assert client.get(f"/api/v1/customers/{theirs.pk}/").status_code == 200
    response = client.patch(f"/api/v1/customers/{theirs.pk}/", {"notes": "mine", "version": 0}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot change this customer.", "code": "permission_denied"}
    theirs.refresh_from_db()
    assert theirs.notes == "" and theirs.version == 0


def test_add_contact(api, salesperson, customer):
    response = api(salesperson).post(f"/api/v1/customers/{customer.pk}/contacts/", {
        "name": "Li Wei", "role": "QC", "phone": "+86 574 1234 5678", "messaging_id": "wx_liwei"}, format="json")
    assert response.status_code == 201, response.content
    assert [c["name"] for c in response.json()["contacts"]] == ["Li Wei"]
    contact = customer.contacts.get()
    assert (contact.role, contact.messaging_id, contact.supplier) == ("QC", "wx_liwei", None)
    bad = api(salesperson).post(f"/api/v1/customers/{customer.pk}/contacts/", {"email": "x"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"name", "email"}
    assert customer.contacts.count() == 1


def test_customer_list_filters(api, sales_manager, salesperson, other_salesperson):
    acme = CustomerFactory(code="ACME-US", name_en="Acme Hardware", country="US", grade="A", owner=salesperson)
    fjord = CustomerFactory(code="FJORD-NO", name_en="Fjord Trading", country="NO", grade="B", owner=salesperson)
    kobe = CustomerFactory(code="KOBE-JP", name_en="Kobe Shoji", name_zh="神户商事", country="JP",
                           owner=other_salesperson)
    client = api(sales_manager)

    def codes(**query):
        response = client.get("/api/v1/customers/", query)
        assert response.status_code == 200, response.content
        return [row["code"] for row in response.json()["results"]]

    assert codes() == [acme.code, fjord.code, kobe.code]
    assert codes(q="fjord") == [fjord.code]
    assert codes(q="神户") == [kobe.code]
    assert codes(country="JP") == [kobe.code]
    assert codes(grade="A") == [acme.code]
    assert codes(owner=salesperson.pk) == [acme.code, fjord.code]
    assert codes(ordering="-code") == [kobe.code, fjord.code, acme.code]


# ---------------------------------------------------------------- suppliers


def test_update_supplier_with_version(api, sales_manager):
    supplier = SupplierFactory(code="NB-01")
    client = api(sales_manager)
    response = client.patch(f"/api/v1/suppliers/{supplier.pk}/", {"name_en": "Ningbo Metal", "version": 0},
                            format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    assert client.patch(f"/api/v1/suppliers/{supplier.pk}/", {"name_en": "Late", "version": 0},
                        format="json").status_code == 409
    assert Supplier.objects.get(pk=supplier.pk).name_en == "Ningbo Metal"
    assert [row["code"] for row in client.get("/api/v1/suppliers/?q=nb-").json()["results"]] == ["NB-01"]


# ---------------------------------------------------------------- products

PRODUCT = {
    "code": "HG-3030", "name_en": "Stainless hinge 3\"", "name_zh": "不锈钢合页", "hs_code": "8302.10.0000",
    "unit": "pcs", "units_per_inner": 12, "units_per_carton": 144, "carton_length_cm": "42.0",
    "carton_width_cm": "31.5", "carton_height_cm": "20.0", "net_weight_kg": "14.40", "gross_weight_kg": "15.20",
}


def test_create_product_computes_cbm(api, salesperson):
    response = api(salesperson).post("/api/v1/products/", PRODUCT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cbm_per_carton"] == "0.026460"  # 42 × 31.5 × 20 / 1,000,000
    product = Product.objects.get(code="HG-3030")
    assert product.cbm_per_carton == Decimal("0.026460") and product.units_per_carton == 144


def test_cbm_per_carton_cannot_be_written(api, salesperson):
    response = api(salesperson).post("/api/v1/products/", {**PRODUCT, "cbm_per_carton": "9"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"cbm_per_carton": ["This field cannot be set here."]}
    assert not Product.objects.exists()


def test_product_errors_are_named(api, salesperson):
    bad_hs = api(salesperson).post("/api/v1/products/", {**PRODUCT, "hs_code": "83", "carton_width_cm": "0"},
                                   format="json")
    assert bad_hs.status_code == 400
    assert set(bad_hs.json()["errors"]) == {"hs_code", "carton_width_cm"}
    # rules across fields come from the model's clean(), through the service
    heavy_net = api(salesperson).post("/api/v1/products/", {**PRODUCT, "net_weight_kg": "20"}, format="json")
    assert heavy_net.status_code == 400
    assert heavy_net.json()["errors"] == {"net_weight_kg": ["Net weight cannot exceed gross weight."]}
    assert not Product.objects.exists()


def test_update_product_with_version(api, merchandiser, warehouse):
    product = ProductFactory()
    name = product.name_en
    response = api(merchandiser).patch(f"/api/v1/products/{product.pk}/", {
        "carton_height_cm": "50", "version": 0}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["cbm_per_carton"] == "0.060000"
    assert api(merchandiser).patch(f"/api/v1/products/{product.pk}/", {"name_en": "x", "version": 0},
                                   format="json").status_code == 409
    refused = api(warehouse).patch(f"/api/v1/products/{product.pk}/", {"name_en": "x", "version": 1},
                                   format="json")
    assert refused.status_code == 403
    assert api(warehouse).post("/api/v1/products/", PRODUCT, format="json").status_code == 403
    product.refresh_from_db()
    assert (product.carton_height_cm, product.version, product.name_en) == (Decimal("50"), 1, name)
    assert not Product.objects.filter(code="HG-3030").exists()


def test_product_list_filters(api, warehouse):
    hinge = ProductFactory(code="HG-1", name_en="Hinge")
    bolt = ProductFactory(code="BT-1", name_en="Bolt", is_active=False)
    client = api(warehouse)

    def codes(query):
        return [row["code"] for row in client.get(f"/api/v1/products/?{query}").json()["results"]]

    assert codes("") == [bolt.code, hinge.code]
    assert codes("q=hinge") == [hinge.code]
    assert codes("is_active=false") == [bolt.code]
