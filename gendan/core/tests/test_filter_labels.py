"""Every list's filters say "All" for a choice left empty, never django-filter's "---------" (the crawler checks
every page)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["followup:milestone_list", "sales:order_list", "parties:customer_list",
                                 "parties:supplier_list"])
def test_filters_say_all(client, general_manager, url):
    client.force_login(general_manager)
    page = client.get(reverse(url)).content.decode()
    assert "---------" not in page
