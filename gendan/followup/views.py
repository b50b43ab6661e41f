
from copy import copy
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.core.errors import ConcurrentChange, error_text
from gendan.core.forms import apply_service_errors
from gendan.core.history import history_of
from gendan.core.listing import filtered_list
from gendan.core.uploads import file_response
from gendan.core.workdays import WorkCalendar
from gendan.followup import feeds, services, template_services
from gendan.followup.choices import RECORDED_EVENTS, MilestoneStatus, PlanEvent, PlanStatus
from gendan.followup.feeds import calendar_for
from gendan.followup.filters import MilestoneFilter, PlanFilter
from gendan.followup.forms import (
    ActivityForm,
    DelayNoticeForm,
    DepartmentOwnerForm,
    DoneForm,
    PlanEventForm,
    ReasonForm,
    RescheduleForm,
    ShippingDatesForm,
    StepForm,
    TemplateForm,
)
from gendan.followup.models import (
    Activity,
    DelayNotice,
    FeedToken,
    Milestone,
    Notification,
    PlanTemplate,
    TemplateMilestone,
)
from gendan.followup.replanning import plan_projected
from gendan.followup.selectors import (
    active_orders_of,
    cockpit_for,
    department_owner_rows,
    due_soon_limit,
    may_notify_customer,
    may_reschedule,
    may_set_shipping_dates,
    may_tick,
    plan_for_order,
    plan_milestones,
    record_link,
    standing,
    team_load,
    visible_plans,
)
from gendan.followup.timeline import order_timeline, orders_timeline
from gendan.sales.choices import OrderStatus
from gendan.sales.selectors import order_counts_by_status, order_list_visible_to
from gendan.sales.services import order_reassign

TIMELINE_LIMIT = 150
# Each action carries the milestone's version as the page showed it (a hidden input in every form).
ACTIONS = {
    "done": (DoneForm, lambda m, by, data, files: services.milestone_complete(
        milestone=m, by=by, version=data["version"], actual_date=data["actual_date"], note=data["note"],
        evidence=files.get("evidence"))),
    "waive": (ReasonForm, lambda m, by, data, files: services.milestone_waive(
        milestone=m, by=by, version=data["version"], reason=data["reason"])),
    "reopen": (ReasonForm, lambda m, by, data, files: services.milestone_reopen(
        milestone=m, by=by, version=data["version"], reason=data["reason"])),
    "reschedule": (RescheduleForm, lambda m, by, data, files: services.milestone_reschedule(
        milestone=m, by=by, version=data["version"], new_date=data["new_date"], reason=data["reason"])),
}


@login_required
def cockpit(request):
    """Everyone's home page: what is overdue, due today and this week, which orders are at risk,
    and what others owe on the orders they chase."""
    return render(request, "followup/cockpit.html", _cockpit_context(request))


def _cockpit_context(request) -> dict:
    user, today = request.user, timezone.localdate()
    counts = order_counts_by_status(user=user)
    cockpit = cockpit_for(user, today)
    departments = {value: str(label) for value, label in Role.choices}  # get_department_display: per row
    for m in [*cockpit.overdue, *cockpit.due_today, *cockpit.due_this_week]:
        m.department_label = departments[m.department]
        late = max(0, (today - m.due_date).days)
        m.late_text = ngettext("%(n)s day late", "%(n)s days late", late) % {"n": late} if late else ""
        m.may_act = may_tick(user, m)
        m.record = record_link(user, m)
        m.may_move = not m.is_ex_factory and may_reschedule(user, m)
    return {
        "cockpit": cockpit,
        "row": _cockpit_row(),
        "sections": [
            ("overdue", _("Overdue"), "ti-alarm", cockpit.overdue, _("Nothing overdue. Well done.")),
            ("today", _("Due today"), "ti-calendar-event", cockpit.due_today, _("Nothing due today.")),
            ("week", _("Due this week"), "ti-calendar-week", cockpit.due_this_week,
             _("Nothing due in the next 7 days.")),
        ],
        "full_lists": _full_lists(user),
        "today": today,
        "soon": due_soon_limit(today, WorkCalendar.load()),
        "status_counts": [(OrderStatus(s), n) for s, n in counts.items()],
        "open_total": sum(n for s, n in counts.items() if s not in (OrderStatus.COMPLETED, OrderStatus.CANCELLED)),
    }


MILESTONE_COLUMNS = [
    (gettext_lazy("Order no."), lambda m: m.order_number),
    (gettext_lazy("Customer"), lambda m: m.customer_code),
    (gettext_lazy("Customer name"), lambda m: m.customer_name),
    (gettext_lazy("Milestone"), lambda m: m.name),
    (gettext_lazy("Department"), lambda m: m.get_department_display()),
    (gettext_lazy("Owner"), lambda m: m.owner_name or ""),
    (gettext_lazy("Due"), lambda m: m.due_date),
    (gettext_lazy("Projected"), lambda m: m.projected_date),
    (gettext_lazy("Actual"), lambda m: m.actual_date),
    (gettext_lazy("Status"), lambda m: m.get_status_display()),
]


@login_required
def milestone_list(request):
    """The cockpit's lists in full: the milestones of every order the user may see, filtered (the cockpit links
    here with its own filters), paged and exported."""
    visible = order_list_visible_to(user=request.user).values("pk")
    milestones = Milestone.objects.filter(plan__order__in=visible).listed().order_by("due_date", "pk")
    context, export = filtered_list(request, milestones, MilestoneFilter, columns=MILESTONE_COLUMNS,
                                    filename="milestones")
    if export:
        return export
    today = timezone.localdate()
    soon = due_soon_limit(today, WorkCalendar.load())
    for m in context["page"]:
        m.standing = standing(m, today, soon)
        m.late_days = (today - m.due_date).days if m.standing == "overdue" else 0
    return render(request, "followup/milestone_list.html", context | {"today": today})


def _cockpit_row() -> dict:
    """What every cockpit row needs, worked out once per page rather than once per row (a manager's cockpit has
    some 130 rows; reversing four URLs and translating five labels in each was a third of its rendering)."""
    return {
        "milestones": reverse("followup:milestone_list"),  # + "<pk>/done/", "<pk>/form/<kind>/"
        "orders": reverse("sales:order_detail", args=[0]).removesuffix("0/"),
        "done": pgettext("milestone action", "Done"), "done_details": _("Done, with a date, a note or evidence"),
        "note": _("Add a note"), "reschedule": _("Reschedule"), "critical": _("critical"),
        "estimated": _("Estimated: the working calendar for that year is not entered yet."),
    }


def _full_lists(user) -> dict:
    """Where each of the cockpit's capped lists continues: the milestone list and the timeline, filtered to
    what the cockpit showed."""
    manager = user.has_perm("followup.view_team_load")  # answers for everybody's milestones
    milestones, mine = reverse("followup:milestone_list"), "" if manager else "&mine=on"
    waiting_due = "overdue" if manager else "by_week_end"
    return {
        "overdue": f"{milestones}?due=overdue{mine}", "today": f"{milestones}?due=today{mine}",
        "week": f"{milestones}?due=week{mine}", "waiting": f"{milestones}?waiting=on&due={waiting_due}",
        "at_risk": f"{reverse('followup:timeline')}?at_risk=on",
    }


def _visible_order(request, pk):
    return get_object_or_404(order_list_visible_to(user=request.user), pk=pk)


def _visible_milestone(request, pk) -> Milestone:
    """A milestone of an order the user may see; any other answers 404, as if it did not exist."""
    visible = order_list_visible_to(user=request.user).values("pk")
    return get_object_or_404(Milestone.objects.select_related("plan__order"), pk=pk, plan__order__in=visible)


@login_required
def milestone_evidence(request, pk):
    """Evidence files are sent by the app to people who may see the order, never from /media/."""
    milestone = _visible_milestone(request, pk)
    if not milestone.evidence:
        raise Http404
    return file_response(milestone.evidence, filename=milestone.evidence.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def milestone_action(request, pk, action):
    """Done, waive, reopen or reschedule a milestone, from the cockpit or the order's plan; the
    answer is the refreshed cockpit or plan panel."""
    if action not in ACTIONS:
        raise Http404
    milestone = _visible_milestone(request, pk)
    form_class, perform = ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(milestone, request.user, form.cleaned_data, request.FILES)
            messages.success(request, _("%(milestone)s: saved.") % {"milestone": milestone.name})
        except PermissionDenied as error:
            return _refused(request, milestone.plan.order, error)
        except (ValidationError, ConcurrentChange) as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, error_text(ValidationError(form.errors)))
    return _refreshed(request, milestone.plan.order)


OPEN = MilestoneStatus.OPEN
ROW_FORMS = {  # who may open which form of a milestone's row (the action checks again when it is posted)
    "done": lambda user, m: m.status == OPEN and may_tick(user, m),
    "reschedule": lambda user, m: m.status == OPEN and not m.is_ex_factory and may_reschedule(user, m),
    "waive": lambda user, m: m.status == OPEN and not m.is_ex_factory and may_tick(user, m),
    "reopen": lambda user, m: m.status != OPEN and may_tick(user, m),
    "note": lambda user, m: True,
}


@login_required
def milestone_form(request, pk, kind):
    """One form of a milestone's row on the cockpit or the plan (`?view=plan`), asked for when its button is
    clicked. It carries the version the page showed (`?version=`), so that acting on a milestone somebody changed
    since is refused with "changed meanwhile", as a form rendered with the page would be."""
    if kind not in ROW_FORMS:
        raise Http404
    milestone = _visible_milestone(request, pk)
    if not ROW_FORMS[kind](request.user, milestone):
        raise PermissionDenied
    milestone.order_pk = milestone.plan.order_id
    view = "plan" if request.GET.get("view") == "plan" else "cockpit"
    shown = request.GET.get("version", "")
    return render(request, "followup/includes/milestone_form.html", {
        "m": milestone, "kind": kind, "view": view, "key": milestone.code if view == "plan" else milestone.pk,
        "version": int(shown) if shown.isdecimal() else milestone.version,
        "today": timezone.localdate(), "note_form": ActivityForm()})


def _refreshed(request, order):
    """htmx: the panel the form came from, with the messages in it; a plain post: back to that page."""
    if not request.htmx:
        return redirect(order) if request.POST.get("view") == "plan" else redirect("home")
    return _panel(request, order)


def _panel(request, order, status: int = 200):
    if request.POST.get("view") == "plan":
        return render(request, "followup/includes/plan_panel.html", _plan_context(request, order), status=status)
    return render(request, "followup/includes/cockpit_body.html", _cockpit_context(request), status=status)


def _refused(request, order, error: PermissionDenied):
    """The user sees the order but this is not theirs to do: 403 (for htmx, with the reason in the panel)."""
    if not request.htmx:
        raise error
    messages.error(request, error_text(error))
    return _panel(request, order, status=403)


@login_required
@require_POST
def activity_add(request, order_pk):
    order = _visible_order(request, order_pk)
    form = ActivityForm(request.POST)
    milestone = None
    if request.POST.get("milestone"):  # a milestone of another order is not found, like any unseen one
        milestone = get_object_or_404(Milestone, plan__order=order, pk=_number(request.POST["milestone"]))
    if form.is_valid():
        try:
            services.activity_add(order=order, by=request.user, milestone=milestone, **form.cleaned_data)
            messages.success(request, _("Logged on %(order)s.") % {"order": order})
        except PermissionDenied as error:
            return _refused(request, order, error)
        except ValidationError as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, error_text(ValidationError(form.errors)))
    return _refreshed(request, order)


@login_required
@require_POST
def follow_up_done(request, pk):
    activity = get_object_or_404(Activity, pk=pk, order__in=order_list_visible_to(user=request.user))
    try:
        services.activity_follow_up_done(activity=activity, by=request.user)
    except PermissionDenied as error:
        return _refused(request, activity.order, error)
    return _refreshed(request, activity.order)


def _posted_version(request) -> int:
    text = request.POST.get("version", "")
    if not text.isdigit():
        raise ValidationError({"version": _("The form is missing the version it was shown; reload the page.")})
    return int(text)


def _number(text: str) -> int:
    """An id from a form: anything else names nothing (404), rather than a server error."""
    if not text.isdigit():
        raise Http404
    return int(text)


@login_required
def order_plan(request, order_pk):
    """The plan panel on the order page (loaded by htmx)."""
    order = _visible_order(request, order_pk)
    return render(request, "followup/includes/plan_panel.html", _plan_context(request, order))


@login_required
@require_POST
def plan_shipping_dates(request, order_pk):
    def save(plan, data):
        services.plan_set_shipping_dates(plan=plan, by=request.user, **data)
        return _("ETD and ETA saved; the plan is re-dated.")

    return _plan_form_post(request, order_pk, ShippingDatesForm, save)


@login_required
@require_POST
def plan_event(request, order_pk):
    def record(plan, data):
        services.plan_record_event(plan=plan, by=request.user, **data)
        event = PlanEvent(data["event"]).label
        return _("%(event)s recorded; the steps that wait for it are dated.") % {"event": event}

    return _plan_form_post(request, order_pk, PlanEventForm, record)


def _plan_form_post(request, order_pk, form_class, perform):
    """A form of the plan panel posted: `perform(plan, cleaned_data)` returns the success message; the panel
    comes back with it, or with the refusal."""
    order = _visible_order(request, order_pk)
    plan = plan_for_order(order)
    if plan is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            messages.success(request, perform(plan, form.cleaned_data))
        except PermissionDenied as error:
            return _refused(request, order, error)
        except (ValidationError, ConcurrentChange) as error:
            messages.error(request, error_text(error))
    else:
        messages.error(request, error_text(ValidationError(form.errors)))
    return render(request, "followup/includes/plan_panel.html", _plan_context(request, order))


def _shipping_outlook(plan, rows, today) -> dict:
    """What the plan says about leaving the factory and sailing, in dates people can act on. ETD and ETA not
    yet entered are shown as estimated from the projected ex-factory date (port days, transit days). When the
    ex-factory date agreed is past and the goods have not left, a projection of "tomorrow" would mislead: the
    page says how late it is and asks for a new date (moved on the order)."""
    ex_step = next((m for m in rows if m.is_ex_factory), None)
    stalled = ex_step is not None and ex_step.status == MilestoneStatus.OPEN and ex_step.due_date is not None \
        and ex_step.due_date < today
    leaves = plan.projected_ex_factory or plan.ex_factory
    etd = plan.etd or (leaves + timedelta(days=plan.port_days))
    return {
        "ex_factory_overdue_days": (today - ex_step.due_date).days if stalled else 0,
        "shown_etd": etd, "etd_estimated": plan.etd is None,
        "shown_eta": plan.eta or (etd + timedelta(days=plan.transit_days)), "eta_estimated": plan.eta is None,
    }


def _plan_row() -> dict:
    """What every row of the plan needs, worked out once per page (as `_cockpit_row`)."""
    return {
        "milestones": reverse("followup:milestone_list"),  # + "<pk>/form/<kind>/?view=plan&version=<n>"
        "done": _("Done, with a date, a note or evidence"), "reschedule": _("Reschedule"), "waive": _("Waive"),
        "reopen": _("Reopen"), "critical": _("On the critical path"), "evidence": _("Evidence"),
    }


def _plan_context(request, order) -> dict:
    plan = plan_for_order(order)
    today = timezone.localdate()
    context = {"order": order, "plan": plan, "today": today}
    if plan is None:
        return context
    rows = plan_milestones(plan)
    if any(m.status == MilestoneStatus.OPEN and m.projected_date and m.projected_date < today for m in rows):
        plan_projected(plan, rows, today=today)  # as of today, without writing on a GET
    soon = due_soon_limit(today, WorkCalendar.load())
    user = request.user
    for m in rows:
        m.standing = standing(m, today, soon)
        m.may_complete = ROW_FORMS["done"](user, m)  # the plan's buttons are the forms its rows may open
        m.may_reopen = ROW_FORMS["reopen"](user, m)
        m.may_reschedule = ROW_FORMS["reschedule"](user, m)
        m.record = record_link(user, m)
    context.update({
        "milestones": rows,
        "timeline": order_timeline(plan, rows, today),
        "chart_height": 90 + 24 * len(rows),
        "activities": order.activities.select_related("by", "milestone")[:30],
        "notices": order.delay_notices.all(),
        "activity_form": ActivityForm(),
        "dates_form": ShippingDatesForm(initial={"etd": plan.etd, "eta": plan.eta}),
        "row": _plan_row(),
        "may_set_dates": may_set_shipping_dates(user, order),
        "events": [(PlanEvent(code).label, date.fromisoformat(on)) for code, on in plan.events.items()],
        "event_choices": [(event.value, event.label) for event in RECORDED_EVENTS],
        "may_notify": may_notify_customer(user, order),
        **_shipping_outlook(plan, rows, today),
    })
    return context


@login_required
@require_POST
def delay_notice_draft(request, order_pk):
    order = _visible_order(request, order_pk)
    try:
        notice = services.delay_notice_draft(order=order, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(order.get_absolute_url())
    return redirect("followup:delay_notice", notice.pk)


@login_required
def delay_notice(request, pk):
    """Edit the drafted notice, then send it by email or record that it went out another way. Whoever sees
    the order may read the notice; only those who write to the customer edit and send it."""
    notice = get_object_or_404(
        DelayNotice.objects.select_related("order__customer"), pk=pk,
        order__in=order_list_visible_to(user=request.user),
    )
    may_edit = may_notify_customer(request.user, notice.order)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = DelayNoticeForm(request.POST or None, instance=notice)
    if request.method == "POST" and notice.status == DelayNotice.Status.DRAFT and form.is_valid():
        try:
            services.delay_notice_update(notice=notice, by=request.user, **form.cleaned_data)
            action = request.POST.get("action")
            if action == "send":
                services.delay_notice_send(notice=notice, by=request.user)
                messages.success(request, _("The delay notice was emailed and logged on the order."))
            elif action == "record":
                services.delay_notice_record(notice=notice, by=request.user)
                messages.success(request, _("Recorded as sent; logged on the order."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect("followup:delay_notice", notice.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
        except OSError as error:  # the mail server did not answer: the draft stays a draft
            messages.error(request, _("The mail server refused or did not answer: %(error)s") % {"error": error})
    return render(request, "followup/delay_notice.html", {
        "notice": notice, "form": form, "order": notice.order, "history": history_of(notice, limit=10),
        "may_edit": may_edit,
    })


def calendar_feed(request, token):
    """The iCal feed: no login (calendar apps cannot log in); the secret token is the key."""
    feed = get_object_or_404(FeedToken.objects.select_related("user"), token=token, user__is_active=True)
    response = HttpResponse(calendar_for(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gendan.ics"'
    return response


@login_required
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feeds.feed_token_revoke(user=request.user)
            messages.success(request, _("The calendar address is revoked; calendars using it stop updating."))
        else:
            feeds.feed_token_renew(user=request.user)
            messages.success(request, _("A new calendar address is ready; the old one no longer works."))
        return redirect("followup:calendar_settings")
    token = FeedToken.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("followup:calendar_feed", args=[token.token])) if token else ""
    return render(request, "followup/calendar_settings.html", {"feed_url": url})


@login_required
def notification_list(request):
    notes = (Notification.objects.filter(user=request.user)
             .select_related("order__customer", "milestone", "activity").order_by("-created_at", "-pk"))
    if request.method == "POST":
        notes.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("followup:notifications")
    page = list(notes[:100])
    return render(request, "followup/notifications.html", {"notifications": page, "today": timezone.localdate()})


@login_required
def team(request):
    """Managers: every merchandiser's load, overdue counts and on-time rates; reassign orders."""
    if not request.user.has_perm("followup.view_team_load"):
        raise PermissionDenied
    today = timezone.localdate()
    loads = team_load(today)
    chosen = next((load for load in loads if str(load.merchandiser.pk) == request.GET.get("merchandiser")), None)
    return render(request, "followup/team.html", {
        "loads": loads, "today": today, "chosen": chosen,
        "orders": active_orders_of(chosen.merchandiser) if chosen else [],
        "merchandisers": [load.merchandiser for load in loads], "milestone_list": reverse("followup:milestone_list"),
    })


@login_required
@require_POST
def reassign(request, order_pk):
    order = _visible_order(request, order_pk)
    merchandiser = get_object_or_404(User, pk=_number(request.POST.get("merchandiser", "")))
    previous = order.merchandiser_id
    try:
        order_reassign(order=order, merchandiser=merchandiser, by=request.user,
                                version=_posted_version(request), reason=request.POST.get("reason", ""))
        messages.success(request, _("%(order)s now belongs to %(person)s.") % {"order": order, "person": merchandiser})
    except (ValidationError, ConcurrentChange) as error:
        messages.error(request, error_text(error))
    return redirect(f"{reverse('followup:team')}?merchandiser={previous}")


@login_required
def timeline(request):
    """A timeline of many orders: planned against projected ex-factory, shipped dates, today."""
    today = timezone.localdate()
    plans = visible_plans(request.user).filter(  # the orders still to leave the factory
        status=PlanStatus.ACTIVE, order__status__in=[OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION,
                                                     OrderStatus.READY_TO_SHIP],
    ).select_related("order__customer")
    filters = PlanFilter(request.GET or None, queryset=plans, request=request)
    plans = list(filters.qs.order_by("ex_factory")[:TIMELINE_LIMIT])
    return render(request, "followup/timeline.html", {
        "form": filters.form, "plans": plans, "chart": orders_timeline(plans, today), "today": today,
        "chart_height": 100 + 26 * len(plans), "limit": TIMELINE_LIMIT,
    })


# ---------------------------------------------------------------- plan templates (managers)


def _require_template_manager(request) -> None:
    if not request.user.has_perm("followup.change_plantemplate"):
        raise PermissionDenied


@login_required
def department_owners(request):
    """Managers: who owns each department's milestones on new plans, and handing open ones over."""
    if not request.user.has_perm("followup.change_departmentassignee"):
        raise PermissionDenied
    if request.method == "POST":
        form = DepartmentOwnerForm(request.POST)
        if form.is_valid():
            try:
                moved = services.department_owner_set(by=request.user, **form.cleaned_data)
            except (ValidationError, ConcurrentChange) as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("Saved. %(n)s open milestones handed over.") % {"n": moved}
                                 if moved else _("Saved. New plans give this department's milestones to them."))
        else:
            messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("followup:department_owners")
    return render(request, "followup/department_owners.html", {"rows": department_owner_rows()})


@login_required
def template_list(request):
    _require_template_manager(request)
    if request.method == "POST":
        source = get_object_or_404(PlanTemplate, pk=request.POST.get("source"))
        try:
            new = template_services.template_copy(template=source, by=request.user, name=request.POST.get("name", ""))
            return redirect(new.get_absolute_url())
        except ValidationError as error:
            messages.error(request, error_text(error))
    templates = PlanTemplate.objects.annotate(step_count=Count("steps", distinct=True),
                                              plan_count=Count("plans", distinct=True))
    return render(request, "followup/template_list.html", {"templates": templates})


@login_required
def template_detail(request, pk):
    _require_template_manager(request)
    template = get_object_or_404(PlanTemplate, pk=pk)
    form = TemplateForm(request.POST or None, instance=copy(template))  # the form writes onto its copy
    if request.method == "POST":
        try:
            if request.POST.get("action") == "default":
                template_services.template_make_default(template=template, by=request.user)
                messages.success(request, _("New orders now get their plans from this template."))
                return redirect(template.get_absolute_url())
            if form.is_valid():
                template_services.template_save(template=template, by=request.user, **form.cleaned_data)
                messages.success(request, _("Template saved."))
                return redirect(template.get_absolute_url())
        except ValidationError as error:
            apply_service_errors(form, error)
        except ConcurrentChange as error:
            messages.error(request, str(error))
    return render(request, "followup/template_detail.html", {
        "template": template, "form": form, "steps": template.steps.all(), "history": history_of(template, 10),
    })


@login_required
def template_step(request, template_pk, pk=None):
    _require_template_manager(request)
    template = get_object_or_404(PlanTemplate, pk=template_pk)
    step = get_object_or_404(TemplateMilestone, pk=pk, template=template) if pk else TemplateMilestone(
        template=template, position=(template.steps.count() + 1) * 10)
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete" and step.pk:
                template_services.template_step_delete(step=step, by=request.user, version=_posted_version(request))
                messages.success(request, _("Step removed."))
                return redirect(template.get_absolute_url())
            if form.is_valid():
                fields = {name: form.cleaned_data[name] for name in [*StepForm.Meta.fields, "version"]}
                template_services.template_step_save(step=step, by=request.user, **fields)
                messages.success(request, _("Step saved."))
                return redirect(template.get_absolute_url())
        except ValidationError as error:
            apply_service_errors(form, error)
        except ConcurrentChange as error:
            messages.error(request, str(error))
    return render(request, "followup/template_step.html", {"template": template, "step": step, "form": form})
