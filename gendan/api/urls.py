"""/api/v1/: a router for the records, the token endpoint, the OpenAPI document and its docs."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from gendan.api import documents, finance, followup, reports, shipping, views

app_name = "api"

DESCRIPTION = """
Customers, suppliers, products and sales orders of Gendan, with the orders' state transitions; the
orders' time-and-action plans, their milestones (done, waive, reschedule) and each person's cockpit;
money: receipts (record, allocate, confirm, reverse), an order's payment schedule with its production and
shipment gates (`/orders/{id}/money/`, exceptions posted there), and the receivables aging;
credit: an order's credit check (`/orders/{id}/credit/`, a credit approval requested there) and the
credit approvals managers approve or reject (`/credit-approvals/`); documents: an order's proforma
invoice and sales contract (`/orders/{id}/documents/`), a customer's statement of account
(`/customers/{id}/statements/`), their PDF and XLSX files, sending and answers; costs: expenses on
orders (record, void), export VAT refund rates by HS code, and an order's profit in CNY
(`/orders/{id}/profit/`, for finance, sales managers and the general manager); shipping: shipments of
ready goods (make, ship, cancel), their booking with a forwarder (ports by UN/LOCODE; ETD, ETA and
cut-offs go onto the orders' plans) and their loaded containers (ISO 6346 number, seal, VGM).

**Authentication.** `POST /api/v1/auth/token/` with `username` and `password` returns a token; send it
on every request as `Authorization: Token <token>`. The token endpoint is throttled per client address.

**Who sees what.** The same record rules as the web pages: a salesperson sees the customers they own
and those customers' orders, a merchandiser the orders assigned to them, managers, the general
manager, finance and administrators see all. A record you may not see answers **404**; one you may
see but not change answers **403**.

**Lists** take the web lists' filters (`q` searches order no., customer PO no., customer and product;
`status` may repeat) plus `ordering`, `page` (from 1) and `page_size` (≤ 500). An unknown filter
choice or a page that does not exist is a **400** naming the parameter.

**Bodies are JSON** (`Content-Type: application/json`): orders carry their lines nested, which form
encodings cannot, so those are refused with **415** (the token endpoint also takes a plain form).
Amounts and quantities are decimal strings (`"1250.00"`); order and milestone dates more than five
years from today are refused as typing mistakes.

**Optimistic locking.** Every record carries `version`. Send the `version` you read with each change
(PATCH, and the order's `version` for line changes); if somebody changed the record meanwhile the
answer is **409** and nothing is saved. Line changes answer with the whole order, new `version` included.

**Errors** always have one shape:

```json
{"detail": "Invalid input.", "code": "invalid",
 "errors": {"incoterm_place": ["An Incoterm needs its named place, e.g. FOB Ningbo."],
            "lines.1.quantity": ["Ensure this value is greater than or equal to 0.001."]}}
```

`errors` appears on 400 only and names each field by its path (`lines.1.quantity` is the second
line's quantity; `non_field_errors` holds the rest). Every other error is `{"detail": "…", "code": "…"}`
with codes such as `not_authenticated`, `permission_denied`, `not_found` (also for any unknown path
under `/api/`), `parse_error`, `unsupported_media_type`, `concurrent_change` (stale
`version`, 409), `invalid_transition` (the move is not allowed from the order's state, 409) and
`throttled` (429). Messages follow `Accept-Language` (`zh-hans` by default, `en`).
"""

router = DefaultRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("products", views.ProductViewSet, basename="product")
router.register("orders", views.OrderViewSet, basename="order")
router.register("plans", followup.PlanViewSet, basename="plan")
router.register("milestones", followup.MilestoneViewSet, basename="milestone")
router.register("receipts", finance.ReceiptViewSet, basename="receipt")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("expenses", finance.ExpenseViewSet, basename="expense")
router.register("refund-rates", finance.RefundRateViewSet, basename="refund-rate")
router.register("credit-approvals", finance.CreditApprovalViewSet, basename="credit-approval")
router.register("shipments", shipping.ShipmentViewSet, basename="shipment")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("cockpit/", followup.CockpitView.as_view(), name="cockpit"),
    path("orders/<int:pk>/money/", finance.OrderMoneyView.as_view(), name="order-money"),
    path("orders/<int:pk>/credit/", finance.OrderCreditView.as_view(), name="order-credit"),
    path("receivables/", finance.ReceivablesView.as_view(), name="receivables"),
    path("orders/<int:pk>/documents/", documents.OrderDocumentsView.as_view(), name="order-documents"),
    path("customers/<int:pk>/statements/", documents.CustomerStatementsView.as_view(), name="customer-statements"),
    path("orders/<int:pk>/profit/", finance.OrderProfitView.as_view(), name="order-profit"),
    path("reports/sales/", reports.SalesReportView.as_view(), name="report-sales"),
    path("reports/collections/", reports.CollectionsView.as_view(), name="report-collections"),
    path("reports/aging/", reports.AgingReportView.as_view(), name="report-aging"),
    path("reports/profit/", reports.ProfitReportView.as_view(), name="report-profit"),
    path("openapi.json", SpectacularJSONAPIView.as_view(custom_settings={"DESCRIPTION": DESCRIPTION}), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Redoc injects <style> elements it cannot give a nonce and searches in a blob: worker: this page alone allows both.
    path("redoc/", csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
        SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    *router.urls,
]
