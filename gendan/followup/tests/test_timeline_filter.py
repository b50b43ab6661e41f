"""The timeline's customer filter offers only the customers the user may see (issue 13.12)."""

import pytest
from django.urls import reverse

from gendan.followup.tests.factories import confirmed_order
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(salesperson, other_salesperson):
    return (CustomerFactory(owner=salesperson, code="ALFA-US", name_en="Alfa Imports"),
            CustomerFactory(owner=other_salesperson, code="BRAVO-UK", name_en="Bravo Trading"))


def offered(client, user, **query) -> tuple[list[str], str]:
    client.force_login(user)
    response = client.get(reverse("followup:timeline"), query)
    assert response.status_code == 200
    return [c.code for c in response.context["form"].fields["customer"].queryset], response.content.decode()


def test_salesperson_is_offered_only_own_customers(client, salesperson, customers):
    codes, content = offered(client, salesperson)
    assert codes == ["ALFA-US"]
    assert "BRAVO-UK" not in content and "Bravo Trading" not in content


@pytest.mark.parametrize("manager", ["sales_manager", "general_manager"])
def test_managers_are_offered_every_customer(request, client, manager, customers):
    codes, content = offered(client, request.getfixturevalue(manager))
    assert codes == ["ALFA-US", "BRAVO-UK"] and "Bravo Trading" in content


def test_filtering_by_a_customer_the_user_cannot_see_is_refused(client, salesperson, sales_manager, merchandiser,
                                                                 other_salesperson, customers):
    others = customers[1]
    confirmed_order(salesperson=other_salesperson, manager=sales_manager, merchandiser=merchandiser, customer=others)
    client.force_login(salesperson)
    response = client.get(reverse("followup:timeline"), {"customer": others.pk})
    assert "customer" in response.context["form"].errors
    assert response.context["plans"] == []


def test_the_timeline_and_the_api_filter_plans_alike(client, salesperson, sales_manager, merchandiser,
                                                     other_salesperson, customers):
    """One PlanFilter serves both: the same query gives the same plans, and a customer the user may not
    see is refused by both (the page shows the error, the API answers 400 naming the parameter)."""
    ours, others = customers
    for customer in (ours, ours, others):
        confirmed_order(salesperson=customer.owner, manager=sales_manager, merchandiser=merchandiser,
                        customer=customer)
    client.force_login(sales_manager)
    query = {"customer": ours.pk, "merchandiser": merchandiser.pk}
    page = client.get(reverse("followup:timeline"), query).context["plans"]
    api = client.get("/api/v1/plans/", query).json()["results"]
    assert len(page) == 2 and sorted(p.pk for p in page) == sorted(p["id"] for p in api)

    client.force_login(salesperson)
    refused = client.get("/api/v1/plans/", {"customer": others.pk})
    assert refused.status_code == 400 and "customer" in refused.json()["errors"]
    assert client.get("/api/v1/plans/", {"at_risk": "true", "customer": ours.pk}).status_code == 200
