"""Every change to a time-and-action plan goes through here: one transaction each, permission checked,
history written, and the plan's dates recomputed along the chain."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.core.bulk import insert_with_history, update_with_history
from gendan.core.concurrency import take_version
from gendan.core.errors import ConcurrentChange
from gendan.core.permissions import require_perm
from gendan.core.records import check_fields, save_record
from gendan.core.selectors import company_profile
from gendan.core.states import transition
from gendan.core.uploads import check_upload
from gendan.core.validators import date_out_of_window
from gendan.followup.choices import (
    RECORDED_EVENTS,
    ActivityKind,
    Anchor,
    MilestoneStatus,
    OffsetUnit,
    PlanStatus,
)
from gendan.followup.defaults import CUTOFF_STEPS
from gendan.followup.models import (
    Activity,
    DelayNotice,
    DepartmentAssignee,
    Milestone,
    Plan,
    PlanTemplate,
    TemplateMilestone,
)
from gendan.followup.replanning import plan_replan, save_outcome, schedule
from gendan.followup.scheduling import parse_predecessors
from gendan.followup.selectors import (
    is_manager,
    may_complete,
    may_notify_customer,
    may_reschedule,
    may_set_shipping_dates,
)
from gendan.followup.signals import milestone_completing
from gendan.followup.tasks import reminders_wanted
from gendan.sales.choices import FollowupDepth
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_list_visible_to

DEPTH_RANK = {FollowupDepth.TO_WAREHOUSE: 0, FollowupDepth.TO_LOADING: 1, FollowupDepth.TO_PAYMENT: 2}


# ---------------------------------------------------------------- creating a plan


def step_applies(step: TemplateMilestone, order: SalesOrder) -> bool:
    return (
        DEPTH_RANK[order.followup_depth] >= DEPTH_RANK[step.min_depth]
        and (not step.only_with_deposit or order.deposit_percent > 0)
        and (not step.only_with_samples or order.needs_samples)
        and (not step.only_with_commodity_inspection or order.needs_commodity_inspection)
        and (not step.only_with_certificate_of_origin or order.needs_certificate_of_origin)
        and (not step.transport_modes or order.transport_mode in step.transport_modes)
    )


def owners_by_department(order: SalesOrder) -> dict[str, int | None]:
    """User ids: the company's owner per department, the order's own people, and who chases the order."""
    owners = dict(DepartmentAssignee.objects.values_list("department", "user_id"))
    if order.merchandiser_id:
        owners[Role.MERCHANDISER] = order.merchandiser_id
    owners[Role.SALES] = order.salesperson_id
    owners["chaser"] = order.merchandiser_id or order.salesperson_id
    return owners


def _milestone_from(step: TemplateMilestone, plan: Plan, owners: dict) -> Milestone:
    return Milestone(
        plan=plan, position=step.position, code=step.code, name_zh=step.name_zh, name_en=step.name_en,
        department=step.department, owner_id=owners.get(step.department), chaser_id=owners.get("chaser"),
        anchor=step.anchor,
        anchor_milestone=step.anchor_milestone, anchor_event=step.anchor_event, offset=step.offset,
        offset_unit=step.offset_unit, predecessors=parse_predecessors(step.predecessors),
        is_ex_factory=step.is_ex_factory,
    )


def default_template() -> PlanTemplate | None:
    return PlanTemplate.objects.filter(is_default=True).first()


def plan_create(*, order: SalesOrder, by, template: PlanTemplate | None = None, today: date | None = None) -> Plan:
    """The order's plan from the template: the steps that apply, owners by department, dates on the calendar."""
    template = template or default_template()
    if template is None:
        raise ValidationError({"template": _("No default plan template: a manager has to choose one.")})
    if not order.confirmed_ex_factory:
        raise ValidationError({"confirmed_ex_factory": _("The plan needs the confirmed ex-factory date.")})
    plan = Plan(
        order=order, merchandiser_id=order.merchandiser_id, salesperson_id=order.salesperson_id,
        template=template, confirmed_on=today or timezone.localdate(),
        ex_factory=order.confirmed_ex_factory, port_days=template.port_days,
        transit_days=template.transit_days(order.transport_mode),
    )
    owners = owners_by_department(order)
    milestones = [_milestone_from(step, plan, owners) for step in template.steps.all() if step_applies(step, order)]
    schedule(plan, milestones, today=today, new=milestones)  # the plan is written once, with its outcome
    # its first milestones are due within days: their reminders cannot wait for the next scan
    plan.reminders_wanted_at = None if _deferred() else timezone.now()
    insert_with_history([plan], by=by)
    insert_with_history(milestones, by=by)
    if plan.at_risk:  # already, at confirmation: the milestone causing it has its id only now
        schedule(plan, milestones, today=today)
        save_outcome(plan)
    if plan.reminders_wanted_at:
        transaction.on_commit(reminders_wanted)
    return plan


# ---------------------------------------------------------------- scheduling


def _replanned(plan: Plan, today: date | None = None) -> Plan:
    """Re-plan after a change, and have the worker send the reminders it causes (e.g. "at risk")."""
    plan_replan(plan, today=today)
    _remind(plan)
    return plan


def _remind(plan: Plan) -> None:
    """Once the change is committed, the worker makes the plan's reminders (none inside bulk work)."""
    _remind_plans([plan.pk])


def _remind_plans(plan_ids) -> None:
    if plan_ids and not _deferred():
        Plan.objects.filter(pk__in=plan_ids).update(reminders_wanted_at=timezone.now())
        transaction.on_commit(reminders_wanted)


_batch = threading.local()


def _deferred() -> bool:
    return getattr(_batch, "active", False)


@contextmanager
def reminders_deferred():
    """For bulk work (the demo, imports): no reminder task per change; the caller scans once at the end."""
    previous = getattr(_batch, "active", False)
    _batch.active = True
    try:
        yield
    finally:
        _batch.active = previous


# ---------------------------------------------------------------- permission checks


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Only the owner department or a manager may do this."))


def _require_visible(user, order: SalesOrder) -> None:
    if not order_list_visible_to(user=user).filter(pk=order.pk).exists():
        raise PermissionDenied(_("You cannot see this order."))


def _require_notifier(user, order: SalesOrder) -> None:
    _require_visible(user, order)
    if not may_notify_customer(user, order):
        raise PermissionDenied(_("Only the order's salesperson, merchandiser or a manager may write to the customer."))


def _check_window(**days: date | None) -> None:
    """Dates far from today are typing mistakes (and beyond any working calendar): refused, named."""
    today = timezone.localdate()
    errors = {name: message for name, day in days.items() if (message := date_out_of_window(day, today))}
    if errors:
        raise ValidationError(errors)


def _require_active(plan: Plan) -> None:
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("This plan is closed.")})


def _check_shown(milestone: Milestone, version: int | None) -> None:
    """A caller that sends the version it was shown is told first if the milestone changed since: it is
    looking at old data. (`transition` checks the version again as it moves, against a change in between.)"""
    if version is not None and version != milestone.version:
        raise ConcurrentChange(milestone)


def _claim(milestone: Milestone, version: int | None) -> bool:
    """A caller that sends the version it was shown is refused if the milestone changed since. One without
    a version (a record completing its milestone) changes the milestone as it stands; `_save` moves the
    version on then, so that whoever still holds the old one is refused all the same."""
    if version is None:
        return False
    take_version(milestone, version)
    return True


# ---------------------------------------------------------------- milestone actions


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by, actual_date: date | None = None, note: str = "",
                       evidence=None, version: int | None = None, today: date | None = None) -> Milestone:
    today = today or timezone.localdate()
    actual_date = actual_date or today
    _require(may_complete(by, milestone))
    _check_shown(milestone, version)
    _require_active(milestone.plan)
    if milestone.status != MilestoneStatus.OPEN:
        raise ValidationError({"status": _("This milestone is already closed.")})
    if actual_date > today:
        raise ValidationError({"actual_date": _("The actual date cannot be in the future.")})
    milestone_completing.send(sender=Milestone, milestone=milestone, by=by)  # the money gates may refuse
    if evidence:
        check_upload(evidence, field="evidence")
    if out_of_window := date_out_of_window(actual_date, today):
        raise ValidationError({"actual_date": out_of_window})
    transition(milestone, to=MilestoneStatus.DONE, version=version)
    milestone.actual_date, milestone.done_by, milestone.done_at = actual_date, by, timezone.now()
    milestone.note = note or milestone.note
    if evidence:
        milestone.evidence = evidence
    _save(milestone, by, claimed=True)
    _replanned(milestone.plan, today=today)
    _finish_if_complete(milestone.plan, by)
    return milestone


@transaction.atomic
def milestone_waive(*, milestone: Milestone, by, reason: str, version: int | None = None) -> Milestone:
    _require(may_complete(by, milestone))
    _check_shown(milestone, version)
    _require_active(milestone.plan)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this milestone is not needed.")})
    if milestone.is_ex_factory:
        raise ValidationError({"reason": _("The ex-factory milestone cannot be waived; move the date instead.")})
    if milestone.status != MilestoneStatus.OPEN:
        raise ValidationError({"status": _("This milestone is already closed.")})
    transition(milestone, to=MilestoneStatus.WAIVED, version=version)
    milestone.waive_reason, milestone.done_by, milestone.done_at = reason.strip(), by, timezone.now()
    _save(milestone, by, reason=reason, claimed=True)
    _replanned(milestone.plan)
    _finish_if_complete(milestone.plan, by)
    return milestone


@transaction.atomic
def milestone_reopen(*, milestone: Milestone, by, reason: str, version: int | None = None) -> Milestone:
    """Undo done or waived (a mistake, or work that has to be redone)."""
    _require(may_complete(by, milestone))
    _check_shown(milestone, version)
    if milestone.status == MilestoneStatus.OPEN:
        raise ValidationError({"status": _("This milestone is open already.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the milestone is reopened.")})
    return _reopen(milestone, by, reason, version)


def _reopen(milestone: Milestone, by, reason: str, version: int | None = None) -> Milestone:
    transition(milestone, to=MilestoneStatus.OPEN, version=version)
    milestone.actual_date, milestone.waive_reason, milestone.done_by, milestone.done_at = None, "", None, None
    _save(milestone, by, reason=reason, claimed=True)
    plan = milestone.plan
    if plan.status == PlanStatus.FINISHED:
        transition(plan, to=PlanStatus.ACTIVE, by=by, reason=reason)
    _replanned(plan)
    return milestone


@transaction.atomic
def milestone_reschedule(*, milestone: Milestone, by, new_date: date, reason: str,
                         version: int | None = None) -> Milestone:
    _require(may_reschedule(by, milestone))
    claimed = _claim(milestone, version)  # a stale version is told first: the caller is looking at old data
    _require_active(milestone.plan)
    if milestone.status != MilestoneStatus.OPEN:
        raise ValidationError({"status": _("Only an open milestone can be rescheduled.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new date.")})
    if milestone.is_ex_factory:
        raise ValidationError({"new_date": _("Move the ex-factory date on the order; it is a revision of the order.")})
    if out_of_window := date_out_of_window(new_date, timezone.localdate()):
        raise ValidationError({"new_date": out_of_window})
    old = milestone.due_date
    milestone.manual_date = new_date
    _save(milestone, by, reason=reason, claimed=claimed)
    Activity.objects.create(
        order=milestone.plan.order, kind=ActivityKind.NOTE, milestone=milestone, by=by, happened_at=timezone.now(),
        summary=_("%(milestone)s moved from %(old)s to %(new)s") % {
            "milestone": milestone.name, "old": old or "—", "new": new_date},
        details=reason.strip(),
    )
    _replanned(milestone.plan)
    return milestone


def _save(milestone: Milestone, by, reason: str = "", *, claimed: bool = False) -> None:
    """Every change moves the version on, once: a claimed version or a transition has moved it already."""
    if not claimed:
        Milestone.objects.filter(pk=milestone.pk).update(version=F("version") + 1)
        milestone.version = Milestone.objects.values_list("version", flat=True).get(pk=milestone.pk)
    check_fields(milestone, ["note", "waive_reason", "actual_date", "manual_date"])
    milestone._history_user = by
    if reason:
        milestone._change_reason = reason.strip()[:100]
    milestone.save()


def _finish_if_complete(plan: Plan, by) -> None:
    if not plan.milestones.filter(status=MilestoneStatus.OPEN).exists():
        transition(plan, to=PlanStatus.FINISHED, by=by)


# ---------------------------------------------------------------- plan-level changes


@transaction.atomic
def plan_set_shipping_dates(*, plan: Plan, by, etd: date | None, eta: date | None, version: int) -> Plan:
    _require_visible(by, plan.order)
    if not may_set_shipping_dates(by, plan.order):
        raise PermissionDenied(_("Only the order's merchandiser, salesperson or a manager may do this."))
    if etd and eta and eta < etd:
        raise ValidationError({"eta": _("ETA cannot be before ETD.")})
    _check_window(etd=etd, eta=eta)
    take_version(plan, version)
    plan.etd, plan.eta, plan._history_user = etd, eta, by
    plan.save(update_fields=["etd", "eta", "updated_at"])
    return _replanned(plan)


def plan_follow_booking(*, plan: Plan, by, etd: date, eta: date | None, cutoffs: dict[str, date | None]) -> Plan:
    """A shipment's booking sets the plan's ETD and ETA and its cut-offs, each a dated milestone of the
    merchandiser's (added the first time the booking names it); the plan is re-planned. The booking service
    checks who may do this."""
    plan = Plan.objects.select_for_update().select_related("order").get(pk=plan.pk)
    take_version(plan, plan.version)  # a page showing the plan's older dates must reload before changing them
    events = {**plan.events}
    for event, day in cutoffs.items():
        if day is None:
            events.pop(event, None)
        else:
            events[event] = day.isoformat()
    plan.etd, plan.eta, plan.events, plan._history_user = etd, eta, events, by
    plan.save(update_fields=["etd", "eta", "events", "updated_at"])
    _add_cutoff_milestones(plan, [event for event, day in cutoffs.items() if day], by)
    return _replanned(plan)


def _add_cutoff_milestones(plan: Plan, events: list[str], by) -> None:
    have = set(plan.milestones.filter(code__in=events).values_list("code", flat=True))
    after = plan.milestones.filter(code="booking").values_list("position", flat=True).first() or 0
    owners = owners_by_department(plan.order)
    insert_with_history([
        Milestone(plan=plan, position=after + 1 + n, code=event, name_zh=zh, name_en=en,
                  department=Role.MERCHANDISER, owner_id=owners.get(Role.MERCHANDISER),
                  chaser_id=owners.get("chaser"), anchor=Anchor.EVENT, anchor_event=event, offset=0,
                  offset_unit=OffsetUnit.CALENDAR_DAYS)
        for n, (event, zh, en) in enumerate(CUTOFF_STEPS) if event in events and event not in have], by=by)


@transaction.atomic
def plan_record_event(*, plan: Plan, by, event: str, on: date, today: date | None = None,
                      version: int | None = None) -> Plan:
    """The customer received the samples, or the goods: the steps anchored on it get their dates."""
    _require_visible(by, plan.order)
    if not may_set_shipping_dates(by, plan.order):
        raise PermissionDenied(_("Only the order's merchandiser, salesperson or a manager may do this."))
    if event not in RECORDED_EVENTS:
        raise ValidationError({"event": _("Unknown event.")})
    if on > (today or timezone.localdate()):
        raise ValidationError({"on": _("An event cannot be recorded in the future.")})
    _check_window(on=on)
    if version is not None:
        take_version(plan, version)
    plan.events = {**plan.events, event: on.isoformat()}
    plan._history_user = by
    plan.save(update_fields=["events", "updated_at"])
    return _replanned(plan, today=today)


@transaction.atomic
def plan_follow_order(*, order: SalesOrder, fields: set[str], by) -> None:
    """The order's header changed (a revision): move the target, the owners, the steps that apply."""
    plan = getattr(order, "plan", None)
    if plan is None or plan.status == PlanStatus.CANCELLED:
        return
    if "confirmed_ex_factory" in fields and order.confirmed_ex_factory:
        plan.ex_factory = order.confirmed_ex_factory
        plan._history_user = by
        plan.save(update_fields=["ex_factory", "updated_at"])
    if fields & {"merchandiser", "salesperson"}:
        update_with_history(Plan.objects.filter(pk=plan.pk), by=by, merchandiser_id=order.merchandiser_id,
                            salesperson_id=order.salesperson_id)
        owners = owners_by_department(order)
        for department in (Role.MERCHANDISER, Role.SALES):
            update_with_history(plan.milestones.filter(department=department, status=MilestoneStatus.OPEN), by=by,
                                owner_id=owners.get(department))
        update_with_history(plan.milestones.all(), by=by, chaser_id=owners["chaser"])
    _sync_steps(plan, order, by)
    _replanned(plan)


def _sync_steps(plan: Plan, order: SalesOrder, by) -> None:
    """Steps that apply after the change are added; open steps that no longer apply are waived."""
    if plan.template is None:
        return
    steps = list(plan.template.steps.all())
    present = {m.code: m for m in plan.milestones.all()}
    wanted = {s.code for s in steps if step_applies(s, order)}
    owners = owners_by_department(order)
    new = [_milestone_from(s, plan, owners) for s in steps if s.code in wanted and s.code not in present]
    if new:
        schedule(plan, [*present.values(), *new], new=new)
        insert_with_history(new, by=by)
    for code, milestone in present.items():
        if code not in wanted and milestone.status == MilestoneStatus.OPEN:
            transition(milestone, to=MilestoneStatus.WAIVED)
            milestone.waive_reason = _("No longer applies to this order.")
            _save(milestone, by, reason=milestone.waive_reason, claimed=True)


@transaction.atomic
def plan_cancel_for_order(*, order: SalesOrder, by) -> None:
    """The order is cancelled: so is its plan, and the milestones still open leave everyone's lists."""
    plan = Plan.objects.select_for_update().filter(order=order).first()  # as stored, not as the caller saw it
    if plan is None:
        return
    transition(plan, to=PlanStatus.CANCELLED, by=by)
    update_with_history(plan.milestones.filter(status=MilestoneStatus.OPEN), by=by,
                        reason=_("The order is cancelled."), status=MilestoneStatus.CANCELLED)


@transaction.atomic
def plan_order_shipped(*, order: SalesOrder, by, on: date | None = None) -> None:
    """Shipping (or loading) the order is the ex-factory milestone happening, if nobody has ticked it yet."""
    plan = Plan.objects.select_for_update().filter(order=order).first()
    if plan is None or plan.status != PlanStatus.ACTIVE:
        return
    ex = plan.milestones.filter(is_ex_factory=True, status=MilestoneStatus.OPEN).first()
    if ex is not None:
        transition(ex, to=MilestoneStatus.DONE)
        ex.actual_date, ex.done_by, ex.done_at = on or timezone.localdate(), by, timezone.now()
        _save(ex, by, claimed=True)
        plan_replan(plan)


def plan_record_done(*, order: SalesOrder, code: str, by, on: date) -> None:
    """A record completes the order's milestone (the B/L copy sent, the originals released), if still open."""
    plan = Plan.objects.select_for_update().filter(order=order, status=PlanStatus.ACTIVE).first()
    milestone = plan and plan.milestones.filter(code=code, status=MilestoneStatus.OPEN).first()
    if milestone is not None:
        transition(milestone, to=MilestoneStatus.DONE)
        milestone.actual_date, milestone.done_by, milestone.done_at = on, by, timezone.now()
        _save(milestone, by, claimed=True)
        plan_replan(plan)


def plan_record_undone(*, order: SalesOrder, code: str, by, reason: str) -> None:
    """The record that completed the order's milestone was removed or no longer proves it, and no other record
    does: the milestone opens again (if done; a waived one stays waived). The caller checked who may change
    the record."""
    plan = Plan.objects.select_for_update().filter(
        order=order, status__in=[PlanStatus.ACTIVE, PlanStatus.FINISHED]).first()
    milestone = plan and plan.milestones.filter(code=code, status=MilestoneStatus.DONE).first()
    if milestone is not None:
        _reopen(milestone, by, reason)


# ---------------------------------------------------------------- department owners

# departments whose milestones the order does not give to its own people (salesperson, merchandiser)
OWNED_DEPARTMENTS = (Role.ENGINEERING, Role.PURCHASING, Role.PRODUCTION, Role.QC, Role.WAREHOUSE, Role.FINANCE)


@transaction.atomic
def department_owner_set(*, department: str, user, by, version: int, hand_over: bool = False) -> int:
    """Name the person who owns a department's milestones on new plans (None: the whole department owns them).
    With `hand_over`, the open milestones of that department on active plans move to that person too, from
    whoever had them: someone who left, or nobody. `version` is the one the manager saw (0: none was named).
    Returns how many open milestones moved."""
    require_perm(by, "followup.change_departmentassignee")
    if department not in OWNED_DEPARTMENTS:
        raise ValidationError({"department": _("The order names its own people for this department.")})
    if user is not None and not user.has_role(department):
        raise ValidationError({"user": _("%(person)s does not work in %(department)s.") % {
            "person": user, "department": Role(department).label}})
    current = DepartmentAssignee.objects.select_for_update().filter(department=department).first()
    if (current.version if current else 0) != version:
        raise ConcurrentChange(current or DepartmentAssignee(department=department))
    if user is None and current is not None:
        current._history_user = by
        current.delete()
    elif user is not None:
        record = current or DepartmentAssignee(department=department)
        record.version = version + 1
        save_record(record, by=by, user=user)
    if not hand_over:
        return 0
    return _hand_over(department, user, by)


def _hand_over(department: str, user, by) -> int:
    milestones = Milestone.objects.filter(status=MilestoneStatus.OPEN, department=department,
                                          plan__status=PlanStatus.ACTIVE)  # dated or waiting for an event
    if user is not None:
        milestones = milestones.exclude(owner=user)
    plans = set(milestones.values_list("plan_id", flat=True))
    moved = update_with_history(milestones, by=by, owner_id=user.pk if user else None,
                                reason=_("Department owner changed"))
    _remind_plans(plans)  # the new owner's reminders
    return moved


# ---------------------------------------------------------------- activity log


@transaction.atomic
def activity_add(*, order: SalesOrder, by, kind: str, summary: str, details: str = "", contact: str = "",
                 happened_at=None, follow_up_on: date | None = None, milestone: Milestone | None = None) -> Activity:
    _require_visible(by, order)
    if milestone is not None and milestone.plan.order_id != order.pk:
        raise ValidationError({"milestone": _("This milestone belongs to another order.")})
    activity = Activity(order=order, by=by, kind=kind, summary=summary.strip(), details=details, contact=contact,
                        happened_at=happened_at or timezone.now(), follow_up_on=follow_up_on, milestone=milestone)
    activity.full_clean()
    activity._history_user = by
    activity.save()
    return activity


@transaction.atomic
def activity_follow_up_done(*, activity: Activity, by) -> Activity:
    if activity.by_id != by.pk and not is_manager(by):
        raise PermissionDenied(_("Only its author or a manager may close this follow-up."))
    activity.follow_up_done = True
    activity._history_user = by
    activity.save(update_fields=["follow_up_done"])
    return activity


# ---------------------------------------------------------------- delay notices


def company_signature(language: str) -> dict:
    company = company_profile()
    return {"company_name": company.name_in(language), "company_address": company.address_in(language),
            "company_phone": company.phone}


def _notice_language(order: SalesOrder) -> str:
    return order.customer.document_language or "en"


@transaction.atomic
def delay_notice_draft(*, order: SalesOrder, by, today: date | None = None) -> DelayNotice:
    """Draft the customer's notice for an order at risk: the reason and the exact new date, in the customer's
    document language (English unless the customer reads Chinese). The merchandiser edits it before sending."""
    _require_notifier(by, order)
    plan = getattr(order, "plan", None)
    if plan is None or not plan.at_risk:
        raise ValidationError({"plan": _("Only an order at risk needs a delay notice.")})
    language = _notice_language(order)
    contacts = list(order.customer.contacts.exclude(email=""))
    with translation.override(language):
        cause = plan.risk_cause
        reason = (
            _("the stage “%(stage)s” is taking longer than planned")
            % {"stage": (cause.name_en if language == "en" else cause.name_zh)} if cause else ""
        )
        context = {"order": order, "plan": plan, "reason": reason, "new_date": plan.projected_ex_factory,
                   "contact": contacts[0].name if contacts else "", "sender": by,
                   **company_signature(language)}
        subject = render_to_string("followup/delay_notice_subject.txt", context).strip()
        body = render_to_string("followup/delay_notice_body.txt", context).strip() + "\n"
    notice = DelayNotice(
        order=order, language=language, recipients=", ".join(c.email for c in contacts), subject=subject,
        body=body, reason=reason, old_date=plan.ex_factory, new_date=plan.projected_ex_factory, created_by=by,
    )
    notice.full_clean()
    notice._history_user = by
    notice.save()
    return notice


@transaction.atomic
def delay_notice_update(*, notice: DelayNotice, by, **changes) -> DelayNotice:
    """Edit the draft. Compared with the stored draft (a model form has already written its input onto
    `notice`), so a notice sent as drafted records no change."""
    _require_notifier(by, notice.order)
    stored = DelayNotice.objects.select_for_update().get(pk=notice.pk)
    if stored.status != DelayNotice.Status.DRAFT:
        raise ValidationError({"status": _("This notice has gone out already.")})
    if "body" in changes:
        changes["body"] = changes["body"].replace("\r\n", "\n")  # a browser sends CRLF
    fields = ("recipients", "subject", "body", "reason", "new_date")
    changed = [name for name in fields if name in changes and _differs(changes[name], getattr(stored, name))]
    for name in fields:
        setattr(notice, name, changes[name] if name in changed else getattr(stored, name))
    if not changed:
        return notice
    notice.full_clean()
    notice._history_user = by
    notice.save()
    return notice


def _differs(new, old) -> bool:
    """A text differs only by more than the blank lines a form strips off its ends."""
    return new.strip() != old.strip() if isinstance(new, str) else new != old


def delay_notice_send(*, notice: DelayNotice, by) -> DelayNotice:
    """Email the notice (outside the transaction: a failed send leaves the draft as it was), then log it."""
    _require_notifier(by, notice.order)
    if notice.status != DelayNotice.Status.DRAFT:
        raise ValidationError({"status": _("This notice has gone out already.")})
    recipients = [address.strip() for address in notice.recipients.split(",") if address.strip()]
    if not recipients:
        raise ValidationError({"recipients": _("Give at least one email address.")})
    for address in recipients:
        validate_email_address(address)
    EmailMessage(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, recipients,
                 reply_to=[by.email] if by.email else None).send()
    return _notice_gone_out(notice, by, DelayNotice.Status.SENT)


def delay_notice_record(*, notice: DelayNotice, by) -> DelayNotice:
    """The notice went out another way (WeChat, phone, the customer's portal): record that it did."""
    _require_notifier(by, notice.order)
    if notice.status != DelayNotice.Status.DRAFT:
        raise ValidationError({"status": _("This notice has gone out already.")})
    return _notice_gone_out(notice, by, DelayNotice.Status.RECORDED)


@transaction.atomic
def _notice_gone_out(notice: DelayNotice, by, status: str) -> DelayNotice:
    notice.status, notice.sent_at, notice._history_user = status, timezone.now(), by
    notice.save(update_fields=["status", "sent_at"])
    Activity.objects.create(
        order=notice.order, kind=ActivityKind.DELAY_NOTICE, by=by, happened_at=notice.sent_at,
        summary=_("Delay notice: new ex-factory date %(date)s") % {"date": notice.new_date.isoformat()},
        details=f"{notice.get_status_display()} → {notice.recipients}\n\n{notice.subject}", contact=notice.recipients,
    )
    return notice


def validate_email_address(address: str) -> None:
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"recipients": _("“%(address)s” is not an email address.") % {"address": address}}
        ) from None

