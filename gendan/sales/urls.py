from django.urls import path

from gendan.sales import attachments, views

app_name = "sales"
urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.order_create, name="order_create"),
    path("customer/<int:customer_pk>/", views.customer_orders, name="customer_orders"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("<int:pk>/lines/add/", views.line_add, name="line_add"),
    path("<int:pk>/lines/<int:line_pk>/", views.line_row, name="line_row"),
    path("<int:pk>/lines/<int:line_pk>/edit/", views.line_edit, name="line_edit"),
    path("<int:pk>/lines/<int:line_pk>/delete/", views.line_delete, name="line_delete"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", attachments.attachment_download, name="attachment_download"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision_detail"),
    path("<int:pk>/copy/", views.order_copy, name="order_copy"),
    path("<int:pk>/<str:name>/", views.order_transition, name="order_transition"),
]
