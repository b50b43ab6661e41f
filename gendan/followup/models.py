from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import display_name
from gendan.accounts.roles import Role
from gendan.core.history import business_history
from gendan.core.trade import DocumentLanguage
from gendan.followup.choices import (
    MILESTONE_MOVES,
    PLAN_MOVES,
    ActivityKind,
    Anchor,
    MilestoneStatus,
    OffsetUnit,
    PlanEvent,
    PlanStatus,
)
from gendan.sales.choices import FollowupDepth, TransportMode

User = settings.AUTH_USER_MODEL
code_validator = RegexValidator(r"^[a-z][a-z0-9_]*$", _("Use lower-case letters, digits and underscores."))

def in_language(zh: str, en: str) -> str:
    language = get_language() or "zh-hans"
    return (en if language.startswith("en") else zh) or en or zh


class Named:
    """Milestones carry a Chinese and an English name; people read the one of their language."""

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

class PlanTemplate(models.Model):
    """The milestones an order's time-and-action plan starts from; managers edit them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default template"), default=False,
                                     help_text=_("Confirmed orders get a plan from the default template."))
    port_days = models.PositiveIntegerField(_("ex-factory to ETD (days)"), default=3)
    sea_transit_days = models.PositiveIntegerField(_("transit by sea (days)"), default=30)
    air_transit_days = models.PositiveIntegerField(_("transit by air (days)"), default=3)
    courier_transit_days = models.PositiveIntegerField(_("transit by courier (days)"), default=5)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["-is_default", "name"]
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                               name="one_default_plan_template")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("followup:template_detail", args=[self.pk])

    def transit_days(self, mode: str) -> int:
        return {TransportMode.AIR: self.air_transit_days,
                TransportMode.COURIER: self.courier_transit_days}.get(mode, self.sea_transit_days)

class TemplateMilestone(Named, models.Model):
    """One step of a template: who, anchored where, how many days off, after what, and when it applies."""

    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[code_validator])
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    department = models.CharField(_("owner department"), max_length=20, choices=Role.choices)
    anchor = models.CharField(_("anchor"), max_length=20, choices=Anchor.choices)
    anchor_milestone = models.CharField(_("anchor milestone"), max_length=40, blank=True,
                                        help_text=_("Code of the milestone this one counts from."))
    anchor_event = models.CharField(_("anchor event"), max_length=20, choices=PlanEvent.choices, blank=True)
    offset = models.IntegerField(_("offset"), default=0, help_text=_("Negative counts back from the anchor."))
    offset_unit = models.CharField(_("unit"), max_length=2, choices=OffsetUnit.choices,
                                   default=OffsetUnit.WORKING_DAYS)
    predecessors = models.CharField(
        _("predecessors"), max_length=300, blank=True,
        help_text=_("Milestones that must come first, by code, comma-separated: “bom” (not before it), "
                    "“bom+2” (at least 2 working days after it), “bom+gap” (keep the planned distance)."),
    )
    is_ex_factory = models.BooleanField(_("is the ex-factory milestone"), default=False)
    min_depth = models.CharField(_("applies from follow-up depth"), max_length=10, choices=FollowupDepth.choices,
                                 default=FollowupDepth.TO_WAREHOUSE)
    only_with_deposit = models.BooleanField(_("only when a deposit is due"), default=False)
    only_with_samples = models.BooleanField(_("only with pre-production samples"), default=False)
    only_with_commodity_inspection = models.BooleanField(_("only with commodity inspection"), default=False)
    only_with_certificate_of_origin = models.BooleanField(_("only with a certificate of origin"), default=False)
    transport_modes = models.JSONField(_("transport modes"), default=list, blank=True,
                                       help_text=_("Empty means every mode."))
    history = business_history()

    class Meta:
        verbose_name = _("template milestone")
        verbose_name_plural = _("template milestones")
        ordering = ["template", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="unique_template_step_code")]

    def __str__(self) -> str:
        return f"{self.template} · {self.code}"

class DepartmentAssignee(models.Model):
    """Who owns a department's milestones when the order does not name a person (e.g. engineering)."""

    department = models.CharField(_("department"), max_length=20, choices=Role.choices, unique=True)
    user = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("department owner")
        verbose_name_plural = _("department owners")
        ordering = ["department"]

    def __str__(self) -> str:
        return f"{self.get_department_display()}: {self.user}"

AT_RISK = models.Q(at_risk=True, status="active")


class PlanQuerySet(models.QuerySet):
    def listed(self):
        """With what a list row shows of its order, customer and cause as plain columns (see
        MilestoneQuerySet.listed)."""
        return self.annotate(**order_columns("order"), cause_zh=F("risk_cause__name_zh"),
                             cause_en=F("risk_cause__name_en"))


def order_columns(order: str) -> dict:
    """The order number and customer a list row shows, as annotations from the path to the order."""
    return {"order_number": F(f"{order}__number"), "customer_code": F(f"{order}__customer__code"),
            "customer_name": F(f"{order}__customer__name_en"), "customer_pk": F(f"{order}__customer_id")}


class Plan(models.Model):
    """An order's time-and-action plan: its milestones, projected ex-factory date and risk."""

    status_moves = PLAN_MOVES

    order = models.OneToOneField("sales.SalesOrder", on_delete=models.CASCADE, related_name="plan")
    template = models.ForeignKey(PlanTemplate, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="plans")
    # The order's people, kept here (and moved with the order) so that a person's orders at risk are one
    # range of a small index rather than a join through every order at risk in the company.
    merchandiser = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     db_index=False)
    salesperson = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    db_index=False)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE,
                              db_index=True)
    confirmed_on = models.DateField(_("order confirmed on"))
    ex_factory = models.DateField(_("confirmed ex-factory date"))
    etd = models.DateField(_("ETD"), null=True, blank=True, help_text=_("Leave empty to estimate from ex-factory."))
    eta = models.DateField(_("ETA"), null=True, blank=True, help_text=_("Leave empty to estimate from ETD."))
    port_days = models.PositiveIntegerField(default=3)
    transit_days = models.PositiveIntegerField(default=30)
    events = models.JSONField(default=dict, blank=True)  # PlanEvent value → ISO date
    # Derived by scheduling on every change; never edited.
    projected_ex_factory = models.DateField(_("projected ex-factory date"), null=True, blank=True)
    slip_days = models.IntegerField(_("days of slip"), default=0)
    at_risk = models.BooleanField(_("at risk"), default=False, db_index=True)
    risk_cause = models.ForeignKey("Milestone", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    has_estimated_dates = models.BooleanField(default=False)
    # Set by a change whose reminders the worker still has to make; cleared by the scan that made them. One
    # queued task serves every plan marked before it starts (a task per change cost confirming an order
    # about a millisecond), and a worker killed mid-scan leaves the marks for the next.
    reminders_wanted_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=[
        "merchandiser", "salesperson", "projected_ex_factory", "slip_days", "at_risk", "risk_cause",
        "has_estimated_dates", "reminders_wanted_at", "version", "updated_at",
    ])

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("time-and-action plan")
        verbose_name_plural = _("time-and-action plans")
        ordering = ["ex_factory"]
        indexes = [
            models.Index(F("slip_days").desc(), "ex_factory", name="followup_plans_at_risk", condition=AT_RISK),
            models.Index("merchandiser", F("slip_days").desc(), "ex_factory", name="followup_at_risk_merch",
                         condition=AT_RISK),
            models.Index("salesperson", F("slip_days").desc(), "ex_factory", name="followup_at_risk_sales",
                         condition=AT_RISK),
            models.Index(fields=["reminders_wanted_at"], name="followup_plan_reminders_wanted",
                         condition=models.Q(reminders_wanted_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return str(_("Plan for %(order)s") % {"order": self.order})

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.order_id]) + "#plan"

    @property
    def cause_name(self) -> str:
        """The milestone causing the risk, for rows from `listed()`."""
        return in_language(self.cause_zh or "", self.cause_en or "")

class MilestoneQuerySet(models.QuerySet):
    def open(self):
        """Open and dated. (Cancelling an order cancels its open milestones, so no join to the plan is needed:
        the cockpit's queries stay on the milestone table's indexes.)"""
        return self.filter(status=MilestoneStatus.OPEN, due_date__isnull=False)

    def owed_to(self, user):
        """What others owe a person: open milestones on the orders they chase that others own, or nobody in
        particular (a manager chases every order)."""
        others = self.filter(status=MilestoneStatus.OPEN).exclude(owner=user)
        return others if user.has_perm("followup.view_team_load") else others.filter(chaser=user)

    def owed_by(self, user):
        """What a person owes: milestones they own, and their departments' that nobody in particular owns."""
        return self.filter(models.Q(owner=user) | models.Q(owner__isnull=True, department__in=user.role_codes()))

    def listed(self):
        """With what a list row shows of its order, customer and owner as plain columns: one object per row
        instead of five (a cockpit shows some 300 rows, and building objects was most of its time)."""
        return self.annotate(order_pk=F("plan__order_id"), **order_columns("plan__order"),
                             owner_name=display_name("owner"))


class Milestone(Named, models.Model):
    """One dated step of an order's plan, owned by a department and, usually, a person."""

    status_moves = MILESTONE_MOVES

    # Owner and chaser are indexed as the first columns of the indexes below (with three million rows, each
    # index more is felt on every plan created). The plan keeps an index of its own although (plan, code)
    # leads with it: SQLite, which keeps no statistics, otherwise reads a plan's open milestones through
    # the status index, i.e. all of them, once per plan.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    department = models.CharField(_("owner department"), max_length=20, choices=Role.choices)
    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="milestones", db_index=False)
    # Who chases the order (its merchandiser, else its salesperson), kept here so "waiting on others" is one
    # index range on a table of millions rather than a join through plans and orders.
    chaser = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               db_index=False)
    # How the date is planned, copied from the template so later template edits leave running plans alone.
    anchor = models.CharField(_("anchor"), max_length=20, choices=Anchor.choices)
    anchor_milestone = models.CharField(max_length=40, blank=True)
    anchor_event = models.CharField(max_length=20, choices=PlanEvent.choices, blank=True)
    offset = models.IntegerField(_("offset"), default=0)
    offset_unit = models.CharField(max_length=2, choices=OffsetUnit.choices, default=OffsetUnit.WORKING_DAYS)
    predecessors = models.JSONField(default=list, blank=True)  # [[code, lag working days or None = keep gap]]
    is_ex_factory = models.BooleanField(default=False)
    manual_date = models.DateField(_("rescheduled to"), null=True, blank=True)
    baseline_date = models.DateField(_("first planned date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Derived by scheduling: the date it can now be expected, the latest it may be without moving
    # ex-factory, and whether a year on the way is missing from the working calendar.
    projected_date = models.DateField(_("projected date"), null=True, blank=True)
    latest_date = models.DateField(null=True, blank=True)
    is_critical = models.BooleanField(default=False)
    estimated = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.OPEN)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="milestones/%Y/%m/", blank=True)
    waive_reason = models.CharField(_("reason for waiving"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=[
        "chaser", "due_date", "projected_date", "latest_date", "is_critical", "estimated", "version", "updated_at",
    ])

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_plan_milestone_code")]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"]),
            models.Index(fields=["chaser", "status", "due_date"]),
            models.Index(fields=["department", "due_date"], name="followup_unassigned_open",
                         condition=models.Q(owner__isnull=True, status="open")),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["status", "projected_date"]),
        ]
        permissions = [
            ("complete_any_milestone", _("Can mark any department's milestones done or waived")),
            ("view_team_load", _("Can see every merchandiser's load and reassign orders")),
        ]

    def __str__(self) -> str:
        return f"{self.plan.order} · {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status == MilestoneStatus.OPEN

    @property
    def order_url(self) -> str:
        """The order's page, for rows from `listed()`."""
        return reverse("sales:order_detail", args=[self.order_pk])

    @property
    def date(self):
        """The date that counts for what follows: when it happened, else when it is due."""
        return self.actual_date if self.status == MilestoneStatus.DONE else self.due_date

class Activity(models.Model):
    """A note, call, email, visit or meeting on an order, with an optional date to follow up."""

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.NOTE)
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    contact = models.CharField(_("with whom"), max_length=100, blank=True)
    happened_at = models.DateTimeField(_("when"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("followed up"), default=False)
    milestone = models.ForeignKey(Milestone, verbose_name=_("milestone"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="activities")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = business_history()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["by", "follow_up_done", "follow_up_on"])]

    def __str__(self) -> str:
        return self.summary

class DelayNotice(models.Model):
    """The letter telling a customer that their order will leave later, why, and the exact new date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent by email")
        RECORDED = "recorded", _("Sent outside Gendan")

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="delay_notices")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("language"), max_length=10, choices=DocumentLanguage.choices)
    recipients = models.CharField(_("to"), max_length=500, blank=True,
                                  help_text=_("Email addresses, comma-separated."))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    reason = models.CharField(_("reason"), max_length=300)
    old_date = models.DateField(_("confirmed ex-factory date"))
    new_date = models.DateField(_("new ex-factory date"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    history = business_history()

    class Meta:
        verbose_name = _("delay notice")
        verbose_name_plural = _("delay notices")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    AT_RISK = "at_risk", _("Order at risk")
    FOLLOW_UP = "follow_up", _("Follow-up due")
    CREDIT_REQUESTED = "credit_requested", _("Credit approval requested")
    CREDIT_APPROVED = "credit_approved", _("Credit approved")
    CREDIT_REJECTED = "credit_rejected", _("Credit rejected")

class Notification(models.Model):
    """An in-app reminder. `key` makes each reminder unique, so scanning twice never repeats one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=100)
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, null=True, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # key first: the scan asks which of today's keys exist already
        constraints = [models.UniqueConstraint(fields=["key", "user"], name="unique_notification")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.key}"

class Digest(models.Model):
    """One morning email per person per day; the row is claimed before sending and marked after."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"

class FeedToken(models.Model):
    """The secret in a person's calendar-feed address; revoking it replaces the secret."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="feed_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} · feed"

