from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.history import business_history


class NumberSeries(models.Model):
    """The last number issued for one document type in one year (e.g. SO in 2026 → SO-2026-00042).

    Numbers are taken inside the transaction that saves the document, so a rolled-back save
    gives its number back and the series stays gap-free.
    """

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_series_per_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class CalendarYear(models.Model):
    """A year whose public holidays and adjusted working weekends are known (from chinese-calendar, or
    entered by an administrator from the State Council's notice, together with its days in one step:
    `core.services.calendar_year_enter`). Dates in other years are estimates."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("e.g. State Council notice 国办发明电〔2026〕7号")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    WORKING_WEEKEND = "working_weekend", _("Adjusted working day on a weekend")
    CLOSURE = "closure", _("Company closure (day off)")


class CalendarDay(models.Model):
    """A day that does not follow the Monday–Friday rule: a holiday, a weekend worked in exchange, a closure."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. Spring Festival"))
    changed_at = models.DateTimeField(auto_now=True)  # tells processes holding the calendar to reload it
    history = business_history(excluded_fields=["changed_at"])

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ScheduledJob(models.Model):
    """When a periodic job was last put on the task queue; the worker's scheduler claims the next run here,
    so several workers never enqueue the same run twice."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


USCC_MESSAGE = _("A unified social credit code is 18 digits and capital letters (no I, O, S, V, Z).")


class CompanyType(models.TextChoices):
    """What kind of exporter we are, for the export VAT refund (DOMAIN.md): a trading company claims the VAT on
    its purchase invoices back (免退税), a manufacturer uses the exempt-credit-refund method (免抵退)."""

    TRADING = "trading", _("Trading company")
    MANUFACTURER = "manufacturer", _("Manufacturer")


class CompanyProfile(models.Model):
    """Who we are, as delay notices and documents print it: one row (pk 1), edited by an administrator."""

    ROW = 1
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True,
                               help_text=_("As on the business licence, e.g. 宁波恒泰五金厨具进出口有限公司"))
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True,
                               help_text=_("As printed on invoices and packing lists"))
    address_zh = models.CharField(_("address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    tax_id = models.CharField(_("unified social credit code"), max_length=18, blank=True,
                              help_text=_("统一社会信用代码, 18 characters"),
                              validators=[RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{18}$", USCC_MESSAGE)])
    logo = models.ImageField(_("logo"), upload_to="company/", blank=True,
                             help_text=_("PNG or JPEG, printed at the top of documents"))
    company_type = models.CharField(
        _("company type"), max_length=12, choices=CompanyType.choices, default=CompanyType.TRADING,
        help_text=_("Decides the export VAT refund formula: a trading company's (免退税) works from the purchase "
                    "invoices, a manufacturer's (免抵退) from the FOB value."))
    tracking_shows_prices = models.BooleanField(
        _("customers' tracking pages show prices"), default=False,
        help_text=_("Off: the page a customer follows an order on shows the goods and quantities, never a price."))
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.name_zh or self.name_en or str(_("(company name not entered)"))

    def name_in(self, language: str) -> str:
        """The name a reader of `language` knows us by, or the other one when only that is entered."""
        first, second = (self.name_zh, self.name_en) if language.startswith("zh") else (self.name_en, self.name_zh)
        return first or second

    def address_in(self, language: str) -> str:
        first, second = ((self.address_zh, self.address_en) if language.startswith("zh")
                         else (self.address_en, self.address_zh))
        return first or second
