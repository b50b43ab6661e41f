"""Tokens, the OpenAPI document and the one error shape."""

import pytest
from rest_framework.authtoken.models import Token

from gendan.accounts.tests.factories import PASSWORD
from gendan.api.errors import flatten_errors
from gendan.sales.services import TRANSITIONS

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_for_right_password_opens_the_api(api, salesperson, customer):
    response = api().post(TOKEN_URL, {"username": "sally", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=salesperson).key == key

    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listing = client.get("/api/v1/customers/")
    assert listing.status_code == 200
    assert [row["code"] for row in listing.json()["results"]] == [customer.code]


def test_token_for_wrong_password_is_refused(api, salesperson):
    response = api().post(TOKEN_URL, {"username": "sally", "password": "not-it"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["non_field_errors"] == ["Unable to log in with provided credentials."]
    assert not Token.objects.exists()


def test_token_request_names_missing_fields(api, db):
    response = api().post(TOKEN_URL, {"username": "sally"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"password"}


def test_token_endpoint_is_throttled(api, salesperson):
    client = api()
    # a different name each time, so the per-user lockout (test_throttle.py) never kicks in: this is the address limit
    codes = [client.post(TOKEN_URL, {"username": f"nobody{attempt}", "password": "x"}, format="json").status_code
             for attempt in range(11)]
    assert codes == [400] * 10 + [429]
    response = client.post(TOKEN_URL, {"username": "sally", "password": PASSWORD}, format="json")
    assert response.status_code == 429  # even the right password waits
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response.headers
    assert not Token.objects.exists()


def test_no_token_is_401(api, db):
    response = api().get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.",
                               "code": "not_authenticated"}
    assert response.headers["WWW-Authenticate"] == "Token"


def test_bad_token_is_401(api, db):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "code": "authentication_failed"}


def test_inactive_users_token_stops_working(api, salesperson):
    client = api(salesperson)
    salesperson.is_active = False
    salesperson.save()
    response = client.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_messages_follow_accept_language(api, db):
    response = api().get("/api/v1/orders/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"


def test_openapi_document_lists_every_endpoint(api, db):
    response = api().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Gendan API"
    assert "lines.1.quantity" in schema["info"]["description"]  # the error shape is documented
    paths = schema["paths"]
    for path in ["/api/v1/auth/token/", "/api/v1/customers/", "/api/v1/customers/{id}/",
                 "/api/v1/customers/{id}/contacts/", "/api/v1/suppliers/", "/api/v1/products/{id}/",
                 "/api/v1/orders/", "/api/v1/orders/{id}/", "/api/v1/orders/{id}/lines/",
                 "/api/v1/orders/{id}/lines/{line_id}/", "/api/v1/orders/{id}/revisions/"]:
        assert path in paths, path
    for name in TRANSITIONS:
        operation = paths[f"/api/v1/orders/{{id}}/{name.replace('_', '-')}/"]["post"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Order")
        assert "409" in operation["responses"]
    assert set(paths["/api/v1/orders/{id}/"]) == {"get", "patch"}  # no PUT, no DELETE of orders
    order_list = {p["name"] for p in paths["/api/v1/orders/"]["get"]["parameters"]}
    assert {"q", "status", "customer", "salesperson", "merchandiser", "page"} <= order_list
    components = schema["components"]["schemas"]
    assert "available_transitions" in components["Order"]["properties"]
    assert set(components["Error"]["properties"]) == {"detail", "code", "errors"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_interactive_docs_are_served(api, db):
    for url in ["/api/v1/docs/", "/api/v1/redoc/"]:
        response = api().get(url)
        assert response.status_code == 200
        assert b"/api/v1/openapi.json" in response.content


def test_flatten_errors_names_nested_fields():
    detail = {
        "customer": ["Required."],
        "lines": [{}, {"quantity": ["Too small."], "non_field_errors": ["Odd line."]}],
        "__all__": ["Whole order."],
        "contacts": {"non_field_errors": ["Expected a list."]},
    }
    assert flatten_errors(detail) == {
        "customer": ["Required."],
        "lines.1.quantity": ["Too small."],
        "lines.1": ["Odd line."],
        "non_field_errors": ["Whole order."],
        "contacts": ["Expected a list."],
    }


def test_token_endpoint_shares_the_login_lockout(api, salesperson):
    client = api()
    for _ in range(5):
        assert client.post(TOKEN_URL, {"username": "sally", "password": "guess"}, format="json").status_code == 400
    response = client.post(TOKEN_URL, {"username": "sally", "password": PASSWORD}, format="json")
    assert response.status_code == 429  # locked for 15 minutes, like the login page, and told so
    assert not Token.objects.exists()
