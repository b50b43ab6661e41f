from django.urls import path

from gendan.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("new/", views.product_form, name="product_create"),
    path("options/", views.product_options, name="product_options"),
    path("import/", views.product_import, name="product_import"),
    path("import/template.xlsx", views.product_import_template, name="product_import_template"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/image/", views.product_image, name="product_image"),
    path("<int:pk>/edit/", views.product_form, name="product_edit"),
]
