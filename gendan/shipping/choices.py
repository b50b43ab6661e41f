from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentMode(models.TextChoices):
    SEA_FCL = "sea_fcl", _("Sea, full containers (FCL)")
    SEA_LCL = "sea_lcl", _("Sea, less than a container (LCL)")
    AIR = "air", _("Air")
    COURIER = "courier", _("Courier")
    TRUCK = "truck", _("Truck")


class ShipmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # goods chosen, not gone yet
    SHIPPED = "shipped", _("Shipped")
    CANCELLED = "cancelled", _("Cancelled")


SHIPMENT_MOVES = {
    ShipmentStatus.DRAFT: {ShipmentStatus.SHIPPED, ShipmentStatus.CANCELLED},
    ShipmentStatus.SHIPPED: set(),
    ShipmentStatus.CANCELLED: set(),
}


class LoadPlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Planning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
