from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.history import business_history
from gendan.core.text import NormalizedCodeMixin
from gendan.core.trade import Unit
from gendan.core.validators import validate_currency, validate_hs_code

CBM_PLACES = Decimal("0.000001")
positive = [MinValueValidator(Decimal("0.01"))]


class ProductQuerySet(models.QuerySet):
    def search(self, text: str, *, customer_items: models.QuerySet):
        """Products whose code or name contains the text, or whose item number among `customer_items` (those
        the searching user may see) does."""
        if not text:
            return self
        by_item_no = customer_items.filter(item_no__icontains=text).values("product_id")
        return self.filter(
            models.Q(code__icontains=text)
            | models.Q(name_en__icontains=text)
            | models.Q(name_zh__icontains=text)
            | models.Q(pk__in=by_item_no)
        )


class Product(NormalizedCodeMixin, models.Model):
    """An article we sell, with how it is packed: the carton data drives cartons and CBM on orders."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    material = models.CharField(_("material"), max_length=100, blank=True)
    surface_finish = models.CharField(_("surface finish"), max_length=100, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=13, blank=True, validators=[validate_hs_code])
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    default_supplier = models.ForeignKey(
        "parties.Supplier", verbose_name=_("default supplier"), on_delete=models.PROTECT, null=True, blank=True
    )
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cost_currency = models.CharField(_("cost currency"), max_length=3, default="CNY", validators=[validate_currency])
    image = models.ImageField(_("image"), upload_to="products/%Y/%m/", blank=True)
    units_per_inner = models.PositiveIntegerField(_("units per inner box"), null=True, blank=True)
    units_per_carton = models.PositiveIntegerField(_("units per carton"), default=1, validators=[MinValueValidator(1)])
    carton_length_cm = models.DecimalField(_("carton length (cm)"), max_digits=7, decimal_places=1, validators=positive)
    carton_width_cm = models.DecimalField(_("carton width (cm)"), max_digits=7, decimal_places=1, validators=positive)
    carton_height_cm = models.DecimalField(_("carton height (cm)"), max_digits=7, decimal_places=1, validators=positive)
    net_weight_kg = models.DecimalField(
        _("net weight per carton (kg)"), max_digits=8, decimal_places=2, validators=positive
    )
    gross_weight_kg = models.DecimalField(
        _("gross weight per carton (kg)"), max_digits=8, decimal_places=2, validators=positive
    )
    this_side_up = models.BooleanField(_("this side up"), default=False,
                                       help_text=_("The carton must travel upright: it may only turn on the floor."))
    stackable = models.BooleanField(_("stackable"), default=True, help_text=_("Other cartons may stand on it."))
    max_load_kg = models.DecimalField(
        _("max. load on a carton (kg)"), max_digits=8, decimal_places=2, null=True, blank=True, validators=positive,
        help_text=_("The most weight that may rest on one carton; empty for no limit."))
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=["version", "updated_at"])

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        permissions = [("import_products", _("Can import products from Excel"))]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:product_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.net_weight_kg and self.gross_weight_kg and self.net_weight_kg > self.gross_weight_kg:
            errors["net_weight_kg"] = _("Net weight cannot exceed gross weight.")
        if self.units_per_inner and self.units_per_carton and self.units_per_carton % self.units_per_inner:
            errors["units_per_carton"] = _("Units per carton must be a multiple of units per inner box.")
        if errors:
            raise ValidationError(errors)

    @property
    def cbm_per_carton(self) -> Decimal:
        """Carton volume in m³: L × W × H (cm) / 1,000,000."""
        volume = self.carton_length_cm * self.carton_width_cm * self.carton_height_cm / Decimal(1_000_000)
        return volume.quantize(CBM_PLACES)

    @property
    def carton_size(self) -> str:
        return f"{self.carton_length_cm:g}×{self.carton_width_cm:g}×{self.carton_height_cm:g} cm"


class CustomerItem(models.Model):
    """The customer's own item number for one of our products."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="customer_items")
    customer = models.ForeignKey("parties.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
                                 related_name="items")
    item_no = models.CharField(_("customer item no."), max_length=60)
    history = business_history()

    class Meta:
        verbose_name = _("customer item number")
        verbose_name_plural = _("customer item numbers")
        constraints = [
            models.UniqueConstraint(fields=["customer", "product"], name="one_item_no_per_customer_product"),
            models.UniqueConstraint(fields=["customer", "item_no"], name="unique_item_no_per_customer"),
        ]

    def __str__(self) -> str:
        return self.item_no
