"""Deployment safety: the Content-Security-Policy, HTTPS mode (HSTS, Secure cookies, `check --deploy`),
and `Cache-Control: no-store` on what a logged-in user or an API client reads."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from gendan.accounts.tests.factories import PASSWORD

GENDAN_DIR = Path(settings.BASE_DIR)


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


# ---------------------------------------------------------------- Content-Security-Policy


def test_pages_carry_a_policy_that_runs_no_inline_script(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]  # injected markup cannot run code
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


def test_logged_in_pages_carry_the_policy(client, merchandiser):
    client.force_login(merchandiser)
    response = client.get("/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]


def test_the_api_docs_run_their_inline_script_by_nonce(client, merchandiser):
    client.force_login(merchandiser)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for attributes in inline)


TEMPLATES = sorted(GENDAN_DIR.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(GENDAN_DIR)))
def test_no_template_has_an_inline_script_or_handler(template):
    # The policy would block them in the browser; keep the code in static files (gendan/static/gendan/).
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script> without a nonce"
    assert not EVENT_HANDLER.search(text), "inline event handler (onclick=…)"


# ---------------------------------------------------------------- Cache-Control: no-store


def test_logged_in_pages_are_not_stored(client, merchandiser):
    client.force_login(merchandiser)
    response = client.get("/orders/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_api_answers_are_not_stored(client, merchandiser):
    token = Token.objects.create(user=merchandiser)
    response = client.get("/api/v1/orders/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    login = client.post("/api/v1/auth/token/", {"username": merchandiser.username, "password": PASSWORD})
    assert login.status_code == 200 and "no-store" in login.headers["Cache-Control"]  # the answer is a token


# ---------------------------------------------------------------- GENDAN_HTTPS=1, in a fresh process

HTTPS_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
proxied = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location"),
    "status": proxied.status_code, "hsts": proxied.headers.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(proxied.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": django.conf.settings.SESSION_COOKIE_SECURE,
}))
"""


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"GENDAN_TESTING", "GENDAN_DEBUG"}}
    env.update(GENDAN_VAR_DIR=str(tmp_path), SECRET_KEY=secrets.token_urlsafe(50),
               DJANGO_SETTINGS_MODULE="gendan.settings", **extra)
    return env


def test_https_mode_passes_the_deploy_check(tmp_path):
    env = production_env(tmp_path, GENDAN_HTTPS="1")
    result = subprocess.run([sys.executable, "-m", "gendan", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout + result.stderr


def test_without_https_the_deploy_check_says_what_is_missing(tmp_path):
    # the same check, so the test above would notice if the HTTPS settings stopped being applied
    result = subprocess.run([sys.executable, "-m", "gendan", "check", "--deploy", "--fail-level", "WARNING"],
                            env=production_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr


def test_https_mode_sends_hsts_secure_cookies_and_redirects_plain_http(tmp_path):
    env = production_env(tmp_path, GENDAN_HTTPS="1", ALLOWED_HOSTS="testserver")
    result = subprocess.run([sys.executable, "-c", HTTPS_PROBE], env=env, capture_output=True, text=True,
                            timeout=120, check=True)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert seen["status"] == 200  # the proxy said the client used HTTPS
    assert seen["hsts"] == "max-age=31536000; includeSubDomains"
    assert seen["csrf_cookie_secure"] and seen["session_cookie_secure"]


# ---------------------------------------------------------------- in a real browser: nothing blocked, pages work


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_policy_in_a_real_browser(page, live_server, salesperson, sales_manager, merchandiser,
                                                       administrator):
    from playwright.sync_api import expect

    from gendan.followup.models import PlanTemplate
    from gendan.followup.tests.factories import confirmed_order

    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    template = PlanTemplate.objects.first()
    blocked = []  # what the browser refused because of the policy (an EvalError included)

    def note(text: str) -> None:
        if "Content Security Policy" in text or "Refused to" in text:
            blocked.append(text)

    page.on("console", lambda message: note(message.text))
    page.on("pageerror", lambda error: note(str(error)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", administrator.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login]")
    expect(page.locator("[data-testid=bell]")).to_be_visible()

    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("[data-testid=plan-timeline] canvas")).to_have_count(1)  # timeline.js drew it, no inline script
    page.goto(f"{live_server.url}/followup/timeline/")
    expect(page.locator("[data-testid=orders-timeline] canvas")).to_have_count(1)
    for path in ["/", "/orders/", "/orders/new/", "/followup/team/", "/followup/templates/",
                 f"/followup/templates/{template.pk}/", "/followup/calendar/", "/customers/", "/products/",
                 "/suppliers/", "/followup/notifications/", "/admin/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/redoc/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gendan API", timeout=30_000)
    # Redoc's "API docs by Redocly" logo comes from its CDN; blocked, and nothing else is
    blocked = [message for message in blocked if "cdn.redoc.ly" not in message]
    assert blocked == []
