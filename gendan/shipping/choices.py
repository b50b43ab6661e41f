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


class BLStatus(models.TextChoices):
    DRAFT_RECEIVED = "draft_received", _("Draft received")
    DRAFT_CONFIRMED = "draft_confirmed", _("Draft confirmed")
    ISSUED = "issued", _("Issued")
    COPY_SENT = "copy_sent", _("Copy sent to the customer")
    RELEASED = "released", _("Released")


BL_MOVES = {
    BLStatus.DRAFT_RECEIVED: {BLStatus.DRAFT_CONFIRMED},
    BLStatus.DRAFT_CONFIRMED: {BLStatus.ISSUED},
    BLStatus.ISSUED: {BLStatus.COPY_SENT},
    BLStatus.COPY_SENT: {BLStatus.RELEASED},
    BLStatus.RELEASED: set(),
}


class BLType(models.TextChoices):
    ORIGINAL = "original", _("Original B/L (3/3)")
    TELEX = "telex", _("Telex release")
    SEA_WAYBILL = "sea_waybill", _("Sea waybill")


class ReleaseMethod(models.TextChoices):
    COURIER = "courier", _("Originals couriered")
    TELEX = "telex", _("Telex release instructed")
    BANK = "bank", _("Documents presented to the bank")
    WAYBILL = "waybill", _("Sea waybill: release to the consignee instructed")


class BankAnswer(models.TextChoices):
    """What the bank said of the documents presented under an L/C or for collection."""

    ACCEPTED = "accepted", _("Accepted (complying, or discrepancies waived)")
    DISCREPANT = "discrepant", _("Discrepancies notified")
    REFUSED = "refused", _("Refused")


PRESENTATION_DAYS = 21  # UCP 600 art. 14(c): presented within 21 days after the date of shipment


class TrackingStatus(models.TextChoices):
    DEPARTED = "departed", _("Departed")
    TRANSHIPPED = "transhipped", _("Transhipped")
    ARRIVED = "arrived", _("Arrived at the port of discharge")
    DELIVERED = "delivered", _("Delivered to the customer")


class NoticeNode(models.TextChoices):
    """The key steps of an order the customer hears about (seed 004): the first three per order, the last two per
    shipment. "Shipped" is the shipping advice, with the documents attached."""

    CONFIRMED = "confirmed", _("Order confirmed")
    PRODUCTION_STARTED = "production_started", _("Production started")
    GOODS_READY = "goods_ready", _("Goods ready")
    SHIPPED = "shipped", _("Shipping advice")
    ARRIVED = "arrived", _("Goods arrived")


ORDER_NODES = (NoticeNode.CONFIRMED, NoticeNode.PRODUCTION_STARTED, NoticeNode.GOODS_READY)
SHIPMENT_NODES = (NoticeNode.SHIPPED, NoticeNode.ARRIVED)


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent by email")
    RECORDED = "recorded", _("Sent outside Gendan")

class LoadPlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Planning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CertificateKind(models.TextChoices):
    INSPECTION = "inspection", _("Commodity inspection")
    GENERAL_CO = "general_co", _("Certificate of origin (general)")
    FORM_E = "form_e", _("Form E (China–ASEAN)")
    RCEP = "rcep", _("RCEP certificate of origin")
    FORM_A = "form_a", _("Form A (GSP)")
    OTHER = "other", _("Other preferential certificate of origin")


CERTIFICATES_OF_ORIGIN = (CertificateKind.GENERAL_CO, CertificateKind.FORM_E, CertificateKind.RCEP,
                          CertificateKind.FORM_A, CertificateKind.OTHER)


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")
