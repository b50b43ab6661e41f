from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import override

from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.replanning import plan_replan
from gendan.followup.selectors import cockpit_for
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 12)  # BOM (30 Sep) and material dates (10 Oct) overdue; deposit due 8 Oct


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    plan_replan(Plan.objects.get(order=order), today=TODAY)
    return order


def codes(rows) -> list[str]:
    return [m.code for m in rows]


def test_the_engineer_sees_the_departments_overdue_bom(order, engineer):
    cockpit = cockpit_for(engineer, TODAY)
    assert codes(cockpit.overdue) == ["bom"]
    assert cockpit.counts["overdue"] == 1


def test_the_merchandiser_sees_own_items_and_what_others_owe(order, merchandiser, other_merchandiser):
    cockpit = cockpit_for(merchandiser, TODAY)
    assert codes(cockpit.overdue) == ["order_review", "customer_specifics"]
    assert "bom" not in codes(cockpit.overdue)
    with override("en"):
        waiting = {str(label): rows for label, rows in cockpit.waiting}
    assert "bom" in codes(waiting["Engineering"]) and "deposit" in codes(waiting["Finance"])
    assert cockpit.at_risk == []  # the slack before production absorbs the late BOM, so far
    nothing = cockpit_for(other_merchandiser, TODAY)
    assert not nothing.overdue and not nothing.at_risk and not nothing.waiting


def test_the_salesperson_sees_own_items(order, salesperson):
    cockpit = cockpit_for(salesperson, TODAY)
    assert codes(cockpit.overdue) == ["production_order", "pi_countersigned"]


def test_managers_see_every_overdue_item(order, general_manager):
    cockpit = cockpit_for(general_manager, TODAY)
    assert set(codes(cockpit.overdue)) >= {"bom", "order_review", "deposit", "material_dates"}
    assert cockpit.at_risk == []


def test_at_risk_orders_show_to_those_who_chase_or_owe_them(order, merchandiser, engineer, general_manager,
                                                             other_merchandiser, finance):
    plan_replan(Plan.objects.get(order=order), today=date(2026, 11, 5))  # the BOM is five weeks late now
    plan = Plan.objects.get(order=order)
    for user in (merchandiser, engineer, general_manager, finance):  # finance still owes the deposit
        assert cockpit_for(user, date(2026, 11, 5)).at_risk == [plan], user
    assert cockpit_for(other_merchandiser, date(2026, 11, 5)).at_risk == []


def test_done_from_the_cockpit_takes_it_off_the_overdue_list(client, order, engineer):
    client.force_login(engineer)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    with at(TODAY):
        page = client.get(reverse("home"))
        assert f'data-testid="done-{bom.pk}"' in page.content.decode()
        response = client.post(reverse("followup:milestone_action", args=[bom.pk, "done"]),
                               {"view": "cockpit", "version": bom.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'data-testid="done-{bom.pk}"' not in response.content.decode()
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.DONE and bom.actual_date == TODAY


def test_a_merchandiser_cannot_tick_engineerings_milestone(client, order, merchandiser):
    client.force_login(merchandiser)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    with at(TODAY):
        response = client.post(reverse("followup:milestone_action", args=[bom.pk, "done"]),
                               {"view": "plan", "version": bom.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403  # the order is theirs to see, the milestone not theirs to tick
    assert "owner department" in response.content.decode() or "负责部门" in response.content.decode()
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.OPEN


def test_others_cannot_act_on_an_order_they_cannot_see(client, order, other_salesperson):
    client.force_login(other_salesperson)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    response = client.post(reverse("followup:milestone_action", args=[bom.pk, "done"]),
                           {"view": "plan", "version": bom.version})
    assert response.status_code == 404
    assert client.get(reverse("followup:order_plan", args=[order.pk])).status_code == 404


def test_reschedule_and_note_from_the_cockpit(client, order, merchandiser):
    client.force_login(merchandiser)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    with at(TODAY):
        client.post(reverse("followup:milestone_action", args=[bom.pk, "reschedule"]),
                    {"view": "cockpit", "version": bom.version, "new_date": "2026-10-15",
                     "reason": "engineer on leave"},
                    HTTP_HX_REQUEST="true")
        client.post(reverse("followup:activity_add", args=[order.pk]),
                    {"view": "cockpit", "kind": "call", "summary": "Called the customer about artwork",
                     "follow_up_on": "2026-10-14", "milestone": bom.pk}, HTTP_HX_REQUEST="true")
    bom.refresh_from_db()
    assert bom.due_date == date(2026, 10, 15)
    call = order.activities.get(kind="call")
    assert call.milestone == bom and call.by == merchandiser
    assert cockpit_for(merchandiser, TODAY).follow_ups == [call]


def test_the_order_page_plan_panel_shows_the_timeline_data(client, order, merchandiser):
    client.force_login(merchandiser)
    with at(TODAY):
        content = client.get(reverse("followup:order_plan", args=[order.pk])).content.decode()
    assert 'id="plan-timeline-data"' in content and '"ex_factory": "2026-11-20"' in content
    assert 'data-testid="plan-row-bom"' in content


def test_the_plan_panel_shows_todays_projection_without_writing(client, order, merchandiser):
    # five weeks on, the open BOM projects to that day; the page shows it, the database is the scan's to write
    later = date(2026, 11, 5)
    stored = dict(Milestone.objects.filter(plan__order=order).values_list("code", "projected_date"))
    history = Milestone.history.filter(plan__order=order).count()
    client.force_login(merchandiser)
    with at(later):
        page = client.get(reverse("followup:order_plan", args=[order.pk]))
    shown = {m.code: m.projected_date for m in page.context["milestones"]}
    assert shown["bom"] == later and page.context["plan"].at_risk
    assert dict(Milestone.objects.filter(plan__order=order).values_list("code", "projected_date")) == stored
    assert not Plan.objects.get(order=order).at_risk
    assert Milestone.history.filter(plan__order=order).count() == history


def test_the_bell_counts_unread_reminders_up_to_99_and_partials_do_not_count(client, order, merchandiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gendan.followup.models import Notification

    def bell() -> str:
        page = client.get(reverse("home")).content.decode()
        return page.split("ti-bell", 1)[1].split("</a>", 1)[0]

    client.force_login(merchandiser)
    Notification.objects.bulk_create(Notification(user=merchandiser, kind="overdue", key=f"k{n}", day=date(2026, 1, 1))
                                     for n in range(3))
    assert ">3</span>" in bell()
    Notification.objects.bulk_create(Notification(user=merchandiser, kind="overdue", key=f"m{n}", day=date(2026, 1, 1))
                                     for n in range(97))
    assert ">99+</span>" in bell()  # 100 unread
    Notification.objects.update(read_at="2026-01-02T00:00:00Z")
    assert "badge" not in bell()
    with CaptureQueriesContext(connection) as queries:  # counted once, though the bell asks twice
        client.get(reverse("home"))
    assert len([q for q in queries if "followup_notification" in q["sql"]]) == 1
    with CaptureQueriesContext(connection) as queries:  # the plan panel, fetched by htmx, shows no bell
        client.get(reverse("followup:order_plan", args=[order.pk]), HTTP_HX_REQUEST="true")
    assert not [q for q in queries if "followup_notification" in q["sql"]]
