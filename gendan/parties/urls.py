from django.urls import path

from gendan.parties import views

app_name = "parties"
urlpatterns = [
    path("", views.customer_list, name="customer_list"),
    path("new/", views.customer_create_view, name="customer_create"),
    path("import/", views.customer_import, name="customer_import"),
    path("import/template.xlsx", views.customer_import_template, name="customer_import_template"),
    path("<int:pk>/", views.customer_detail, name="customer_detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_form, name="supplier_create"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.supplier_form, name="supplier_edit"),
]
