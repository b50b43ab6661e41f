from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.followup.choices import MilestoneStatus, PlanStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.replanning import plan_replan
from gendan.followup.services import (
    milestone_complete,
    milestone_reopen,
    milestone_reschedule,
    milestone_waive,
    plan_record_event,
    plan_set_shipping_dates,
)
from gendan.followup.tests.factories import at, confirmed_order
from gendan.sales.services import order_cancel, order_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    # Confirmed Monday 28 September 2026, just before the Mid-Autumn/National Day break (1–7 October,
    # Saturday 10 October worked); ex-factory Friday 20 November.
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def dates(order) -> dict:
    return {m.code: m.due_date for m in Milestone.objects.filter(plan__order=order)}


def milestone(order, code) -> Milestone:
    return Milestone.objects.select_related("plan__order").get(plan__order=order, code=code)


def test_confirming_creates_the_plan_on_the_working_day_calendar(order, merchandiser, salesperson):
    due = dates(order)
    assert due == {
        "order_review": date(2026, 9, 29),
        "production_order": date(2026, 9, 29),
        "pi_countersigned": date(2026, 10, 8),  # +3 days is 1 October: first working day after the holiday
        "bom": date(2026, 9, 30),  # 2 working days
        "purchase_orders": date(2026, 10, 9),  # BOM + 2 working days across the National Day week
        "material_dates": date(2026, 10, 10),  # BOM + 3: the Saturday worked in exchange counts
        "customer_specifics": date(2026, 10, 8),
        "deposit": date(2026, 10, 8),
        "materials_arrived": date(2026, 10, 28),  # ex-factory − 17 working days
        "first_article": date(2026, 10, 29),
        "production_start": date(2026, 10, 30),
        "inline_inspection": date(2026, 11, 10),
        "booking": date(2026, 11, 10),  # ex-factory − 10 days
        "final_inspection": date(2026, 11, 18),
        "ex_factory": date(2026, 11, 20),
        "shipping_advice": date(2026, 11, 24),  # ETD (ex-factory + 3 days) + 1 working day
        "bl_copy": date(2026, 11, 26),
        "balance": date(2026, 11, 30),  # against copy B/L: ETD + 7 days
        "originals_released": date(2026, 12, 1),
        "quality_followup": date(2026, 12, 30),  # ETA (ETD + 30) + 7 days
        "reorder_followup": None,  # waits for the customer's receipt
    }
    owners = {m.code: m.owner for m in Milestone.objects.filter(plan__order=order)}
    assert owners["order_review"] == merchandiser and owners["production_order"] == salesperson
    assert owners["bom"] is None  # engineering has no default owner in this company
    plan = order.plan
    assert plan.confirmed_on == date(2026, 9, 28) and plan.projected_ex_factory == date(2026, 11, 20)
    assert not plan.at_risk and not plan.has_estimated_dates
    assert all(m.baseline_date == m.due_date for m in plan.milestones.all())


def test_conditions_decide_which_milestones_apply(salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            deposit_percent=0, followup_depth="warehouse", transport_mode="air",
                            needs_samples=True, needs_commodity_inspection=True, needs_certificate_of_origin=True)
    codes = set(dates(order))
    assert {"sample_sent", "sample_approved"} <= codes
    assert not codes & {"deposit", "booking", "commodity_inspection", "certificate_of_origin", "balance",
                        "bl_copy", "reorder_followup"}
    assert dates(order)["sample_approved"] is None  # until the sample is delivered


def test_a_date_in_a_year_nobody_entered_is_flagged(salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 11, 24), ex_factory=date(2027, 2, 26))
    plan = order.plan
    assert plan.has_estimated_dates
    estimated = {m.code for m in plan.milestones.all() if m.estimated}
    assert "ex_factory" in estimated and "production_start" in estimated
    assert "bom" not in estimated  # 26 November 2026 is in the calendar


def test_an_order_confirmed_too_late_for_its_date_is_at_risk_from_the_start(salesperson, sales_manager,
                                                                           merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            ex_factory=date(2026, 9, 30))  # two days: no time even to buy the materials
    plan = Plan.objects.get(order=order)
    assert plan.at_risk and plan.slip_days > 0 and plan.projected_ex_factory > date(2026, 9, 30)
    assert plan.risk_cause is not None and plan.risk_cause.plan == plan and plan.risk_cause.is_critical


def test_a_late_actual_date_moves_the_chain_and_puts_the_order_at_risk(order, make_user, sales_manager):
    purchaser = make_user("purchasing")
    with at(date(2026, 11, 6)):
        milestone_complete(milestone=milestone(order, "bom"), by=sales_manager, actual_date=date(2026, 9, 30))
        milestone_complete(milestone=milestone(order, "material_dates"), by=purchaser, actual_date=date(2026, 11, 6))
    due = dates(order)
    assert due["materials_arrived"] == date(2026, 11, 6)
    assert due["first_article"] == date(2026, 11, 9)
    assert due["production_start"] == date(2026, 11, 10)
    assert due["inline_inspection"] == date(2026, 11, 19)  # keeps its 7 working days after production start
    assert due["final_inspection"] == date(2026, 11, 27)
    assert due["ex_factory"] == date(2026, 12, 1)
    assert due["shipping_advice"] == date(2026, 12, 7)  # ETD moves with ex-factory
    plan = Plan.objects.get(order=order)
    assert plan.at_risk and plan.slip_days == 11 and plan.projected_ex_factory == date(2026, 12, 1)
    assert plan.risk_cause.code == "material_dates"
    critical = set(plan.milestones.filter(is_critical=True).values_list("code", flat=True))
    assert {"materials_arrived", "production_start", "final_inspection", "ex_factory"} <= critical
    assert "quality_followup" not in critical


def test_an_overdue_open_milestone_pushes_the_projection_but_not_the_plan(order, salesperson):
    with at(date(2026, 9, 29)):
        milestone_complete(milestone=milestone(order, "production_order"), by=salesperson)
    plan = plan_replan(Plan.objects.get(order=order), today=date(2026, 11, 5))  # BOM due 30 September, open
    assert plan.at_risk
    assert plan.projected_ex_factory == date(2026, 12, 3)
    assert plan.risk_cause.code == "bom"
    bom = milestone(order, "bom")
    assert bom.due_date == date(2026, 9, 30) and bom.projected_date == date(2026, 11, 5)
    assert dates(order)["ex_factory"] == date(2026, 11, 20)  # the plan keeps the confirmed date


def test_moving_the_confirmed_ex_factory_date_replans(order, sales_manager):
    with at(date(2026, 10, 12)):
        order_update(order=order, by=sales_manager, version=order.version, reason="customer asked later",
                     confirmed_ex_factory=date(2026, 12, 4))
    due = dates(order)
    assert due["ex_factory"] == date(2026, 12, 4)
    assert due["production_start"] == date(2026, 11, 13)  # 15 working days before
    assert due["bom"] == date(2026, 9, 30)  # anchored on confirmation: unchanged
    assert Plan.objects.get(order=order).ex_factory == date(2026, 12, 4)


def test_rescheduling_needs_a_reason_and_moves_what_follows(order, merchandiser):
    bom = milestone(order, "bom")
    with pytest.raises(ValidationError):
        milestone_reschedule(milestone=bom, by=merchandiser, new_date=date(2026, 10, 12), reason=" ")
    milestone_reschedule(milestone=bom, by=merchandiser, new_date=date(2026, 10, 12), reason="drawings late",
                         version=bom.version)
    due = dates(order)
    assert due["bom"] == date(2026, 10, 12) and due["material_dates"] == date(2026, 10, 15)
    assert order.activities.get().details == "drawings late"
    assert bom.history.first().history_change_reason == "drawings late"


def test_done_and_waive_belong_to_the_owner_department_or_a_manager(
    order, merchandiser, engineer, salesperson, finance, general_manager
):
    bom = milestone(order, "bom")
    with pytest.raises(PermissionDenied):
        milestone_complete(milestone=bom, by=merchandiser, actual_date=date(2026, 9, 30))
    with pytest.raises(PermissionDenied):
        milestone_waive(milestone=milestone(order, "deposit"), by=salesperson, reason="customer pays all later")
    with at(date(2026, 10, 9)):
        milestone_complete(milestone=bom, by=engineer, actual_date=date(2026, 9, 30))
        milestone_waive(milestone=milestone(order, "deposit"), by=finance, reason="deposit waived by GM")
        milestone_complete(milestone=milestone(order, "booking"), by=merchandiser)  # their own
        milestone_complete(milestone=milestone(order, "first_article"), by=general_manager)
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.DONE and bom.done_by == engineer
    assert milestone(order, "deposit").status == MilestoneStatus.WAIVED
    assert milestone(order, "first_article").actual_date == date(2026, 10, 9)


def test_done_cannot_be_in_the_future_and_is_kept_in_history(order, engineer):
    bom = milestone(order, "bom")
    with at(date(2026, 9, 29)), pytest.raises(ValidationError) as error:
        milestone_complete(milestone=bom, by=engineer, actual_date=date(2026, 10, 1))
    assert "actual_date" in error.value.message_dict
    with at(date(2026, 9, 29)):
        milestone_complete(milestone=bom, by=engineer)
        milestone_reopen(milestone=milestone(order, "bom"), by=engineer, reason="BOM missed the carton")
    assert milestone(order, "bom").status == MilestoneStatus.OPEN
    kinds = [h.status for h in milestone(order, "bom").history.all()]
    assert kinds == ["open", "done", "open"]


def test_ex_factory_cannot_be_waived_or_rescheduled_on_the_plan(order, sales_manager):
    ex = milestone(order, "ex_factory")
    with pytest.raises(ValidationError):
        milestone_waive(milestone=ex, by=sales_manager, reason="x")
    with pytest.raises(ValidationError):
        milestone_reschedule(milestone=ex, by=sales_manager, new_date=date(2026, 12, 1), reason="x")


def test_events_and_shipping_dates_date_what_waits_for_them(order, merchandiser):
    with at(date(2026, 12, 20)):
        plan_record_event(plan=order.plan, by=merchandiser, event="goods_received", on=date(2026, 12, 18))
    assert dates(order)["reorder_followup"] == date(2026, 12, 28)
    plan = Plan.objects.get(order=order)
    plan_set_shipping_dates(plan=plan, by=merchandiser, etd=date(2026, 11, 25), eta=date(2026, 12, 28),
                            version=plan.version)
    due = dates(order)
    assert due["bl_copy"] == date(2026, 11, 30)  # ETD + 3 days is a Saturday → Monday
    assert due["quality_followup"] == date(2027, 1, 4)


def test_cancelling_the_order_closes_its_plan(order, sales_manager):
    open_ids = set(Milestone.objects.open().filter(plan__order=order).values_list("pk", flat=True))
    versions = dict(Milestone.objects.filter(pk__in=open_ids).values_list("pk", "version"))
    order_cancel(order=order, by=sales_manager, reason="customer went bankrupt")
    assert Plan.objects.get(order=order).status == PlanStatus.CANCELLED
    assert not Milestone.objects.open().filter(plan__order=order).exists()
    # every milestone it closed keeps the change in its history, by whom and why, and its version moved on
    closed = Milestone.history.filter(id__in=open_ids, status=MilestoneStatus.CANCELLED)
    assert {h.id for h in closed} == open_ids
    assert {(h.history_type, h.history_user_id) for h in closed} == {("~", sales_manager.pk)}
    assert all(m.version == versions[m.pk] + 1 for m in Milestone.objects.filter(pk__in=open_ids))


def test_reassigning_writes_the_owner_changes_into_the_history(order, sales_manager, merchandiser,
                                                              other_merchandiser):
    from gendan.sales.services import order_reassign

    mine = set(Milestone.objects.open().filter(plan__order=order, owner=merchandiser).values_list("pk", flat=True))
    order_reassign(order=order, merchandiser=other_merchandiser, by=sales_manager, version=order.version)
    moved = Milestone.history.filter(id__in=mine, owner=other_merchandiser, history_user=sales_manager)
    assert mine and {h.id for h in moved} == mine


def test_shipping_the_order_ticks_the_ex_factory_milestone(order, sales_manager, finance):
    from gendan.finance.tests.factories import pay
    from gendan.sales.services import order_mark_ready, order_ship, order_start_production

    with at(date(2026, 11, 19)):
        pay(order, by=finance, kinds=["deposit"])  # the money gates: production and shipment want the deposit
        order_start_production(order=order, by=sales_manager)
        order_mark_ready(order=order, by=sales_manager)
        order_ship(order=order, by=sales_manager)
    ex = milestone(order, "ex_factory")
    assert ex.status == MilestoneStatus.DONE and ex.actual_date == date(2026, 11, 19)
    assert not Plan.objects.get(order=order).at_risk
