from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.sales.models import OrderRevision, SalesOrder, SalesOrderLine


class LineInline(admin.TabularInline):
    model = SalesOrderLine
    extra = 0
    readonly_fields = ("position", "product", "quantity", "unit_price", "amount", "cartons", "cbm")
    can_delete = False


@admin.register(SalesOrder)
class SalesOrderAdmin(SimpleHistoryAdmin):
    """Read-mostly: orders change through the order pages and the API, where the rules live."""

    list_display = ("number", "customer", "status", "order_date", "currency", "total_amount")
    list_filter = ("status",)
    search_fields = ("number", "customer_po", "customer__code")
    inlines = [LineInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrderRevision)
class OrderRevisionAdmin(admin.ModelAdmin):
    list_display = ("order", "number", "created_by", "created_at", "reason")

    def has_change_permission(self, request, obj=None):
        return False
