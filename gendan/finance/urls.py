from django.urls import path

from gendan.finance import views

app_name = "finance"
urlpatterns = [
    path("receipts/", views.receipt_list, name="receipt_list"),
    path("receipts/new/", views.receipt_create, name="receipt_create"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/allocate/", views.receipt_allocate, name="receipt_allocate"),
    path("receipts/<int:pk>/allocations/<int:allocation_pk>/release/", views.allocation_release,
         name="allocation_release"),
    path("receipts/<int:pk>/refunds/", views.refund_record, name="refund_record"),
    path("receipts/<int:pk>/confirm/", views.receipt_confirm, name="receipt_confirm"),
    path("receipts/<int:pk>/reverse/", views.receipt_reverse, name="receipt_reverse"),
    path("receivables/", views.receivables_page, name="receivables"),
    path("accounts/", views.bank_account_list, name="bank_account_list"),
    path("accounts/new/", views.bank_account_form, name="bank_account_create"),
    path("accounts/<int:pk>/", views.bank_account_form, name="bank_account_edit"),
    path("orders/<int:order_pk>/money/", views.order_money, name="order_money"),
    path("customers/<int:customer_pk>/money/", views.customer_money, name="customer_money"),
    path("orders/<int:order_pk>/exceptions/", views.gate_exception_grant, name="gate_exception_grant"),
    path("exceptions/<int:pk>/revoke/", views.gate_exception_revoke, name="gate_exception_revoke"),
    path("expenses/", views.expense_list, name="expense_list"),
    path("expenses/new/", views.expense_create, name="expense_create"),
    path("expenses/<int:pk>/void/", views.expense_void, name="expense_void"),
    path("refund-rates/", views.refund_rate_list, name="refund_rate_list"),
    path("refund-rates/<int:pk>/", views.refund_rate_list, name="refund_rate_edit"),
    path("orders/<int:order_pk>/refund/", views.vat_refund_record, name="vat_refund_record"),
    path("profit/", views.profit_page, name="profit"),
    path("orders/<int:order_pk>/credit/", views.order_credit, name="order_credit"),
    path("orders/<int:order_pk>/credit/request/", views.credit_request, name="credit_request"),
    path("credit-approvals/", views.credit_approval_list, name="credit_approval_list"),
    path("credit-approvals/<int:pk>/<str:decision>/", views.credit_decide, name="credit_decide"),
    path("customer-flag/", views.customer_flag, name="customer_flag"),
]
