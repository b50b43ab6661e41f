"""Who may do what on the follow-up pages and API: an object the user may not see answers 404 (as if it did
not exist), one they see but may not change 403. Delay notices go to the customer only from the order's
salesperson, merchandiser or a manager."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.followup.models import Activity, DelayNotice, Milestone, Plan
from gendan.followup.services import (
    activity_add,
    delay_notice_draft,
    delay_notice_record,
    delay_notice_send,
    delay_notice_update,
)
from gendan.followup.tests.factories import api_for, at, confirmed_order, planned_order
from gendan.followup.tests.test_delay_notice import at_risk_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 12)
ACTIONS = ["done", "waive", "reopen", "reschedule"]


@pytest.fixture
def qc(make_user):
    return make_user(Role.QC, username="quinn")


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return planned_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, today=TODAY)


@pytest.fixture
def bom(order):
    return Milestone.objects.get(plan__order=order, code="bom")


def post(client, user, url, data=None, htmx=True):
    client.force_login(user)
    with at(TODAY):
        return client.post(url, data or {}, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))


# ---------------------------------------------------------------- milestones: 404 unseen, 403 not yours


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("htmx", [True, False])
def test_a_milestone_of_an_order_one_cannot_see_is_not_found(client, bom, other_salesperson, action, htmx):
    url = reverse("followup:milestone_action", args=[bom.pk, action])
    data = {"view": "plan", "version": bom.version, "reason": "x", "new_date": "2026-10-20"}
    assert post(client, other_salesperson, url, data, htmx=htmx).status_code == 404
    assert Milestone.objects.get(pk=bom.pk).version == bom.version


def test_an_unknown_action_is_not_found(client, bom, engineer, other_salesperson):
    for user in (engineer, other_salesperson):
        url = reverse("followup:milestone_action", args=[bom.pk, "delete"])
        assert post(client, user, url, {"view": "plan", "version": bom.version}).status_code == 404


@pytest.mark.parametrize("who,action", [("finance", "reschedule"), ("merchandiser", "waive"),
                                        ("merchandiser", "done"), ("warehouse", "done")])
def test_a_visible_milestone_that_is_not_yours_is_forbidden(request, client, bom, who, action):
    user = request.getfixturevalue(who)
    url = reverse("followup:milestone_action", args=[bom.pk, action])
    data = {"view": "plan", "version": bom.version, "reason": "x", "new_date": "2026-10-20"}
    assert post(client, user, url, data).status_code == 403
    assert post(client, user, url, data, htmx=False).status_code == 403
    assert Milestone.objects.get(pk=bom.pk).version == bom.version


def test_reopen_by_another_department_is_forbidden(client, bom, engineer, warehouse):
    post(client, engineer, reverse("followup:milestone_action", args=[bom.pk, "done"]),
         {"view": "plan", "version": bom.version})
    bom.refresh_from_db()
    response = post(client, warehouse, reverse("followup:milestone_action", args=[bom.pk, "reopen"]),
                    {"view": "plan", "version": bom.version, "reason": "x"})
    assert response.status_code == 403 and Milestone.objects.get(pk=bom.pk).status == "done"


# ---------------------------------------------------------------- the other follow-up views


def test_the_plan_panel_and_activities_of_an_unseen_order_are_not_found(client, order, bom, other_salesperson,
                                                                          salesperson, sales_manager,
                                                                          other_merchandiser):
    client.force_login(other_salesperson)
    assert client.get(reverse("followup:order_plan", args=[order.pk])).status_code == 404
    url = reverse("followup:activity_add", args=[order.pk])
    note = {"view": "plan", "kind": "call", "summary": "called"}
    assert post(client, other_salesperson, url, note).status_code == 404
    # a milestone of another order (or no milestone at all) on a visible order is not found either
    theirs = confirmed_order(salesperson=other_salesperson, manager=sales_manager, merchandiser=other_merchandiser)
    other_bom = Milestone.objects.get(plan__order=theirs, code="bom")
    assert post(client, salesperson, url, {**note, "milestone": other_bom.pk}).status_code == 404
    assert post(client, salesperson, url, {**note, "milestone": "x"}).status_code == 404
    assert not Activity.objects.exists()


def test_closing_someone_elses_follow_up_is_forbidden(client, order, merchandiser, engineer, other_salesperson):
    activity = activity_add(order=order, by=merchandiser, kind="call", summary="called",
                            follow_up_on=date(2026, 10, 14))
    url = reverse("followup:follow_up_done", args=[activity.pk])
    assert post(client, other_salesperson, url, {"view": "plan"}).status_code == 404
    assert post(client, engineer, url, {"view": "plan"}).status_code == 403
    assert post(client, engineer, url, {"view": "plan"}, htmx=False).status_code == 403
    activity.refresh_from_db()
    assert not activity.follow_up_done
    assert post(client, merchandiser, url, {"view": "plan"}).status_code == 200
    activity.refresh_from_db()
    assert activity.follow_up_done


def test_shipping_dates_unseen_404_not_yours_403(client, order, engineer, other_salesperson, merchandiser):
    plan = Plan.objects.get(order=order)
    url = reverse("followup:plan_shipping_dates", args=[order.pk])
    dates = {"version": plan.version, "etd": "2026-11-25", "eta": "2026-12-20"}
    assert post(client, other_salesperson, url, dates).status_code == 404
    assert post(client, engineer, url, dates).status_code == 403
    assert Plan.objects.get(pk=plan.pk).etd is None
    assert post(client, merchandiser, url, {**dates, "version": "x"}).status_code == 200  # told, not a 500
    assert Plan.objects.get(pk=plan.pk).etd is None
    assert post(client, merchandiser, url, dates).status_code == 200
    assert Plan.objects.get(pk=plan.pk).etd == date(2026, 11, 25)


def test_reassign_unseen_404_not_a_manager_403(client, order, other_salesperson, merchandiser,
                                               other_merchandiser):
    url = reverse("followup:reassign", args=[order.pk])
    data = {"merchandiser": other_merchandiser.pk, "version": order.version}
    assert post(client, other_salesperson, url, data, htmx=False).status_code == 404
    assert post(client, merchandiser, url, data, htmx=False).status_code == 403
    order.refresh_from_db()
    assert order.merchandiser == merchandiser


# ---------------------------------------------------------------- delay notices


@pytest.fixture
def risky(salesperson, sales_manager, merchandiser):
    return at_risk_order(salesperson, sales_manager, merchandiser)


@pytest.mark.parametrize("who", ["qc", "warehouse", "engineer", "finance"])
def test_other_departments_cannot_draft_a_delay_notice(request, client, risky, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    panel = client.get(reverse("followup:order_plan", args=[risky.pk]))
    assert panel.status_code == 200 and 'data-testid="draft-delay-notice"' not in panel.content.decode()
    response = client.post(reverse("followup:delay_notice_draft", args=[risky.pk]))
    assert response.status_code == 403
    assert not DelayNotice.objects.exists()
    with pytest.raises(PermissionDenied):
        delay_notice_draft(order=risky, by=user)


@pytest.mark.parametrize("who", ["salesperson", "merchandiser", "sales_manager", "general_manager"])
def test_the_orders_people_and_managers_draft_the_notice(request, client, risky, who):
    client.force_login(request.getfixturevalue(who))
    panel = client.get(reverse("followup:order_plan", args=[risky.pk]))
    assert 'data-testid="draft-delay-notice"' in panel.content.decode()
    response = client.post(reverse("followup:delay_notice_draft", args=[risky.pk]))
    notice = DelayNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("followup:delay_notice", args=[notice.pk])


@pytest.mark.parametrize("who", ["qc", "warehouse"])
def test_other_departments_read_but_cannot_edit_or_send_a_notice(request, client, mailoutbox, risky, merchandiser,
                                                                  who):
    user = request.getfixturevalue(who)
    notice = delay_notice_draft(order=risky, by=merchandiser)
    url = reverse("followup:delay_notice", args=[notice.pk])
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200 and notice.subject in page.content.decode()
    assert 'data-testid="send-notice"' not in page.content.decode()
    form = {"recipients": "boss@rival.example", "subject": "x", "body": "x", "new_date": "2026-12-03"}
    for action in ("send", "record", "save"):
        assert client.post(url, {**form, "action": action}).status_code == 403
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.DRAFT and notice.recipients == "anna@nordhem.se"
    assert mailoutbox == [] and not risky.activities.filter(kind="delay_notice").exists()
    for service in (delay_notice_send, delay_notice_record):
        with pytest.raises(PermissionDenied):
            service(notice=notice, by=user)
    with pytest.raises(PermissionDenied):
        delay_notice_update(notice=notice, by=user, recipients="boss@rival.example")
    assert mailoutbox == []


def test_the_merchandiser_sends_the_notice_from_the_page(client, mailoutbox, risky, merchandiser):
    notice = delay_notice_draft(order=risky, by=merchandiser)
    client.force_login(merchandiser)
    response = client.post(reverse("followup:delay_notice", args=[notice.pk]), {
        "recipients": notice.recipients, "subject": notice.subject, "body": notice.body,
        "new_date": notice.new_date.isoformat(), "action": "send"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.SENT and len(mailoutbox) == 1


def test_notices_of_an_unseen_order_are_not_found(client, risky, merchandiser, other_salesperson):
    notice = delay_notice_draft(order=risky, by=merchandiser)
    client.force_login(other_salesperson)
    assert client.get(reverse("followup:delay_notice", args=[notice.pk])).status_code == 404
    assert client.post(reverse("followup:delay_notice", args=[notice.pk]), {"action": "send"}).status_code == 404
    assert client.post(reverse("followup:delay_notice_draft", args=[risky.pk])).status_code == 404


# ---------------------------------------------------------------- the API: the same answers


def test_api_milestones_unseen_404_not_yours_403(order, bom, other_salesperson, finance, merchandiser):
    assert api_for(other_salesperson).get(f"/api/v1/milestones/{bom.pk}/").status_code == 404
    assert api_for(other_salesperson).get(f"/api/v1/plans/{bom.plan_id}/").status_code == 404
    bodies = {"done": {"version": bom.version}, "waive": {"version": bom.version, "reason": "x"},
              "reschedule": {"version": bom.version, "new_date": "2026-10-20", "reason": "x"}}
    for action, body in bodies.items():
        url = f"/api/v1/milestones/{bom.pk}/{action}/"
        assert api_for(other_salesperson).post(url, body, format="json").status_code == 404, action
        assert api_for(other_salesperson).post(url, {}, format="json").status_code == 404, action
        assert api_for(finance).post(url, body, format="json").status_code == 403, action
    assert api_for(merchandiser).post(f"/api/v1/milestones/{bom.pk}/waive/", bodies["waive"],
                                      format="json").status_code == 403
    assert Milestone.objects.get(pk=bom.pk).version == bom.version
