import pytest
from django.urls import reverse

from gendan.parties.models import Contact, Customer
from gendan.parties.tests.factories import CustomerFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def customer_form(**overrides):
    data = {
        "code": "BLUE-DE", "name_en": "Blauwerk GmbH", "name_zh": "蓝工", "country": "DE", "grade": "A",
        "currency": "eur", "incoterm": "FOB", "incoterm_place": "Ningbo", "document_language": "en",
        "credit_limit": "50000", "is_active": "on",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Jonas Weber", "contacts-0-email": "jonas@blauwerk.de", "contacts-0-role": "buyer",
    }
    data.update(overrides)
    return data


def test_salesperson_creates_own_customer_with_contact(client, salesperson, other_salesperson):
    client.force_login(salesperson)
    # a salesperson cannot hand the new customer to somebody else: owner is not even on their form
    response = client.post(reverse("parties:customer_create"), customer_form(owner=other_salesperson.pk))
    customer = Customer.objects.get(code="BLUE-DE")
    assert response.status_code == 302
    assert customer.owner == salesperson and customer.currency == "EUR"
    assert list(customer.contacts.values_list("name", "email")) == [("Jonas Weber", "jonas@blauwerk.de")]
    assert customer.history.first().history_user == salesperson


@pytest.mark.parametrize("field,value", [
    ("currency", "EURO"), ("country", "XX"), ("contacts-0-email", "not-an-email"), ("code", ""),
    ("credit_limit", "-5"),
])
def test_bad_customer_input_names_the_field_and_saves_nothing(client, salesperson, field, value):
    client.force_login(salesperson)
    response = client.post(reverse("parties:customer_create"), customer_form(**{field: value}))
    assert response.status_code == 200
    form_errors = dict(response.context["form"].errors)
    contact_errors = response.context["contacts"].errors[0]
    assert field.removeprefix("contacts-0-") in {**form_errors, **contact_errors}
    assert not Customer.objects.exists() and not Contact.objects.exists()


def test_duplicate_code_is_refused(client, salesperson):
    CustomerFactory(code="BLUE-DE")
    client.force_login(salesperson)
    response = client.post(reverse("parties:customer_create"), customer_form())
    assert "code" in response.context["form"].errors


@pytest.mark.parametrize("who,status", [
    ("salesperson", 200), ("sales_manager", 200), ("other_salesperson", 404), ("finance", 403),
    ("merchandiser", 404),
])
def test_customer_edit_permissions(request, client, salesperson, who, status):
    customer = CustomerFactory(owner=salesperson)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("parties:customer_edit", args=[customer.pk])).status_code == status


def test_customer_list_shows_only_own_customers(client, salesperson, other_salesperson, sales_manager):
    mine, theirs = CustomerFactory(owner=salesperson), CustomerFactory(owner=other_salesperson)
    client.force_login(salesperson)
    content = client.get(reverse("parties:customer_list")).content.decode()
    assert mine.code in content and theirs.code not in content
    client.force_login(sales_manager)
    content = client.get(reverse("parties:customer_list")).content.decode()
    assert mine.code in content and theirs.code in content


def test_edit_with_stale_version_is_refused(client, salesperson):
    customer = CustomerFactory(owner=salesperson, name_en="Old name")
    client.force_login(salesperson)
    data = customer_form(code=customer.code, name_en="First edit", version=customer.version,
                         **{"contacts-TOTAL_FORMS": "0", "contacts-0-name": ""})
    client.post(reverse("parties:customer_edit", args=[customer.pk]), data)
    data["name_en"] = "Second edit from an old page"
    response = client.post(reverse("parties:customer_edit", args=[customer.pk]), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    customer.refresh_from_db()
    assert customer.name_en == "First edit"


def test_supplier_pages(client, sales_manager, salesperson):
    supplier = SupplierFactory(name_zh="宁波五金厂")
    client.force_login(salesperson)
    assert "宁波五金厂" in client.get(reverse("parties:supplier_list")).content.decode()
    assert client.get(reverse("parties:supplier_edit", args=[supplier.pk])).status_code == 403
    client.force_login(sales_manager)
    assert client.get(reverse("parties:supplier_edit", args=[supplier.pk])).status_code == 200


def test_payment_terms_read_in_the_users_language_and_print_in_english(client, salesperson):
    """The order header shows terms in Chinese to a Chinese user; the customer pages and forms now do too,
    while documents keep the English trade name."""
    from gendan.parties.models import PaymentTerm

    term = PaymentTerm.objects.create(name="T/T 30% deposit, 70% against copy B/L", deposit_percent=30,
                                      name_zh="电汇 30% 定金，70% 见提单副本付款", balance_condition="against_copy_bl")
    customer = CustomerFactory(owner=salesperson, payment_term=term)
    client.force_login(salesperson)
    for url in (reverse("parties:customer_detail", args=[customer.pk]), reverse("parties:customer_list"),
                reverse("parties:customer_edit", args=[customer.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "电汇 30% 定金，70% 见提单副本付款" in page and "against copy B/L" not in page, url
    salesperson.language = "en"
    salesperson.save(update_fields=["language"])
    page = client.get(reverse("parties:customer_detail", args=[customer.pk])).content.decode()
    assert "T/T 30% deposit, 70% against copy B/L" in page and "电汇" not in page
