"""Shipments: ready goods of one customer's orders leaving together — partial quantities allowed, never more
than an order line asks for. Shipping a shipment moves its orders to partially shipped or shipped, through the
sales services and so through the money gate."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.history import business_history
from gendan.sales.models import ReadableDecimalField
from gendan.shipping.choices import SHIPMENT_MOVES, LoadPlanStatus, ShipmentMode, ShipmentStatus


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
    svg = models.TextField(_("picture (SVG)"))

    class Meta:
        verbose_name = _("load plan container")
        verbose_name_plural = _("load plan containers")
        ordering = ["load_plan", "index"]
        constraints = [models.UniqueConstraint(fields=["load_plan", "index"], name="load_plan_container_index")]

    def __str__(self) -> str:
        return f"{self.index}. {self.code}"
