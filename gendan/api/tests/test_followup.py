"""The follow-up engine through the API: plans, milestones, the cockpit; same rules as the web pages."""

from datetime import date

import pytest

from gendan.followup.models import Milestone, Plan
from gendan.followup.replanning import plan_replan
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 5)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    plan_replan(Plan.objects.get(order=order), today=TODAY)
    return order


def test_the_plan_with_its_milestones(api, order, merchandiser):
    with at(TODAY):
        body = api(merchandiser).get(f"/api/v1/plans/{order.plan.pk}/").json()
    assert body["at_risk"] is True and body["projected_ex_factory"] == "2026-12-03"
    assert body["risk_cause"] == "production_order"
    bom = next(m for m in body["milestones"] if m["code"] == "bom")
    assert bom["due_date"] == "2026-09-30" and bom["standing"] == "overdue" and bom["status"] == "open"


def test_plans_filter_at_risk_and_stay_invisible_to_others(api, order, merchandiser, other_salesperson):
    assert api(merchandiser).get("/api/v1/plans/?at_risk=1").json()["count"] == 1
    assert api(other_salesperson).get("/api/v1/plans/").json()["count"] == 0
    assert api(other_salesperson).get(f"/api/v1/plans/{order.plan.pk}/").status_code == 404


def test_done_by_the_owner_department_needs_the_version(api, order, engineer, merchandiser):
    bom = Milestone.objects.get(plan__order=order, code="bom")
    url = f"/api/v1/milestones/{bom.pk}/done/"
    denied = api(merchandiser).post(url, {"version": bom.version}, format="json")
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    missing = api(engineer).post(url, {}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    with at(TODAY):
        done = api(engineer).post(url, {"version": bom.version, "actual_date": "2026-11-04"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["actual_date"] == "2026-11-04"
    stale = api(engineer).post(f"/api/v1/milestones/{bom.pk}/waive/", {"version": bom.version, "reason": "x"},
                               format="json")
    assert stale.status_code == 409


def test_reschedule_and_waive_name_the_field_in_errors(api, order, merchandiser, finance):
    bom = Milestone.objects.get(plan__order=order, code="bom")
    response = api(merchandiser).post(f"/api/v1/milestones/{bom.pk}/reschedule/",
                                      {"version": bom.version, "new_date": "2026-11-10", "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = api(merchandiser).post(f"/api/v1/milestones/{bom.pk}/reschedule/",
                                      {"version": bom.version, "new_date": "2026-11-10", "reason": "drawings"},
                                      format="json")
    assert response.status_code == 200 and response.json()["due_date"] == "2026-11-10"
    deposit = Milestone.objects.get(plan__order=order, code="deposit")
    response = api(finance).post(f"/api/v1/milestones/{deposit.pk}/waive/",
                                 {"version": deposit.version, "reason": "paid with the last order"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "waived"


def test_the_cockpit(api, order, engineer, merchandiser):
    with at(TODAY):
        body = api(engineer).get("/api/v1/cockpit/").json()
        mine = api(merchandiser).get("/api/v1/cockpit/").json()
    assert [m["code"] for m in body["overdue"]] == ["bom"] and body["counts"]["overdue"] == 1
    assert body["at_risk"][0]["order_number"] == order.number
    assert "engineering" in mine["waiting"] and mine["counts"]["at_risk"] == 1
    assert api(None).get("/api/v1/cockpit/").status_code == 401


def test_the_openapi_document_describes_the_follow_up(api, merchandiser):
    paths = api(merchandiser).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/plans/", "/api/v1/milestones/{id}/done/", "/api/v1/milestones/{id}/reschedule/",
            "/api/v1/cockpit/"} <= set(paths)
