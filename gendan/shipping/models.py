"""Shipments: ready goods of one customer's orders leaving together — partial quantities allowed, never more
than an order line asks for. Shipping a shipment moves its orders to partially shipped or shipped, through the
sales services and so through the money gate."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.history import business_history
from gendan.core.trade import DocumentLanguage
from gendan.sales.models import ReadableDecimalField
from gendan.shipping.choices import (
    BL_MOVES,
    CERTIFICATES_OF_ORIGIN,
    SHIPMENT_MOVES,
    BankAnswer,
    BLStatus,
    BLType,
    CertificateKind,
    InspectionResult,
    LoadPlanStatus,
    NoticeNode,
    NoticeStatus,
    ReleaseMethod,
    ShipmentMode,
    ShipmentStatus,
    TrackingStatus,
)


class Shipment(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey("parties.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="shipments")
    mode = models.CharField(_("mode"), max_length=10, choices=ShipmentMode.choices, default=ShipmentMode.SEA_FCL)
    status = models.CharField(_("status"), max_length=12, choices=ShipmentStatus.choices,
                              default=ShipmentStatus.DRAFT)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = business_history(indexed=("customer",))

    status_moves = SHIPMENT_MOVES

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("shipping:shipment_detail", args=[self.pk])


class ShipmentLine(models.Model):
    """So many units of one order line in the shipment."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("sales.SalesOrderLine", verbose_name=_("order line"), on_delete=models.PROTECT,
                                   related_name="shipment_lines")
    quantity = ReadableDecimalField(_("quantity"), max_digits=14, decimal_places=3)
    history = business_history(indexed=("shipment",))

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="shipment_line_positive")]

    def __str__(self) -> str:
        return f"{self.shipment} · {self.order_line}"


class Port(models.Model):
    """A port by its UN/LOCODE (country + place: CNNGB Ningbo); a bundled list of common ones, more may be added."""

    code = models.CharField(_("UN/LOCODE"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("port")
        verbose_name_plural = _("ports")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def name_in(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") and self.name_zh else self.name


class Booking(models.Model):
    """The shipment's space booked with a forwarder: vessel, ports, sailing and arrival dates, and the carrier's
    cut-offs, each a deadline for the merchandiser."""

    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE, related_name="booking")
    forwarder = models.ForeignKey("parties.Supplier", verbose_name=_("forwarder"), on_delete=models.PROTECT,
                                  related_name="bookings")
    booking_number = models.CharField(_("booking no."), max_length=40, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    vessel = models.CharField(_("vessel"), max_length=100, blank=True)
    voyage = models.CharField(_("voyage"), max_length=40, blank=True)
    port_of_loading = models.ForeignKey(Port, verbose_name=_("port of loading"), on_delete=models.PROTECT,
                                        related_name="+")
    port_of_discharge = models.ForeignKey(Port, verbose_name=_("port of discharge"), on_delete=models.PROTECT,
                                          related_name="+")
    etd = models.DateField(_("ETD"))
    eta = models.DateField(_("ETA"), null=True, blank=True)
    cargo_cutoff = models.DateTimeField(_("cargo (CY) cut-off"), null=True, blank=True)
    si_cutoff = models.DateTimeField(_("documents (SI) cut-off"), null=True, blank=True)
    vgm_cutoff = models.DateTimeField(_("VGM cut-off"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = business_history(indexed=("shipment",))

    CUTOFFS = ("cargo_cutoff", "si_cutoff", "vgm_cutoff")

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return self.booking_number or str(self.shipment)


def loading_photo_path(photo: "LoadingPhoto", filename: str) -> str:
    return f"loading/{photo.container.shipment.number}/{photo.container.container_number}/{filename}"


class LoadedContainer(models.Model):
    """A container as it was loaded at the factory or warehouse (装柜): its number and seal, what went in it, the
    weights declared for the VGM. Loading completes each order's ex-factory milestone once its goods are in."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="containers")
    container_number = models.CharField(_("container no."), max_length=11)
    seal_number = models.CharField(_("seal no."), max_length=30, unique=True)
    container_type = models.CharField(_("type"), max_length=10)
    tare_kg = ReadableDecimalField(_("tare (kg)"), max_digits=8, decimal_places=1)
    cargo_gross_kg = ReadableDecimalField(_("cargo gross weight (kg)"), max_digits=10, decimal_places=2)
    vgm_kg = ReadableDecimalField(_("VGM (kg)"), max_digits=10, decimal_places=2)
    loaded_on = models.DateField(_("loaded on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(indexed=("shipment",))

    class Meta:
        verbose_name = _("loaded container")
        verbose_name_plural = _("loaded containers")
        ordering = ["shipment", "loaded_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["shipment", "container_number"],
                                               name="container_once_per_shipment")]

    def __str__(self) -> str:
        return self.container_number


class LoadedLine(models.Model):
    """So many cartons (and units) of one shipment line in the container."""

    container = models.ForeignKey(LoadedContainer, on_delete=models.CASCADE, related_name="lines")
    shipment_line = models.ForeignKey(ShipmentLine, verbose_name=_("shipment line"), on_delete=models.PROTECT,
                                      related_name="loaded")
    cartons = models.PositiveIntegerField(_("cartons"))
    quantity = ReadableDecimalField(_("quantity"), max_digits=14, decimal_places=3)
    history = business_history(indexed=("container",))

    class Meta:
        verbose_name = _("loaded line")
        verbose_name_plural = _("loaded lines")
        ordering = ["container", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="loaded_line_positive")]

    def __str__(self) -> str:
        return f"{self.container} · {self.shipment_line.order_line}"


class LoadingPhoto(models.Model):
    container = models.ForeignKey(LoadedContainer, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=loading_photo_path)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loading photo")
        verbose_name_plural = _("loading photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class BillOfLading(models.Model):
    """The shipment's B/L from the carrier's draft to the release of the goods: draft received → confirmed →
    issued (its date starts the terms counted from the B/L date) → copy sent to the customer → released,
    with who instructed the release, to whom, and how the instruction was verified (forged telex-release
    requests are a known fraud)."""

    shipment = models.OneToOneField(Shipment, on_delete=models.PROTECT, related_name="bill_of_lading")
    status = models.CharField(_("status"), max_length=20, choices=BLStatus.choices, default=BLStatus.DRAFT_RECEIVED)
    bl_type = models.CharField(_("B/L type"), max_length=12, choices=BLType.choices, default=BLType.ORIGINAL)
    number = models.CharField(_("B/L no."), max_length=40, blank=True)
    issued_on = models.DateField(_("B/L date"), null=True, blank=True, help_text=_("The on-board date."))
    draft_note = models.TextField(_("corrections asked"), blank=True)
    copy_sent_on = models.DateField(_("copy sent on"), null=True, blank=True)
    release_method = models.CharField(_("released by"), max_length=10, choices=ReleaseMethod.choices, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_to = models.CharField(_("released to"), max_length=200, blank=True)
    courier = models.CharField(_("courier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking no."), max_length=60, blank=True)
    verification = models.TextField(_("how the instruction was verified"), blank=True)
    lc_number = models.CharField(_("L/C no."), max_length=40, blank=True)
    bank_answer = models.CharField(_("bank's answer"), max_length=12, choices=BankAnswer.choices, blank=True)
    discrepancies = models.TextField(_("discrepancies"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    maturity_on = models.DateField(_("maturity date"), null=True, blank=True,
                                   help_text=_("Usance L/C or D/A: the day the bank pays the accepted draft."))
    released_by = models.ForeignKey(User, verbose_name=_("release instructed by"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(indexed=("shipment",))

    status_moves = BL_MOVES

    class Meta:
        verbose_name = _("bill of lading")
        verbose_name_plural = _("bills of lading")
        permissions = [("release_documents", _("Can release the documents (originals, telex release)"))]

    def __str__(self) -> str:
        return self.number or _("B/L of %(shipment)s") % {"shipment": self.shipment}


class TrackingLink(models.Model):
    """A read-only link for the customer to follow an order without logging in: its key steps and shipments,
    nothing internal. The URL carries a signed token of the link and its nonce; revoking ends it, issuing
    another gives a new nonce, and it expires."""

    order = models.ForeignKey("sales.SalesOrder", verbose_name=_("order"), on_delete=models.CASCADE,
                              related_name="tracking_links")
    nonce = models.CharField(max_length=32, editable=False)
    expires_on = models.DateField(_("expires on"))
    created_by = models.ForeignKey(User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, verbose_name=_("revoked by"), on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    history = business_history(indexed=("order",))

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order} · {self.expires_on}"


class TrackingEvent(models.Model):
    """Where the goods are: entered by hand or imported from a forwarder's sheet."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking_events")
    status = models.CharField(_("status"), max_length=12, choices=TrackingStatus.choices)
    happened_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = business_history(indexed=("shipment",))

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["shipment", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.shipment} · {self.get_status_display()} {self.happened_on}"
class CustomerNotice(models.Model):
    """A key-step message to the customer (order confirmed … goods arrived), drafted in the customer's document
    language, edited by the merchandiser, then emailed or recorded as sent another way; logged on the orders.
    Per order for the first steps, per shipment for the shipping advice and the arrival."""

    node = models.CharField(_("step"), max_length=20, choices=NoticeNode.choices)
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="notices")
    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="customer_notices",
                              null=True, blank=True)
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="notices", null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    language = models.CharField(_("language"), max_length=10, choices=DocumentLanguage.choices)
    recipients = models.CharField(_("to"), max_length=500, blank=True, help_text=_("Email addresses, comma-separated."))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    documents = models.ManyToManyField("documents.Document", verbose_name=_("attached documents"), blank=True,
                                       related_name="+")
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(User, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+",
                                null=True, blank=True)
    history = business_history(indexed=("customer",))

    class Meta:
        verbose_name = _("customer notice")
        verbose_name_plural = _("customer notices")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(order__isnull=False, shipment__isnull=True)
            | models.Q(order__isnull=True, shipment__isnull=False), name="notice_order_or_shipment")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("shipping:notice", args=[self.pk])


class ContainerType(models.Model):
    """A container type the company books, with its inner size, door, payload and freight rate: data a manager
    edits. Seeded with the planner's defaults (20GP, 40GP, 40HQ, 45HQ)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=60)
    inner_length_mm = models.PositiveIntegerField(_("inner length (mm)"), validators=[MinValueValidator(1)])
    inner_width_mm = models.PositiveIntegerField(_("inner width (mm)"), validators=[MinValueValidator(1)])
    inner_height_mm = models.PositiveIntegerField(_("inner height (mm)"), validators=[MinValueValidator(1)])
    door_width_mm = models.PositiveIntegerField(_("door width (mm)"), validators=[MinValueValidator(1)])
    door_height_mm = models.PositiveIntegerField(_("door height (mm)"), validators=[MinValueValidator(1)])
    max_payload_kg = models.PositiveIntegerField(_("max. payload (kg)"), validators=[MinValueValidator(1)])
    tare_kg = models.PositiveIntegerField(_("tare (kg)"))
    freight_rate = models.DecimalField(_("freight rate"), max_digits=12, decimal_places=2,
                                       validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("container type")
        verbose_name_plural = _("container types")
        ordering = ["inner_length_mm", "inner_height_mm", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def volume_m3(self) -> float:
        return self.inner_length_mm * self.inner_width_mm * self.inner_height_mm / 1e9


class LclRate(models.Model):
    """The price of less than a container load, per W/M (the greater of m³ and tonnes, at least 1). One row."""

    rate_per_wm = models.DecimalField(_("LCL price per W/M"), max_digits=10, decimal_places=2,
                                      validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("LCL rate")
        verbose_name_plural = _("LCL rates")

    def __str__(self) -> str:
        return f"LCL {self.currency} {self.rate_per_wm}/W/M"


class LoadPlan(models.Model):
    """One request to plan how a shipment's cartons go into containers, planned in the worker. The newest is the
    shipment's plan; older ones stay listed."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE,
                                 related_name="load_plans")
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=LoadPlanStatus.choices,
                              default=LoadPlanStatus.QUEUED)
    container_types = models.JSONField(_("container types offered"), default=list)
    stops = models.JSONField(_("stop per order"), default=dict, blank=True)
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (seconds)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)])
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    freight_cost = models.DecimalField(_("freight cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    lcl_cost = models.DecimalField(_("LCL price"), max_digits=14, decimal_places=2, null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = business_history(indexed=("shipment",), excluded_fields=["result", "progress"])

    class Meta:
        verbose_name = _("load plan")
        verbose_name_plural = _("load plans")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(time_limit__gte=1, time_limit__lte=60),
                                              name="load_plan_time_limit")]

    def __str__(self) -> str:
        return f"{self.shipment} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def pending(self) -> bool:
        return self.status in (LoadPlanStatus.QUEUED, LoadPlanStatus.RUNNING)


class LoadPlanContainer(models.Model):
    """One container of a finished load plan, as the page shows it."""

    load_plan = models.ForeignKey(LoadPlan, on_delete=models.CASCADE, related_name="containers")
    index = models.PositiveSmallIntegerField(_("container no."))
    code = models.CharField(_("container type"), max_length=10)
    cartons = models.PositiveIntegerField(_("cartons"))
    volume_use = models.DecimalField(_("volume use (%)"), max_digits=5, decimal_places=1)
    weight_use = models.DecimalField(_("weight use (%)"), max_digits=5, decimal_places=1)
    cargo_weight_kg = models.DecimalField(_("cargo weight (kg)"), max_digits=10, decimal_places=1)
    # its picture is drawn from the plan's result when asked for, in the reader's language

    class Meta:
        verbose_name = _("load plan container")
        verbose_name_plural = _("load plan containers")
        ordering = ["load_plan", "index"]
        constraints = [models.UniqueConstraint(fields=["load_plan", "index"], name="load_plan_container_index")]

    def __str__(self) -> str:
        return f"{self.index}. {self.code}"


def certificate_path(certificate: "Certificate", filename: str) -> str:
    return timezone.localdate().strftime("certificates/%Y/%m/") + filename


class Certificate(models.Model):
    """A commodity inspection (商检) or a certificate of origin (产地证) obtained for the shipment: its number (unique
    per kind nationwide), who issued it and when, the scan, and for an inspection its result. A certificate of
    origin completes the orders' `certificate_of_origin` milestone, a passed inspection `commodity_inspection`."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT,
                                 related_name="certificates")
    kind = models.CharField(_("kind"), max_length=12, choices=CertificateKind.choices)
    form_name = models.CharField(_("form"), max_length=100, blank=True,
                                 help_text=_("For another preferential form, its name, e.g. China–Australia FTA."))
    number = models.CharField(_("certificate no."), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices, blank=True)
    file = models.FileField(_("scan"), upload_to=certificate_path, max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(indexed=("shipment",))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["shipment", "issued_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.number}"

    @property
    def kind_label(self) -> str:
        return self.form_name if self.kind == CertificateKind.OTHER and self.form_name else self.get_kind_display()

    @property
    def is_origin(self) -> bool:
        return self.kind in CERTIFICATES_OF_ORIGIN

    @property
    def failed(self) -> bool:
        return self.kind == CertificateKind.INSPECTION and self.result == InspectionResult.FAILED
