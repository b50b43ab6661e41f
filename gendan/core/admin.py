from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gendan.core.models import CalendarDay, CalendarYear


class CalendarReadOnly(admin.ModelAdmin):
    """Read only: a year is entered with all its days in one step, and every change re-plans the plans it
    touches — both happen on the calendar page (`core:calendar_years`), never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Edit"))
    def edit_link(self, obj):
        year = obj.year if isinstance(obj, CalendarYear) else obj.date.year
        return format_html('<a href="{}">{}</a>', reverse("core:calendar_year", args=[year]),
                           _("on the calendar page"))


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarReadOnly):
    list_display = ("year", "source", "entered_by", "entered_at", "edit_link")


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarReadOnly):
    list_display = ("date", "kind", "name", "edit_link")
    list_filter = ("kind",)
    date_hierarchy = "date"
