from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.catalog.models import Product


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "hs_code", "units_per_carton", "is_active")
    search_fields = ("code", "name_en", "name_zh")
