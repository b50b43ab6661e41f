"""A customer's page shows the customer's recent orders, loaded from sales (parties does not import sales:
sales builds on parties, never the other way round)."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
PARTIES = Path(__file__).resolve().parents[2] / "parties"


@pytest.fixture
def customers(salesperson, other_salesperson):
    ours = CustomerFactory(owner=salesperson, code="ALFA-US")
    theirs = CustomerFactory(owner=other_salesperson, code="BRAVO-UK")
    for customer in (ours, ours, theirs):
        make_order(by=customer.owner, customer=customer)
    return ours, theirs


def test_the_customer_page_loads_its_orders_from_sales(client, salesperson, customers):
    ours, _theirs = customers
    client.force_login(salesperson)
    page = client.get(reverse("parties:customer_detail", args=[ours.pk])).content.decode()
    url = reverse("sales:customer_orders", args=[ours.pk])
    assert f'hx-get="{url}"' in page
    listed = client.get(url)
    assert [o.customer_id for o in listed.context["orders"]] == [ours.pk, ours.pk]
    assert all(o.number in listed.content.decode() for o in listed.context["orders"])


def test_another_salespersons_customer_answers_404(client, salesperson, customers):
    client.force_login(salesperson)
    assert client.get(reverse("sales:customer_orders", args=[customers[1].pk])).status_code == 404


def test_a_manager_sees_every_customers_orders(client, sales_manager, customers):
    client.force_login(sales_manager)
    listed = client.get(reverse("sales:customer_orders", args=[customers[1].pk]))
    assert listed.status_code == 200 and len(listed.context["orders"]) == 1


def test_parties_imports_nothing_from_sales():
    for path in PARTIES.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(name.startswith("gendan.sales") for name in names), path
