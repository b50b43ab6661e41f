from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from gendan.core.errors import ConcurrentChange
from gendan.followup.models import Milestone, PlanTemplate, TemplateMilestone
from gendan.followup.replanning import plan_replan
from gendan.followup.selectors import cockpit_for, team_load
from gendan.followup.services import milestone_complete
from gendan.followup.template_services import template_copy, template_make_default, template_step_save
from gendan.followup.tests.factories import at, confirmed_order
from gendan.sales.services import order_reassign

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def test_team_load_counts_and_on_time_rates(order, merchandiser, other_merchandiser, engineer, salesperson):
    with at(date(2026, 10, 9)):
        milestone_complete(milestone=Milestone.objects.get(plan__order=order, code="bom"), by=engineer,
                           actual_date=date(2026, 9, 30))  # on time
        milestone_complete(milestone=Milestone.objects.get(plan__order=order, code="production_order"),
                           by=salesperson, actual_date=date(2026, 10, 9))  # due 29 September: late
    loads = {load.merchandiser: load for load in team_load(date(2026, 10, 12))}
    mine = loads[merchandiser]
    assert mine.active_orders == 1 and mine.at_risk == 0
    assert mine.milestones_done == 2 and mine.milestones_on_time == 1 and mine.milestone_rate == 0.5
    assert mine.overdue == 6  # review, PI, material dates, specifics, deposit, purchase orders
    assert loads[other_merchandiser].active_orders == 0 and loads[other_merchandiser].milestone_rate is None


def test_a_manager_reassigns_an_order_and_its_milestones_follow(order, sales_manager, merchandiser,
                                                                other_merchandiser, salesperson):
    with pytest.raises(PermissionDenied):
        order_reassign(order=order, merchandiser=other_merchandiser, by=salesperson, version=order.version)
    with pytest.raises(ValidationError):
        order_reassign(order=order, merchandiser=salesperson, by=sales_manager, version=order.version)
    late = date(2026, 11, 5)  # the BOM is five weeks late by then: the order is at risk
    plan_replan(order.plan, today=late)
    assert [p.order for p in cockpit_for(merchandiser, late).at_risk] == [order]
    with at(late):
        order_reassign(order=order, merchandiser=other_merchandiser, by=sales_manager, version=order.version)
    order.refresh_from_db()
    assert order.merchandiser == other_merchandiser and order.revision == 1
    review = Milestone.objects.get(plan__order=order, code="order_review")
    assert review.owner == other_merchandiser
    waiting = [m.code for _label, rows in cockpit_for(other_merchandiser, date(2026, 10, 12)).waiting for m in rows]
    assert "bom" in waiting  # what others owe on the order is now theirs to chase
    assert not cockpit_for(merchandiser, date(2026, 10, 12)).waiting
    assert order.plan.merchandiser == other_merchandiser and order.plan.salesperson == salesperson
    assert [p.order for p in cockpit_for(other_merchandiser, late).at_risk] == [order]  # it moved with the order
    assert not cockpit_for(merchandiser, late).at_risk


def test_the_team_page_is_for_managers(client, order, sales_manager, merchandiser):
    client.force_login(merchandiser)
    assert client.get(reverse("followup:team")).status_code == 403
    client.force_login(sales_manager)
    page = client.get(reverse("followup:team") + f"?merchandiser={merchandiser.pk}").content.decode()
    assert f'data-testid="load-{merchandiser.username}"' in page and order.number in page


def test_template_steps_are_checked(general_manager, merchandiser):
    template = PlanTemplate.objects.get(is_default=True)
    bom = template.steps.get(code="bom")
    with pytest.raises(PermissionDenied):
        template_step_save(step=bom, by=merchandiser, version=template.version, offset=3)
    with pytest.raises(ValidationError) as error:
        template_step_save(step=bom, by=general_manager, version=template.version,
                           predecessors="production_order, nosuchstep")
    assert "nosuchstep" in str(error.value.message_dict["predecessors"])
    with pytest.raises(ValidationError) as error:
        template_step_save(step=template.steps.get(code="production_order"), by=general_manager,
                           version=template.version, predecessors="bom")  # BOM waits for the production order: a circle
    assert "bom" in str(error.value.message_dict["predecessors"])
    template_step_save(step=template.steps.get(code="bom"), by=general_manager, version=template.version, offset=3)
    assert template.steps.get(code="bom").offset == 3


def test_a_changed_template_applies_to_orders_confirmed_after(salesperson, sales_manager, merchandiser,
                                                              general_manager):
    first = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    template = PlanTemplate.objects.get(is_default=True)
    template_step_save(step=template.steps.get(code="bom"), by=general_manager, version=template.version, offset=4)
    second = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    assert Milestone.objects.get(plan__order=first, code="bom").due_date == date(2026, 9, 30)
    assert Milestone.objects.get(plan__order=second, code="bom").due_date == date(2026, 10, 9)  # 4 WD


def test_copy_and_make_default(general_manager):
    template = PlanTemplate.objects.get(is_default=True)
    air = template_copy(template=template, by=general_manager, name="Air freight")
    assert air.steps.count() == template.steps.count() and not air.is_default
    template_make_default(template=air, by=general_manager)
    assert list(PlanTemplate.objects.filter(is_default=True)) == [air]


def test_template_pages(client, general_manager):
    client.force_login(general_manager)
    template = PlanTemplate.objects.get(is_default=True)
    assert client.get(reverse("followup:template_list")).status_code == 200
    page = client.get(template.get_absolute_url()).content.decode()
    assert "production_order" in page
    response = client.post(reverse("followup:template_step_add", args=[template.pk]), {
        "version": template.version, "position": 305,
        "code": "packaging_check", "name_zh": "包装确认", "name_en": "Packaging checked",
        "department": "qc", "anchor": "ex_factory", "offset": -5, "offset_unit": "wd", "min_depth": "warehouse",
        "predecessors": "production_start",
    })
    assert response.status_code == 302
    assert TemplateMilestone.objects.get(code="packaging_check").offset == -5
    bad = client.post(reverse("followup:template_step_add", args=[template.pk]), {
        "version": template.version + 1, "position": 306,
        "code": "Bad Code", "name_zh": "x", "name_en": "x", "department": "qc",
        "anchor": "milestone", "anchor_milestone": "", "offset": 0, "offset_unit": "wd", "min_depth": "warehouse",
    })
    assert bad.status_code == 200 and 'id="id_code"' in bad.content.decode()
    assert not TemplateMilestone.objects.filter(name_zh="x").exists()


def test_two_managers_editing_one_template_the_second_is_told_to_reload(client, general_manager, sales_manager):
    template = PlanTemplate.objects.get(is_default=True)
    bom = template.steps.get(code="bom")
    url = reverse("followup:template_step", args=[template.pk, bom.pk])
    shown = {}
    for manager in (general_manager, sales_manager):  # both open the BOM step's page
        client.force_login(manager)
        shown[manager] = client.get(url).context["form"].initial
    fields = ["position", "code", "name_zh", "name_en", "department", "anchor", "anchor_milestone", "anchor_event",
              "offset_unit", "predecessors", "min_depth"]
    post = {name: getattr(bom, name) or "" for name in fields}
    changes = bom.history.count()
    client.force_login(general_manager)
    assert client.post(url, {**post, "offset": 3, "version": shown[general_manager]["version"]}).status_code == 302
    client.force_login(sales_manager)
    response = client.post(url, {**post, "offset": 5, "version": shown[sales_manager]["version"]})
    assert response.status_code == 200 and told_to_reload(response, template)
    bom.refresh_from_db()
    template.refresh_from_db()
    assert bom.offset == 3 and template.version == shown[general_manager]["version"] + 1
    assert bom.history.count() == changes + 1  # the first manager's change only


def test_a_template_saved_from_a_stale_page_is_refused(client, general_manager):
    template = PlanTemplate.objects.get(is_default=True)
    client.force_login(general_manager)
    data = {"name": "Stale", "description": "", "port_days": 2, "sea_transit_days": 25, "air_transit_days": 3,
            "courier_transit_days": 4}
    assert client.post(template.get_absolute_url(), {**data, "version": template.version}).status_code == 302
    response = client.post(template.get_absolute_url(), {**data, "name": "Staler", "version": template.version})
    assert response.status_code == 200 and told_to_reload(response, template)
    template.refresh_from_db()
    assert template.name == "Stale" and template.history.first().name == "Stale"


def told_to_reload(response, record) -> bool:
    record.refresh_from_db()
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return escape(str(ConcurrentChange(record))) in response.content.decode()
