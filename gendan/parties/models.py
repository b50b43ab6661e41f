from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from gendan.core.history import business_history
from gendan.core.text import NormalizedCodeMixin
from gendan.core.trade import DocumentLanguage, Incoterm
from gendan.core.validators import validate_currency
from gendan.parties.choices import BalanceCondition, CustomerGrade, SupplierKind

code_field = lambda: models.CharField(  # noqa: E731
    _("code"), max_length=20, unique=True, help_text=_("Short unique code, e.g. ACME-US.")
)


class PaymentTerm(models.Model):
    """A payment term the company offers, e.g. “T/T 30% deposit, 70% against copy B/L”."""

    name = models.CharField(_("name"), max_length=100, unique=True,
                            help_text=_("In English, as contracts and invoices print it"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True,
                               help_text=_("As the Chinese screens show it; the English name when empty"))
    deposit_percent = models.DecimalField(
        _("deposit %"), max_digits=5, decimal_places=2, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    balance_condition = models.CharField(_("balance condition"), max_length=20, choices=BalanceCondition.choices)
    balance_days = models.PositiveIntegerField(
        _("days"), default=0, help_text=_("Calendar days for usance L/C, D/A or O/A.")
    )
    # The tables keep the names they had when payment terms lived in sales.
    history = business_history(table_name="sales_historicalpaymentterm")

    class Meta:
        db_table = "sales_paymentterm"
        verbose_name = _("payment term")
        verbose_name_plural = _("payment terms")
        ordering = ["name"]

    def __str__(self) -> str:  # in the reader's language; documents print `name`
        return self.name_zh if self.name_zh and (get_language() or "").startswith("zh") else self.name


class CustomerQuerySet(models.QuerySet):
    def search(self, text: str):
        if not text:
            return self
        return self.filter(
            models.Q(code__icontains=text) | models.Q(name_en__icontains=text) | models.Q(name_zh__icontains=text)
        )


class Customer(NormalizedCodeMixin, models.Model):
    """A buyer abroad. Its defaults (currency, terms, Incoterm, people) pre-fill every new order."""

    code = code_field()
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    country = CountryField(_("country"))
    address = models.TextField(_("address"), blank=True)
    currency = models.CharField(_("default currency"), max_length=3, default="USD", validators=[validate_currency])
    payment_term = models.ForeignKey(
        PaymentTerm, verbose_name=_("default payment terms"), on_delete=models.PROTECT, null=True, blank=True
    )
    incoterm = models.CharField(_("default Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    incoterm_place = models.CharField(_("default named place"), max_length=100, blank=True)
    document_language = models.CharField(
        _("document language"), max_length=10, choices=DocumentLanguage.choices, default=DocumentLanguage.ENGLISH
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("salesperson"), on_delete=models.PROTECT,
        related_name="owned_customers",
    )
    merchandiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merchandiser"), on_delete=models.PROTECT,
        related_name="merchandised_customers", null=True, blank=True,
    )
    grade = models.CharField(_("grade"), max_length=1, choices=CustomerGrade.choices, default=CustomerGrade.B)
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)],
        help_text=_("In the customer's default currency; 0 means no limit is set (confirming is not checked)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(excluded_fields=["version", "updated_at"])

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]
        permissions = [
            ("view_all_customers", _("Can see every customer")),
            ("import_customers", _("Can import customers from Excel")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"

    def get_absolute_url(self) -> str:
        return reverse("parties:customer_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.name_en if not self.name_zh else f"{self.name_en} / {self.name_zh}"


class Supplier(NormalizedCodeMixin, models.Model):
    """A party we buy from or work with: supplier, factory/subcontractor, or forwarder."""

    kind = models.CharField(_("kind"), max_length=20, choices=SupplierKind.choices, default=SupplierKind.SUPPLIER)
    code = code_field()
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    country = CountryField(_("country"), default="CN")
    address = models.TextField(_("address"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY", validators=[validate_currency])
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh or self.name_en}"

    def get_absolute_url(self) -> str:
        return reverse("parties:supplier_detail", args=[self.pk])


class Contact(models.Model):
    """A person at a customer or supplier."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts", null=True, blank=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts", null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("e.g. buyer, QC, logistics"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    messaging_id = models.CharField(
        _("messaging ID"), max_length=100, blank=True, help_text=_("WeChat, WhatsApp, Skype …")
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    history = business_history()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(customer__isnull=False, supplier__isnull=True)
                | models.Q(customer__isnull=True, supplier__isnull=False),
                name="contact_belongs_to_one_party",
            )
        ]

    def __str__(self) -> str:
        return self.name
