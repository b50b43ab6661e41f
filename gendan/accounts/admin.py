from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gendan.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Gendan", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
