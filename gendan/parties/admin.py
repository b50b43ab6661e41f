from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.parties.models import Contact, Customer, PaymentTerm, Supplier


@admin.register(PaymentTerm)
class PaymentTermAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_zh", "deposit_percent", "balance_condition", "balance_days")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "country", "owner", "merchandiser", "grade")
    search_fields = ("code", "name_en", "name_zh")
    list_filter = ("grade", "country")
    inlines = [ContactInline]


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_zh", "kind", "country")
    search_fields = ("code", "name_zh", "name_en")
    inlines = [ContactInline]
