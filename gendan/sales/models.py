import decimal
import math
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gendan.core.history import business_history
from gendan.core.money import round_amount
from gendan.core.trade import Incoterm, Unit
from gendan.core.validators import validate_currency
from gendan.parties.choices import BalanceCondition
from gendan.parties.models import PaymentTerm
from gendan.sales.choices import (
    EDITABLE_STATES,
    ORDER_MOVES,
    REVISED_STATES,
    FollowupDepth,
    OrderStatus,
    TransportMode,
)

User = settings.AUTH_USER_MODEL


class ReadableDecimalField(models.DecimalField):
    """A DecimalField that reads back a stored value wider than its digits instead of raising.

    SQLite does not enforce a decimal's precision: a row written before the services checked
    magnitudes (or by hand) would otherwise raise `InvalidOperation` and break every list that shows
    it. Writes are still checked (services, forms, serializers); migrations see a plain DecimalField.
    """

    @cached_property
    def context(self):
        return decimal.Context(prec=400)  # any float SQLite can hold, to any of our decimal places

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs



class SalesOrderQuerySet(models.QuerySet):
    def search(self, text: str):
        if not text:
            return self
        return self.filter(
            models.Q(number__icontains=text)
            | models.Q(customer_po__icontains=text)
            | models.Q(customer__code__icontains=text)
            | models.Q(customer__name_en__icontains=text)
            | models.Q(customer__name_zh__icontains=text)
            | models.Q(lines__product__code__icontains=text)
            | models.Q(lines__customer_item_no__icontains=text)
        ).distinct()


class SalesOrder(models.Model):
    """A customer's order: what was sold, on which terms, and where it stands in its life."""

    status_moves = ORDER_MOVES

    number = models.CharField(_("order no."), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT, editable=False,
    )  # indexed with the order date (Meta.indexes)
    customer = models.ForeignKey(
        "parties.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    customer_po = models.CharField(_("customer PO no."), max_length=60, blank=True)
    order_date = models.DateField(_("order date"), db_index=True)
    requested_ex_factory = models.DateField(_("requested ex-factory date"), null=True, blank=True)
    confirmed_ex_factory = models.DateField(_("confirmed ex-factory date"), null=True, blank=True)
    incoterm = models.CharField(_("Incoterm 2020"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    incoterm_place = models.CharField(_("named place"), max_length=100, help_text=_("e.g. Ningbo, Rotterdam"))
    payment_term = models.ForeignKey(
        PaymentTerm, verbose_name=_("payment terms"), on_delete=models.PROTECT, null=True, blank=True
    )
    deposit_percent = ReadableDecimalField(
        _("deposit %"), max_digits=5, decimal_places=2, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    balance_condition = models.CharField(
        _("balance condition"), max_length=20, choices=BalanceCondition.choices,
        default=BalanceCondition.AGAINST_COPY_BL,
    )
    balance_days = models.PositiveIntegerField(_("balance days"), default=0)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    salesperson = models.ForeignKey(
        User, verbose_name=_("salesperson"), on_delete=models.PROTECT, related_name="sales_orders"
    )
    merchandiser = models.ForeignKey(
        User, verbose_name=_("merchandiser"), on_delete=models.PROTECT, related_name="merchandised_orders",
        null=True, blank=True,
    )
    followup_depth = models.CharField(
        _("follow-up depth"), max_length=10, choices=FollowupDepth.choices, default=FollowupDepth.TO_PAYMENT
    )
    transport_mode = models.CharField(
        _("transport"), max_length=10, choices=TransportMode.choices, default=TransportMode.SEA
    )
    # What the time-and-action plan needs to know about this order
    needs_samples = models.BooleanField(_("pre-production samples"), default=False,
                                        help_text=_("The customer approves a sample before production."))
    needs_commodity_inspection = models.BooleanField(_("commodity inspection"), default=False,
                                                     help_text=_("The HS codes need CIQ inspection before export."))
    needs_certificate_of_origin = models.BooleanField(_("certificate of origin"), default=False)
    shipping_marks = models.TextField(_("shipping marks"), blank=True)
    packing_requirements = models.TextField(_("packing requirements"), blank=True)
    customer_specifics = models.TextField(
        _("customer specifics"), blank=True, help_text=_("Artwork, labels, packaging and other customer requirements.")
    )
    cancel_reason = models.TextField(_("cancellation reason"), blank=True, editable=False)
    total_amount = ReadableDecimalField(_("total"), max_digits=16, decimal_places=3, default=0, editable=False)
    total_quantity = ReadableDecimalField(_("quantity"), max_digits=16, decimal_places=3, default=0, editable=False)
    total_cartons = models.PositiveIntegerField(_("cartons"), default=0, editable=False)
    total_cbm = ReadableDecimalField(_("CBM"), max_digits=12, decimal_places=3, default=0, editable=False)
    total_gross_kg = ReadableDecimalField(_("gross weight (kg)"), max_digits=14, decimal_places=2, default=0,
                                         editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Status moves, revisions and cancellations are OrderEvents; totals follow from the lines' own history.
    history = business_history(excluded_fields=[
        "version", "updated_at", "status", "revision", "cancel_reason", "total_amount", "total_quantity",
        "total_cartons", "total_cbm", "total_gross_kg",
    ])

    objects = SalesOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-order_date", "-number"]
        indexes = [models.Index(fields=["status", "order_date"])]
        permissions = [
            ("view_all_orders", _("Can see every order")),
            ("view_active_orders", _("Can see confirmed orders of all customers")),
            ("change_any_order", _("Can edit every order")),
            ("review_order", _("Can confirm or return orders under review")),
            ("progress_order", _("Can move orders through production and shipping")),
            ("complete_order", _("Can complete shipped orders")),
            ("cancel_order", _("Can cancel confirmed orders")),
        ]

    def __str__(self) -> str:
        return self.number or str(_("new order"))

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def is_revised_on_change(self) -> bool:
        return self.status in REVISED_STATES

    @property
    def is_late(self) -> bool:
        """Past its confirmed ex-factory date and not yet shipped."""
        return bool(self.confirmed_ex_factory) and self.confirmed_ex_factory < timezone.localdate() and (
            self.status in (OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP)
        )

    @property
    def incoterm_display(self) -> str:
        return f"{self.incoterm} {self.incoterm_place}".strip()

    @property
    def deposit_amount(self) -> Decimal:
        return round_amount(self.total_amount * self.deposit_percent / 100, self.currency)

    @property
    def payment_terms_display(self) -> str:
        parts = []
        if self.deposit_percent:
            parts.append(_("%(pct)s%% deposit") % {"pct": format(self.deposit_percent.normalize(), "f")})
        balance = self.get_balance_condition_display()
        if self.balance_days:
            balance = f"{balance} {self.balance_days} " + str(_("days"))
        parts.append(str(balance))
        return ", ".join(str(p) for p in parts)


class SalesOrderLine(models.Model):
    """One product on an order; amount, cartons and CBM derive from quantity, price and packaging."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines",
                              db_index=False)  # the first column of unique_line_position
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey("catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT)
    customer_item_no = models.CharField(_("customer item no."), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = ReadableDecimalField(
        _("quantity"), max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    unit_price = ReadableDecimalField(
        _("unit price"), max_digits=16, decimal_places=6, validators=[MinValueValidator(0)]
    )
    amount = ReadableDecimalField(_("amount"), max_digits=16, decimal_places=3, editable=False)
    cartons = models.PositiveIntegerField(_("cartons"), default=0, editable=False)
    cbm = ReadableDecimalField(_("CBM"), max_digits=12, decimal_places=4, default=0, editable=False)
    gross_kg = ReadableDecimalField(_("gross weight (kg)"), max_digits=14, decimal_places=2, default=0,
                                   editable=False)
    # amount, cartons, CBM and weight follow from quantity, price and packaging: not kept twice
    history = business_history(excluded_fields=["amount", "cartons", "cbm", "gross_kg"])

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [models.UniqueConstraint(fields=["order", "position"], name="unique_line_position")]

    def __str__(self) -> str:
        return f"{self.order} #{self.position}"

    def compute(self, currency: str) -> None:
        """Derive amount, cartons, CBM and gross weight from quantity, price and the product's packaging."""
        self.amount = round_amount(self.quantity * self.unit_price, currency)
        per_carton = self.product.units_per_carton or 1
        self.cartons = math.ceil(self.quantity / per_carton)
        self.cbm = (self.product.cbm_per_carton * self.cartons).quantize(Decimal("0.0001"))
        self.gross_kg = self.product.gross_weight_kg * self.cartons


def attachment_path(instance, filename: str) -> str:
    # Customer material is archived by year-month and order number (DESIGN.md).
    order = instance.order
    return f"orders/{order.order_date:%Y-%m}/{order.number}/{filename}"


class OrderAttachment(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class OrderEvent(models.Model):
    """Something that happened to an order: a state change, a revision, an attachment."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.kind}"

    @property
    def old_status_label(self) -> str:
        return OrderStatus(self.old_status).label if self.old_status else ""

    @property
    def new_status_label(self) -> str:
        return OrderStatus(self.new_status).label if self.new_status else ""


class OrderRevision(models.Model):
    """A numbered change to a confirmed order, with what changed and the order as it then stood."""

    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=list)
    snapshot = models.JSONField(_("order as revised"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order revision")
        verbose_name_plural = _("order revisions")
        ordering = ["order", "-number"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.order} rev. {self.number}"
