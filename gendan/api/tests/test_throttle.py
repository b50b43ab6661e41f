"""Login throttles that hold across web workers and behind a proxy: the token endpoint's per-address limit lives
in the shared (database) cache; a locked-out login is told 429; lockouts key on the real client's address."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from gendan.accounts.tests.factories import PASSWORD
from gendan.api.views import TokenThrottle
from gendan.core.middleware import client_address

TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.2"  # our reverse proxy, as REMOTE_ADDR shows it
CLIENT_A, CLIENT_B = "203.0.113.7", "198.51.100.9"  # two offices reaching us through it


def token_login(api, username: str, password: str, *, remote: str = "127.0.0.1", forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return api().post(TOKEN_URL, {"username": username, "password": password}, format="json", **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.GENDAN_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.GENDAN_TRUSTED_PROXY_COUNT = 1


# ---------------------------------------------------------------- one count for all workers


def test_the_token_throttle_counts_in_the_database_every_worker_reads(api, db):
    assert isinstance(caches["shared"], DatabaseCache)
    for attempt in range(10):
        assert token_login(api, f"nobody{attempt}", "x").status_code == 400
    # another worker process has its own cache objects but reads the same table: a fresh one sees all ten
    another_worker = DatabaseCache("gendan_cache", {})
    assert len(another_worker.get("throttle_api_token_127.0.0.1")) == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM gendan_cache WHERE cache_key LIKE %s", ["%throttle_api_token_127.0.0.1"])
        assert cursor.fetchone()[0] == 1
    assert token_login(api, "nobody10", "x").status_code == 429
    assert TokenThrottle().cache is caches["shared"]


# ---------------------------------------------------------------- a locked-out login says so


def test_a_locked_out_token_login_is_429_with_retry_after(api, salesperson):
    for _ in range(5):
        assert token_login(api, salesperson.username, "guess").status_code == 400
    response = token_login(api, salesperson.username, PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["detail"].startswith("Too many failed logins for this user from your address.")
    assert response.headers["Retry-After"] == "900"  # the 15-minute cool-off
    assert not Token.objects.exists()


# ---------------------------------------------------------------- the real client's address behind a proxy


def test_behind_a_trusted_proxy_a_lockout_holds_only_the_guessing_client(api, salesperson, behind_proxy):
    for _ in range(5):
        assert token_login(api, salesperson.username, "guess", remote=PROXY, forwarded=CLIENT_A).status_code == 400
    locked = token_login(api, salesperson.username, PASSWORD, remote=PROXY, forwarded=CLIENT_A)
    assert locked.status_code == 429
    # the same user from another office, through the same proxy, is not locked out by the guesser
    response = token_login(api, salesperson.username, PASSWORD, remote=PROXY, forwarded=CLIENT_B)
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=salesperson).key


def test_behind_a_trusted_proxy_the_ui_login_locks_the_client_not_the_proxy(client, salesperson, behind_proxy):
    for _ in range(5):
        client.post("/accounts/login/", {"username": salesperson.username, "password": "guess"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    locked = client.post("/accounts/login/", {"username": salesperson.username, "password": PASSWORD},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    assert locked.status_code == 429  # axes's lockout page
    response = client.post("/accounts/login/", {"username": salesperson.username, "password": PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_B)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(salesperson.pk)


def test_a_forged_left_entry_does_not_escape_the_lockout(api, salesperson, behind_proxy):
    # the client writes its own X-Forwarded-For; our proxy appends the address it really came from
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        token_login(api, salesperson.username, "guess", remote=PROXY, forwarded=f"{forged}, {CLIENT_A}")
    response = token_login(api, salesperson.username, PASSWORD, remote=PROXY, forwarded=f"6.6.6.6, {CLIENT_A}")
    assert response.status_code == 429


def test_without_a_trusted_proxy_a_forged_header_is_ignored(api, salesperson):
    # the lockout: five guesses, each claiming another address, are five guesses from one address
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        token_login(api, salesperson.username, "guess", forwarded=forged)
    assert token_login(api, salesperson.username, PASSWORD, forwarded="6.6.6.6").status_code == 429
    # the throttle: ten requests, each claiming another address, still count as one client
    codes = [token_login(api, f"nobody{n}", "x", forwarded=f"192.0.2.{n}").status_code for n in range(11)]
    assert codes[-1] == 429


@pytest.mark.parametrize(("header", "count", "expected"), [
    ("", 1, PROXY),                                    # not trusted: the header is ignored
    ("X-Forwarded-For", 1, CLIENT_A),                  # one proxy: the right-most entry
    ("X-Forwarded-For", 2, "1.1.1.1"),                 # two proxies: one further left
    ("X-Real-IP", 1, PROXY),                           # a header our proxy does not send: REMOTE_ADDR
])
def test_client_address_reads_the_right_most_untrusted_entry(settings, header, count, expected):
    settings.GENDAN_TRUSTED_PROXY_HEADER = header
    settings.GENDAN_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"9.9.9.9, 1.1.1.1, {CLIENT_A}")
    assert client_address(request) == expected


def test_client_address_ignores_a_malformed_entry(settings):
    settings.GENDAN_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(request) == PROXY
