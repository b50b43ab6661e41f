from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Anchor(models.TextChoices):
    CONFIRMATION = "confirmation", _("Order confirmation")
    EX_FACTORY = "ex_factory", _("Confirmed ex-factory date")
    ETD = "etd", _("ETD")
    ETA = "eta", _("ETA")
    MILESTONE = "milestone", _("Another milestone")
    EVENT = "event", _("An event")
    PAYMENT_TERMS = "payment_terms", _("The order's payment terms")


class OffsetUnit(models.TextChoices):
    WORKING_DAYS = "wd", pgettext_lazy("offset unit", "working days")
    CALENDAR_DAYS = "d", pgettext_lazy("offset unit", "calendar days")


class PlanEvent(models.TextChoices):
    SAMPLE_DELIVERED = "sample_delivered", _("Sample delivered to the customer")
    GOODS_RECEIVED = "goods_received", _("Goods received by the customer")
    # Set by the shipment's booking, not recorded by hand: the carrier's deadlines.
    CARGO_CUTOFF = "cargo_cutoff", _("Cargo (CY) cut-off")
    SI_CUTOFF = "si_cutoff", _("Documents (SI) cut-off")
    VGM_CUTOFF = "vgm_cutoff", _("VGM cut-off")


RECORDED_EVENTS = (PlanEvent.SAMPLE_DELIVERED, PlanEvent.GOODS_RECEIVED)  # what a person records on the plan


class MilestoneStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("milestone", "Open")
    DONE = "done", pgettext_lazy("milestone", "Done")
    WAIVED = "waived", pgettext_lazy("milestone", "Waived")
    CANCELLED = "cancelled", pgettext_lazy("milestone", "Cancelled with the order")


M = MilestoneStatus
# Done and waived can be reopened (a mistake, work to redo); cancelled goes with a cancelled order, for good.
MILESTONE_MOVES: dict[str, set[str]] = {
    M.OPEN: {M.DONE, M.WAIVED, M.CANCELLED},
    M.DONE: {M.OPEN},
    M.WAIVED: {M.OPEN},
}


class Standing(models.TextChoices):
    """Where an open milestone stands today; derived from its dates, never stored."""

    WAITING = "waiting", _("Waiting for its anchor")
    PLANNED = "planned", _("Planned")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", pgettext_lazy("milestone", "Done")
    WAIVED = "waived", pgettext_lazy("milestone", "Waived")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("plan", "Active")
    FINISHED = "finished", pgettext_lazy("plan", "Finished")
    CANCELLED = "cancelled", pgettext_lazy("plan", "Cancelled")


P = PlanStatus
# A plan finishes when its last milestone closes and is active again when one reopens; it is cancelled with
# its order, which may happen after every milestone closed.
PLAN_MOVES: dict[str, set[str]] = {
    P.ACTIVE: {P.FINISHED, P.CANCELLED},
    P.FINISHED: {P.ACTIVE, P.CANCELLED},
}


class ActivityKind(models.TextChoices):
    NOTE = "note", _("Note")
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    DELAY_NOTICE = "delay_notice", _("Delay notice")


DUE_SOON_WORKING_DAYS = 2
