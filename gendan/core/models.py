from django.db import models
from django.utils.translation import gettext_lazy as _


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
