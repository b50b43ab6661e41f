from django.contrib import admin

from gendan.core.models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Enter a new year here (with its holidays and working weekends below) once the notice is out."""

    list_display = ("year", "source", "entered_by", "entered_at")

    def save_model(self, request, obj, form, change):
        obj.entered_by = obj.entered_by or request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
