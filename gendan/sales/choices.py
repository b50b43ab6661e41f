from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PRODUCTION = "in_production", _("In production")
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


S = OrderStatus
ORDER_MOVES: dict[str, set[str]] = {
    S.DRAFT: {S.UNDER_REVIEW, S.CANCELLED},
    S.UNDER_REVIEW: {S.CONFIRMED, S.DRAFT, S.CANCELLED},
    S.CONFIRMED: {S.IN_PRODUCTION, S.CANCELLED},
    S.IN_PRODUCTION: {S.READY_TO_SHIP, S.CANCELLED},
    S.READY_TO_SHIP: {S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED},
    S.PARTIALLY_SHIPPED: {S.SHIPPED},
    S.SHIPPED: {S.COMPLETED},
}
# A confirmed order changes by revision; these states allow editing at all.
EDITABLE_STATES = {S.DRAFT, S.CONFIRMED, S.IN_PRODUCTION, S.READY_TO_SHIP}
REVISED_STATES = {S.CONFIRMED, S.IN_PRODUCTION, S.READY_TO_SHIP}
# Departments downstream of sales see orders once they are confirmed.
ACTIVE_STATES = {S.CONFIRMED, S.IN_PRODUCTION, S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED}
OPEN_STATES = {S.DRAFT, S.UNDER_REVIEW, *ACTIVE_STATES} - {S.SHIPPED}


class FollowupDepth(models.TextChoices):
    TO_WAREHOUSE = "warehouse", _("To warehouse (goods ready)")
    TO_LOADING = "loading", _("To loading and customs clearance")
    TO_PAYMENT = "payment", _("To payment received")


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    COURIER = "courier", _("Courier")
