"""Departments as roles and what each may do. This table is the single source of access rights:
services check these permissions, selectors derive visibility from them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALES = "sales", _("Sales")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    MERCHANDISER = "merchandiser", _("Merchandiser")
    ENGINEERING = "engineering", _("Engineering")
    PURCHASING = "purchasing", _("Purchasing")
    PRODUCTION = "production", _("Production")
    QC = "qc", _("Quality control")
    WAREHOUSE = "warehouse", _("Warehouse")
    FINANCE = "finance", _("Finance")
    GENERAL_MANAGER = "general_manager", _("General manager")
    ADMINISTRATOR = "administrator", _("Administrator")


_VIEW_CATALOG = ["catalog.view_product", "parties.view_supplier"]
_EDIT_CATALOG = ["catalog.add_product", "catalog.change_product", "catalog.import_products"]
_OWN_SALES = [
    "parties.view_customer", "parties.add_customer", "parties.change_customer",
    "sales.view_salesorder", "sales.add_salesorder", "sales.change_salesorder",
]
_DEPARTMENT = [*_VIEW_CATALOG, "sales.view_salesorder", "sales.view_active_orders"]
_DOCUMENTS = ["documents.view_document", "documents.add_document", "documents.send_document",
              "documents.record_response"]
_LOADING = ["shipping.view_loadedcontainer", "shipping.add_loadedcontainer"]
_SHIPPING = ["shipping.view_shipment", "shipping.add_shipment", "shipping.change_shipment",
             "shipping.release_documents", "shipping.view_containertype", *_LOADING]
# container types, freight rates and the LCL price: managers edit them, whoever ships sees them
_FREIGHT_RATES = ["shipping.add_containertype", "shipping.change_containertype", "shipping.change_lclrate"]
_MANAGEMENT = [
    *_OWN_SALES, *_DOCUMENTS, *_SHIPPING, *_FREIGHT_RATES, *_VIEW_CATALOG, *_EDIT_CATALOG,
    "parties.view_all_customers", "parties.import_customers",
    "parties.add_supplier", "parties.change_supplier",
    "sales.view_all_orders", "sales.change_any_order", "sales.review_order", "sales.progress_order",
    "sales.complete_order", "sales.cancel_order",
    "followup.complete_any_milestone", "followup.view_team_load", "followup.view_plantemplate",
    "followup.add_plantemplate", "followup.change_plantemplate", "followup.change_departmentassignee",
]

_FINANCE = [
    "finance.view_bankaccount", "finance.add_bankaccount", "finance.change_bankaccount",
    "finance.view_scheduleline", "finance.view_receipt", "finance.add_receipt", "finance.change_receipt",
    "finance.confirm_receipt", "finance.reverse_receipt", "finance.view_gateexception", "finance.add_gateexception",
    "finance.add_expense", "finance.void_expense", "finance.add_refundrate", "finance.change_refundrate",
    "finance.change_vatrefund",
]
# who sees what orders earn: finance, sales managers and the general manager (never salespeople or merchandisers)
_PROFIT = ["finance.view_profit", "finance.view_expense", "finance.view_refundrate", "finance.view_vatrefund"]

# confirming an order past the customer's credit limit: the sales manager or the general manager says yes
_CREDIT = ["finance.view_creditapproval", "finance.approve_credit"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SALES: [*_OWN_SALES, *_VIEW_CATALOG, *_EDIT_CATALOG, *_DOCUMENTS],
    Role.SALES_MANAGER: [*_MANAGEMENT, *_PROFIT, *_CREDIT],
    Role.MERCHANDISER: [  # builds customer files (seed 001) for the salespeople, and keeps those she looks after
        *_VIEW_CATALOG, *_EDIT_CATALOG, "parties.view_customer", "parties.add_customer", "parties.change_customer",
        "sales.view_salesorder",
        "sales.add_salesorder", "sales.change_salesorder", "sales.progress_order", "sales.complete_order",
        *_DOCUMENTS, *_SHIPPING,
    ],
    Role.ENGINEERING: [*_DEPARTMENT, *_EDIT_CATALOG],
    Role.PURCHASING: [*_DEPARTMENT, "parties.add_supplier", "parties.change_supplier"],
    Role.PRODUCTION: [*_DEPARTMENT, "sales.progress_order"],
    Role.QC: _DEPARTMENT,
    Role.WAREHOUSE: [*_DEPARTMENT, "sales.progress_order", "shipping.view_shipment", "shipping.view_containertype",
                     *_LOADING],  # 装柜 records
    Role.FINANCE: [*_VIEW_CATALOG, "sales.view_salesorder", "sales.view_all_orders", "parties.view_customer",
                   "parties.view_all_customers", "sales.complete_order", *_FINANCE, *_PROFIT, *_DOCUMENTS,
                   "finance.view_creditapproval", "shipping.view_shipment", "shipping.view_loadedcontainer",
                   "shipping.view_containertype"],
    Role.GENERAL_MANAGER: [*_MANAGEMENT, *_FINANCE, *_PROFIT, *_CREDIT],
    Role.ADMINISTRATOR: [*_MANAGEMENT, "accounts.add_user", "accounts.change_user", "accounts.view_user",
                         "core.change_calendaryear", "core.change_companyprofile"],
}


def sync_roles() -> None:
    """Create one group per role and give it exactly the permissions in ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name = {}
    for perm in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={p.split(".")[0] for p in wanted}
    ):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[p] for p in perms if p in by_name])
