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
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
