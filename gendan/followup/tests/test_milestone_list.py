"""The cockpit's lists are capped; each says how many there are and links to its full list: the milestone list
page, filtered as the cockpit was, paged and exported. The team page says what its counts count."""

import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.replanning import plan_replan
from gendan.followup.selectors import LIST_LIMIT
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 12)
LIST = "/followup/milestones/"


@pytest.fixture
def orders(salesperson, sales_manager, merchandiser):
    made = []
    for _n in range(7):
        order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
        plan_replan(Plan.objects.get(order=order), today=TODAY)
        made.append(order)
    return made


def signed_in(client, user):
    client.force_login(user)
    return client


def overdue_everywhere():
    return Milestone.objects.filter(status=MilestoneStatus.OPEN, due_date__lt=TODAY)


def test_a_capped_cockpit_list_says_so_and_links_to_all_of_it(client, orders, general_manager):
    overdue = overdue_everywhere().count()
    assert overdue > LIST_LIMIT
    with at(TODAY):
        page = signed_in(client, general_manager).get("/").content.decode()
        more = re.search(r'<a [^>]*href="([^"]+)" data-testid="more-overdue">([^<]+)<', page)
        assert more and more.group(1) == f"{LIST}?due=overdue"  # a manager answers for everybody's
        assert re.findall(r"\d+", more.group(2)) == [str(LIST_LIMIT), str(overdue)]
        full = client.get(LIST, {"due": "overdue"})
    assert full.context["page"].paginator.count == overdue
    assert {m.pk for m in full.context["page"].paginator.object_list} == set(overdue_everywhere().values_list("pk",
                                                                                                            flat=True))
    with at(TODAY):
        export = client.get(LIST, {"due": "overdue", "export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row == overdue + 1


def test_the_merchandisers_links_keep_to_what_she_owes(client, orders, merchandiser):
    with at(TODAY):
        page = signed_in(client, merchandiser).get("/").content.decode()
        assert f'href="{LIST}?due=overdue&amp;mine=on"' in page
        mine = client.get(LIST, {"due": "overdue", "mine": "on"}).context["page"].paginator.object_list
    assert mine and all(m.owner_id == merchandiser.pk for m in mine)
    assert len(mine) == overdue_everywhere().filter(owner=merchandiser).count()


def test_the_list_shows_only_orders_the_user_may_see(client, orders, other_salesperson, sales_manager,
                                                      merchandiser):
    customer = CustomerFactory(owner=other_salesperson, name_en="Hidden Buyer GmbH")
    theirs = confirmed_order(salesperson=other_salesperson, manager=sales_manager, merchandiser=merchandiser,
                             customer=customer)
    client = signed_in(client, other_salesperson)
    rows = client.get(LIST).context["page"].paginator.object_list
    assert {m.order_pk for m in rows} == {theirs.pk}
    refused = client.get(LIST, {"customer": orders[0].customer_id})  # a customer she may not see
    assert "customer" in refused.context["filter"].errors
    assert not refused.context["page"].paginator.count or {m.order_pk for m in refused.context["page"]} == {theirs.pk}
    assert "Hidden Buyer" not in signed_in(client, orders[0].salesperson).get(LIST).content.decode()


def test_bad_filter_values_are_refused_by_name_on_the_api(orders, merchandiser):
    from gendan.followup.tests.factories import api_for

    api = api_for(merchandiser)
    assert api.get("/api/v1/milestones/", {"due": "someday"}).status_code == 400
    with at(TODAY):
        answer = api.get("/api/v1/milestones/", {"due": "overdue", "mine": "true"})
    assert answer.status_code == 200
    assert answer.json()["count"] == overdue_everywhere().filter(owner=merchandiser).count()


def test_the_team_page_explains_and_opens_what_it_counts(client, orders, general_manager, merchandiser):
    with at(TODAY):
        page = signed_in(client, general_manager).get("/followup/team/")
    load = next(load for load in page.context["loads"] if load.merchandiser == merchandiser)
    every = overdue_everywhere().filter(plan__order__merchandiser=merchandiser)
    assert (load.overdue, load.overdue_own) == (every.count(), every.filter(owner=merchandiser).count())
    assert load.overdue > load.overdue_own > 0
    html = page.content.decode()
    assert 'data-testid="team-explained"' in html
    with at(TODAY):
        listed = client.get(LIST, {"owner": merchandiser.pk, "due": "overdue"})
        chased = client.get(LIST, {"merchandiser": merchandiser.pk, "due": "overdue"})
    assert listed.context["page"].paginator.count == load.overdue_own
    assert chased.context["page"].paginator.count == load.overdue


def test_a_row_form_is_given_only_to_who_may_use_it(client, orders, engineer, other_salesperson, merchandiser):
    review = Milestone.objects.filter(plan__order=orders[0], code="order_review").get()  # the merchandiser's
    client = signed_in(client, engineer)
    assert client.get(f"/followup/milestones/{review.pk}/form/done/").status_code == 403
    assert client.get(f"/followup/milestones/{review.pk}/form/note/").status_code == 200
    assert client.get(f"/followup/milestones/{review.pk}/form/delete/").status_code == 404
    assert signed_in(client, other_salesperson).get(f"/followup/milestones/{review.pk}/form/note/").status_code == 404
    done = signed_in(client, merchandiser).get(f"/followup/milestones/{review.pk}/form/done/").content.decode()
    assert f'hx-post="/followup/milestones/{review.pk}/done/"' in done and 'name="actual_date"' in done
