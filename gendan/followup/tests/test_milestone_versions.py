"""Milestone actions from the cockpit and the plan panel carry the version the page showed: of two people
acting on what they both saw, the second is told that it changed meanwhile, and nothing of theirs is saved.
Every change moves the version on, so an API client holding the old one is refused too."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.core.errors import ConcurrentChange
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Activity, Milestone
from gendan.followup.services import milestone_complete, milestone_reschedule
from gendan.followup.tests.factories import api_for, at, planned_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 12)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return planned_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, today=TODAY)


@pytest.fixture
def bom(order):
    return Milestone.objects.get(plan__order=order, code="bom")


def act(client, milestone, action, view="plan", htmx=True, **data):
    url = reverse("followup:milestone_action", args=[milestone.pk, action])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with at(TODAY):
        return client.post(url, {"view": view, **data}, **extra)


def shown_version(client, milestone, order, kind="reschedule") -> str:
    """The version in the plan panel's form for this milestone, as the browser would post it: the panel's button
    names the form and the version the panel showed; the form is fetched when the button is clicked."""
    with at(TODAY):
        panel = client.get(reverse("followup:order_plan", args=[order.pk])).content.decode()
        form_url = re.search(rf'data-row-form="(/followup/milestones/{milestone.pk}/form/{kind}/[^"]*)"', panel)[1]
        form = client.get(form_url.replace("&amp;", "&")).content.decode()
    return re.search(r'name="version" value="(\d+)"', form)[1]


def changed_meanwhile(response, milestone) -> str:
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return str(ConcurrentChange(milestone))


def test_every_milestone_form_carries_the_version_shown(client, order, bom, engineer, merchandiser):
    client.force_login(engineer)
    with at(TODAY):
        panel = client.get(reverse("followup:order_plan", args=[order.pk])).content.decode()
        cockpit = client.get(reverse("home")).content.decode()
    # the plan's and the cockpit's forms come when asked for, and their buttons name the version shown
    buttons = re.findall(r'data-row-form="/followup/milestones/\d+/form/\w+/[^"]*"', panel + cockpit)
    assert buttons and all("version=" in button for button in buttons)
    reschedule = f"/followup/milestones/{bom.pk}/form/reschedule/"
    assert f'data-row-form="{reschedule}?view=plan&amp;version={bom.version}"' in panel
    assert f'data-row-form="{reschedule}?version={bom.version}"' in cockpit
    # the cockpit: one-click done sends the version with the button
    quick = re.findall(r'<button[^>]*hx-post="/followup/milestones/\d+/done/"[^>]*>', cockpit)
    assert quick and all('"version": ' in button for button in quick)
    for kind in ("done", "reschedule", "waive"):
        assert shown_version(client, bom, order, kind) == str(bom.version)


def test_a_form_fetched_after_a_change_still_carries_the_version_the_page_showed(client, order, bom, engineer,
                                                                                 merchandiser):
    """The page is older than the form: whoever acts on what the page showed is told it changed meanwhile."""
    shown = bom.version
    with at(TODAY):  # after the page was shown, the merchandiser agrees a new date with engineering
        milestone_reschedule(milestone=bom, by=merchandiser, new_date=date(2026, 10, 20), reason="drawings late",
                             version=shown)
    client.force_login(engineer)
    url = reverse("followup:milestone_form", args=[bom.pk, "done"])
    with at(TODAY):
        form = client.get(f"{url}?view=plan&version={shown}").content.decode()
    assert f'name="version" value="{shown}"' in form
    response = act(client, bom, "done", version=shown, note="signed")
    bom.refresh_from_db()
    assert changed_meanwhile(response, bom) in response.content.decode()
    assert bom.status == MilestoneStatus.OPEN and bom.due_date == date(2026, 10, 20)


def test_two_people_rescheduling_the_same_version_the_second_is_refused(client, order, bom, merchandiser,
                                                                       engineer):
    version = bom.version
    client.force_login(merchandiser)
    shown = shown_version(client, bom, order)
    first = act(client, bom, "reschedule", version=shown, new_date="2026-10-15", reason="engineer on leave")
    assert first.status_code == 200
    client.force_login(engineer)
    second = act(client, bom, "reschedule", version=shown, new_date="2026-10-20", reason="drawings late")
    assert second.status_code == 200  # htmx swaps the panel in, with the message the user sees
    assert changed_meanwhile(second, bom) in second.content.decode()
    bom.refresh_from_db()
    assert bom.manual_date == date(2026, 10, 15) and bom.due_date == date(2026, 10, 15)
    assert bom.version == version + 1
    assert bom.history.count() == 2  # created, rescheduled once
    assert Activity.objects.filter(milestone=bom).count() == 1
    # the API client holding the old version is refused as well
    response = api_for(engineer).post(f"/api/v1/milestones/{bom.pk}/reschedule/",
                                      {"version": version, "new_date": "2026-10-22", "reason": "x"}, format="json")
    assert response.status_code == 409
    assert Milestone.objects.get(pk=bom.pk).manual_date == date(2026, 10, 15)


@pytest.mark.parametrize("action,data", [
    ("done", {"actual_date": "2026-10-12"}), ("waive", {"reason": "not needed"}),
])
def test_done_and_waive_with_a_stale_version_are_refused(client, order, bom, engineer, merchandiser, action, data):
    client.force_login(engineer)
    shown = shown_version(client, bom, order)
    client.force_login(merchandiser)
    act(client, bom, "reschedule", view="cockpit", version=shown, new_date="2026-10-15", reason="agreed")
    client.force_login(engineer)
    response = act(client, bom, action, version=shown, **data)
    assert changed_meanwhile(response, bom) in response.content.decode()
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.OPEN and bom.version == int(shown) + 1


def test_reopen_with_a_stale_version_is_refused(client, order, bom, engineer, general_manager):
    client.force_login(engineer)
    done = act(client, bom, "done", version=bom.version, actual_date="2026-10-10")
    assert done.status_code == 200
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.DONE
    shown = bom.version
    client.force_login(general_manager)
    assert act(client, bom, "reopen", version=shown, reason="drawings wrong").status_code == 200
    client.force_login(engineer)
    response = act(client, bom, "reopen", version=shown, reason="me too")
    assert changed_meanwhile(response, bom) in response.content.decode()
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.OPEN and bom.version == shown + 1
    assert bom.history.first().history_change_reason == "drawings wrong"


def test_a_stale_plain_post_is_told_on_the_order_page(client, order, bom, merchandiser, engineer):
    # without htmx (a browser without JavaScript) the answer is the order page with the message on it
    client.force_login(merchandiser)
    act(client, bom, "reschedule", version=bom.version, new_date="2026-10-15", reason="agreed")
    client.force_login(engineer)
    response = act(client, bom, "done", htmx=False, version=bom.version)
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    with at(TODAY):
        page = client.get(response["Location"])
    assert changed_meanwhile(page, bom) in page.content.decode()
    assert Milestone.objects.get(pk=bom.pk).status == MilestoneStatus.OPEN


def test_a_post_without_a_version_is_refused(client, order, bom, engineer):
    client.force_login(engineer)
    response = act(client, bom, "done")
    assert "reload the page" in response.content.decode() or "刷新" in response.content.decode()
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.OPEN and bom.version == 0


def test_every_change_moves_the_version_also_without_one(order, bom, engineer):
    # a caller without a version (a record completing its milestone) still moves it on
    version = bom.version
    with at(TODAY):
        milestone_complete(milestone=bom, by=engineer)
    assert Milestone.objects.get(pk=bom.pk).version == version + 1 == bom.version
    response = api_for(engineer).post(f"/api/v1/milestones/{bom.pk}/waive/",
                                      {"version": version, "reason": "x"}, format="json")
    assert response.status_code == 409


def test_a_successful_action_moves_the_version_once(client, order, bom, engineer):
    client.force_login(engineer)
    act(client, bom, "done", version=bom.version)
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.DONE and bom.version == 1
    assert bom.history.first().history_user == engineer
