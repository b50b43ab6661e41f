"""Plan and milestone status moves follow their tables (beside the choices) and each leaves a history row:
a day of work on a plan — done, waived, reopened, the plan finished, reopened and cancelled with its order —
never writes a move the table does not list, and a move it does not list is refused."""

import itertools
from datetime import date

import pytest

from gendan.core.errors import InvalidTransition
from gendan.core.states import transition
from gendan.followup.choices import MILESTONE_MOVES, PLAN_MOVES, MilestoneStatus, PlanStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.services import milestone_complete, milestone_reopen, milestone_waive
from gendan.followup.tests.factories import at, planned_order
from gendan.sales.services import order_cancel

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 12)


@pytest.fixture
def plan(salesperson, sales_manager, merchandiser):
    order = planned_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, today=TODAY)
    return order.plan


def status_path(history) -> list[str]:
    """The statuses a record went through, oldest first, repeated states folded."""
    path: list[str] = []
    for row in history.order_by("history_date", "history_id"):
        if not path or path[-1] != row.status:
            path.append(row.status)
    return path


def moves_of(path: list[str]) -> list[tuple[str, str]]:
    return list(itertools.pairwise(path))


def test_a_plans_life_only_makes_moves_in_the_tables(plan, sales_manager, finance):
    from gendan.finance.tests.factories import pay

    with at(TODAY):
        pay(plan.order, by=finance)  # the money milestones are done by the receipt, and the gates open
    milestones = list(plan.milestones.filter(status=MilestoneStatus.OPEN))
    with at(TODAY):
        for milestone in milestones[:-1]:
            milestone_complete(milestone=milestone, by=sales_manager, actual_date=TODAY)
        last = milestones[-1]
        if last.is_ex_factory:
            milestone_complete(milestone=last, by=sales_manager, actual_date=TODAY)
        else:
            milestone_waive(milestone=last, by=sales_manager, reason="Customer dropped it")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.FINISHED
        milestone_reopen(milestone=Milestone.objects.get(pk=last.pk), by=sales_manager, reason="Redo")
        order_cancel(order=plan.order, by=sales_manager, reason="Customer cancelled")

    plan.refresh_from_db()
    assert status_path(plan.history) == [PlanStatus.ACTIVE, PlanStatus.FINISHED, PlanStatus.ACTIVE,
                                         PlanStatus.CANCELLED]
    for milestone in Milestone.objects.filter(plan=plan):
        for old, new in moves_of(status_path(milestone.history)):
            assert new in MILESTONE_MOVES[old], (milestone.code, old, new)
    reopened = Milestone.objects.get(pk=last.pk)
    assert reopened.status == MilestoneStatus.CANCELLED
    assert reopened.history.filter(status=MilestoneStatus.CANCELLED, history_user=sales_manager).exists()


def test_plan_moves_write_who_and_why(plan, sales_manager):
    milestone = plan.milestones.exclude(is_ex_factory=True).first()
    Milestone.objects.filter(plan=plan).exclude(pk=milestone.pk).update(status=MilestoneStatus.WAIVED)
    with at(TODAY):
        milestone_complete(milestone=milestone, by=sales_manager, actual_date=TODAY)
        milestone_reopen(milestone=Milestone.objects.get(pk=milestone.pk), by=sales_manager, reason="Wrong lot")
    finished, reopened = plan.history.order_by("-history_date", "-history_id")[:2][::-1]
    assert (finished.status, finished.history_user) == (PlanStatus.FINISHED, sales_manager)
    assert (reopened.status, reopened.history_user, reopened.history_change_reason) == (
        PlanStatus.ACTIVE, sales_manager, "Wrong lot")


@pytest.mark.parametrize("model, table", [(Plan, PLAN_MOVES), (Milestone, MILESTONE_MOVES)])
def test_a_move_outside_the_table_is_refused_and_nothing_changes(plan, model, table):
    record = plan if model is Plan else plan.milestones.first()
    record.status = next(iter(set(model.status_moves) - {record.status}), record.status)
    model.objects.filter(pk=record.pk).update(status=record.status)
    refused = {s for s, _label in model._meta.get_field("status").choices} - table.get(record.status, set())
    for target in refused:
        with pytest.raises(InvalidTransition):
            transition(record, to=target)
        assert model.objects.get(pk=record.pk).status == record.status


def test_cancelled_milestones_stay_cancelled(plan):
    milestone = plan.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(status=MilestoneStatus.CANCELLED)
    milestone.refresh_from_db()
    with pytest.raises(InvalidTransition):
        transition(milestone, to=MilestoneStatus.OPEN)
