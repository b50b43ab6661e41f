"""403 and 404 pages come inside the app (menu, language, a way back), a panel swapped by htmx gets just the
message, and a refusal is one line in the log, not a traceback (issue 14, finding 8)."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_pages(settings):
    settings.DEBUG = False


def test_an_unknown_page_is_the_apps_404_in_chinese(client, merchandiser):
    client.force_login(merchandiser)
    response = client.get("/orders/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in page and "未找到" in page and reverse("home") in page
    assert 'data-testid="logout"' in page  # the app's frame, with its menu


def test_a_refusal_is_the_apps_403_and_logs_no_traceback(client, warehouse, caplog):
    client.force_login(warehouse)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("sales:order_create"))
    assert response.status_code == 403
    assert 'data-testid="error-page"' in response.content.decode()
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert refusals and all(r.exc_info is None for r in refusals)


def test_htmx_gets_only_the_message(client, warehouse):
    client.force_login(warehouse)
    response = client.get(reverse("sales:order_create"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 403 and page.startswith('<div class="alert alert-danger"') and "<html" not in page
