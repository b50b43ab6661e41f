"""Fixtures shared by every app's tests: one user per department (as STYLE.md §9)."""

import os

import pytest

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory


@pytest.fixture
def make_user(db):
    def make(*roles: str, **fields):
        return UserFactory(roles=roles, **fields)

    return make


@pytest.fixture
def salesperson(make_user):
    return make_user(Role.SALES, username="sally")


@pytest.fixture
def other_salesperson(make_user):
    return make_user(Role.SALES, username="sam")


@pytest.fixture
def sales_manager(make_user):
    return make_user(Role.SALES_MANAGER, username="manny")


@pytest.fixture
def merchandiser(make_user):
    return make_user(Role.MERCHANDISER, username="mei")


@pytest.fixture
def other_merchandiser(make_user):
    return make_user(Role.MERCHANDISER, username="max")


@pytest.fixture
def general_manager(make_user):
    return make_user(Role.GENERAL_MANAGER, username="grace")


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE, username="fiona")


@pytest.fixture
def warehouse(make_user):
    return make_user(Role.WAREHOUSE, username="walt")


@pytest.fixture
def engineer(make_user):
    return make_user(Role.ENGINEERING, username="eddie")


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR, username="ada", is_staff=True)


# ---------------------------------------------------------------- the real browser (Debian's chromium)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        # reduced motion: Bootstrap's smooth scrolling otherwise keeps an element far down a phone page moving
        # while Playwright scrolls it into view, and the click waits for it to hold still
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", reduced_motion="reduce")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# ---------------------------------------------------------------- a real SMTP server (aiosmtpd)


@pytest.fixture
def smtp_server(settings):
    """A local SMTP server on a free port; Django's SMTP backend sends to it. Yields the received messages."""
    import socket
    from email import message_from_bytes
    from email.policy import default

    from aiosmtpd.controller import Controller

    received = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            message = message_from_bytes(envelope.content, policy=default)
            received.append({"to": envelope.rcpt_tos, "message": message,
                             "body": message.get_body(("plain",)).get_content()})
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield received
    controller.stop()
