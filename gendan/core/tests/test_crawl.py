"""Every page each demo role can reach, in a real Chromium on a desktop and on a phone: no HTTP error of the
page or of anything it loads, no console error or warning, no sideways scrolling at 390 px, no English left
in the Chinese UI, and no customer a salesperson or merchandiser may not see.

The demo company is the data set (it is the realistic case); building it takes about two minutes on SQLite,
so it is built once and one test crawls every role. The crawler is in crawl.py."""

import asyncio
import time

import pytest
from django.db import connection

from gendan.accounts.models import User
from gendan.conftest import CHROMIUM, FLAGS
from gendan.core.tests.crawl import PER_BUCKET, PER_CRAWL, crawl_roles, report
from gendan.demo import data
from gendan.demo.company import build_demo
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_list_visible_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = 390, 1366
# Every role is crawled on the phone; on the desktop these (the busiest menus and pages) revisit what was found.
DESKTOP_ROLES = ["merch", "salesmgr", "sales", "admin", "warehouse"]


def forbidden_texts(user) -> dict[str, str]:
    """What names the customers a user with a restricted view may not see: their code, English and Chinese
    name ({text: customer code}). Users who see every customer, or every active order with its customer
    (the departments), have nothing forbidden. A text that is part of a visible customer's is left out."""
    if not user.has_perm("parties.view_customer") or user.has_perm("parties.view_all_customers") \
            or user.has_perm("sales.view_active_orders"):
        return {}
    visible = set(customer_list_visible_to(user=user).values_list("pk", flat=True))
    allowed = [text for c in Customer.objects.filter(pk__in=visible) for text in (c.code, c.name_en, c.name_zh)]
    forbidden = {}
    for customer in Customer.objects.exclude(pk__in=visible).exclude(owner=user):
        for text in (customer.code, customer.name_en, customer.name_zh):
            if text and not any(text in other for other in allowed):
                forbidden[text] = customer.code
    return forbidden


def test_every_page_of_every_role(live_server, settings, tmp_path, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("the crawl takes minutes: it runs on SQLite only, the rest of the suite covers PostgreSQL")
    settings.MEDIA_ROOT = tmp_path  # the demo stores its logo
    started = time.monotonic()
    build_demo()
    built = time.monotonic() - started

    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in data.USERS])}
    assert {u.language for u in users.values()} <= {"", "zh-hans"}, "the demo people read Chinese"
    forbidden = {name: forbidden_texts(user) for name, user in users.items()}
    assert forbidden["sales"] and forbidden["merch2"], "the demo has customers sales and merch2 may not see"

    roles = [(username, [PHONE, DESKTOP] if username in DESKTOP_ROLES else [PHONE]) for username, *_ in data.USERS]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the crawl's event loop runs in this thread
    problems, stats = asyncio.run(crawl_roles(origin=live_server.url, roles=roles, password=data.PASSWORD,
                                              forbidden=forbidden, browser_path=CHROMIUM, flags=FLAGS))

    pages = ", ".join(f"{role}@{width}: {n} ({seconds:.0f}s)" for (role, width), (n, seconds) in stats.items())
    summary = (f"demo built in {built:.0f}s, crawled in {time.monotonic() - started - built:.0f}s; at most "
               f"{PER_CRAWL} pages per role and width, {PER_BUCKET} per pattern. Pages: {pages}")
    print(summary)
    if problems:
        pytest.fail(f"{summary}\n{report(problems, [role for role, _widths in roles])}", pytrace=False)
