"""Department owners (issue 14, finding 9: they could be set only by the demo). A manager names who owns a
department's milestones on new plans and may hand the open ones over; every change keeps its history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.accounts.roles import Role
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import DepartmentAssignee, Milestone, Plan
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user

URL = "/followup/department-owners/"


def engineering_open(order):
    return Milestone.objects.filter(plan__order=order, department=Role.ENGINEERING, status=MilestoneStatus.OPEN)


def post(client, **data):
    return client.post(URL, {"department": Role.ENGINEERING, "version": 0, **data}, follow=True)


@pytest.mark.django_db
def test_a_manager_names_an_owner_and_hands_open_milestones_over(client, salesperson, sales_manager, merchandiser,
                                                                 engineer, make_user):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    assert engineering_open(order).exists() and not engineering_open(order).exclude(owner=None).exists()
    Plan.objects.filter(order=order).update(reminders_wanted_at=None)
    client.force_login(sales_manager)
    assert post(client, user=engineer.pk, hand_over="on").status_code == 200
    owner = DepartmentAssignee.objects.get(department=Role.ENGINEERING)
    assert (owner.user, owner.version, owner.history.get().history_user) == (engineer, 1, sales_manager)
    moved = list(engineering_open(order))
    assert moved and all(m.owner == engineer for m in moved)
    latest = moved[0].history.order_by("-history_id")[0]
    assert (latest.history_user, latest.owner_id, latest.history_change_reason) == (
        sales_manager, engineer.pk, "部门负责人变更")
    assert Plan.objects.get(order=order).reminders_wanted_at is not None  # the new owner gets reminded

    # a new plan gives engineering to her straight away
    second = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    assert {m.owner for m in engineering_open(second)} == {engineer}

    # changed without handing over: new plans only
    other = make_user(Role.ENGINEERING, username="erin")
    post(client, user=other.pk, version=1)
    assert DepartmentAssignee.objects.get(department=Role.ENGINEERING).user == other
    assert {m.owner for m in engineering_open(order)} == {engineer}


@pytest.mark.django_db
def test_wrong_person_stale_version_and_other_roles_are_refused(client, sales_manager, merchandiser, engineer):
    client.force_login(sales_manager)
    page = post(client, user=merchandiser.pk).content.decode()
    assert "不在工程部工作" in page or "does not work in" in page
    assert not DepartmentAssignee.objects.exists()
    post(client, user=engineer.pk)
    page = post(client, user=engineer.pk, version=0).content.decode()  # a second manager, still seeing version 0
    assert "已被他人修改" in page and DepartmentAssignee.objects.get().version == 1
    client.force_login(merchandiser)
    assert client.get(URL).status_code == 403 and post(client, user="").status_code == 403
    assert DepartmentAssignee.objects.get().user == engineer


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_department_owners_in_the_browser(page, live_server, salesperson, sales_manager, merchandiser, engineer,
                                          width):
    today = timezone.localdate()
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=today - timedelta(days=5), ex_factory=today + timedelta(days=50))
    problems = log_in(page, live_server, merchandiser, width)
    assert page.goto(f"{live_server.url}{URL}").status == 403

    problems = switch_user(page, live_server, sales_manager, width)
    page.goto(f"{live_server.url}/followup/team/")
    page.click("[data-testid=department-owners-link]")
    page.select_option("[data-testid=owner-engineering]", str(engineer.pk))
    page.check("[data-testid=hand-over-engineering]")
    page.click("[data-testid=save-engineering]")
    expect(page.locator("[data-testid=message]")).to_be_visible()
    assert DepartmentAssignee.objects.get(department=Role.ENGINEERING).user == engineer
    assert {m.owner for m in engineering_open(order)} == {engineer}
    expect(page.locator("[data-testid=owner-engineering]")).to_have_value(str(engineer.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []
