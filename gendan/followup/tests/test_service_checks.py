"""Follow-up services refuse what a form would refuse, naming the field, and leave nothing half-done."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.services import milestone_complete, plan_record_event, plan_set_shipping_dates
from gendan.followup.tests.factories import at, planned_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 12)


@pytest.fixture
def plan(salesperson, sales_manager, merchandiser):
    return planned_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, today=TODAY).plan


def test_a_note_longer_than_its_column_is_refused_and_the_milestone_stays_open(plan, sales_manager):
    milestone = plan.milestones.exclude(is_ex_factory=True).first()
    shown = milestone.version
    with at(TODAY), pytest.raises(ValidationError) as refused:
        milestone_complete(milestone=milestone, by=sales_manager, note="n" * 301, version=shown)
    assert "note" in refused.value.message_dict
    stored = Milestone.objects.get(pk=milestone.pk)
    assert (stored.status, stored.version, stored.history.count()) == (MilestoneStatus.OPEN, shown, 1)


@pytest.mark.parametrize("etd, eta, named", [
    (date(9999, 12, 30), None, "etd"), (date(2026, 11, 1), date(9999, 12, 30), "eta"), (date(1, 1, 1), None, "etd"),
])
def test_shipping_dates_far_from_today_are_refused(plan, sales_manager, etd, eta, named):
    with at(TODAY), pytest.raises(ValidationError) as refused:
        plan_set_shipping_dates(plan=plan, by=sales_manager, etd=etd, eta=eta, version=plan.version)
    assert named in refused.value.message_dict
    assert Plan.objects.get(pk=plan.pk).etd is None


def test_an_event_dated_year_one_is_refused(plan, sales_manager):
    with at(TODAY), pytest.raises(ValidationError) as refused:
        plan_record_event(plan=plan, by=sales_manager, event="sample_delivered", on=date(1, 1, 1))
    assert "on" in refused.value.message_dict
    assert Plan.objects.get(pk=plan.pk).events == {}
