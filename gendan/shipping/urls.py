from django.urls import path

from gendan.shipping import loading_views, views

app_name = "shipping"
urlpatterns = [
    path("", views.shipment_list, name="shipment_list"),
    path("new/", views.shipment_new, name="shipment_new"),
    path("<int:pk>/", views.shipment_detail, name="shipment_detail"),
    path("<int:pk>/ship/", views.shipment_ship, name="shipment_ship"),
    path("<int:pk>/cancel/", views.shipment_cancel, name="shipment_cancel"),
    path("<int:pk>/load-plan/", loading_views.load_plan_card, name="load_plan_card"),
    path("<int:pk>/load-plan/request/", loading_views.load_plan_request, name="load_plan_request"),
    path("load-plans/<int:pk>/<int:index>.svg", loading_views.load_plan_svg, name="load_plan_svg"),
    path("load-plans/<int:pk>/instructions.pdf", loading_views.load_plan_pdf, name="load_plan_pdf"),
    path("container-types/", loading_views.container_type_list, name="container_type_list"),
    path("container-types/new/", loading_views.container_type_edit, name="container_type_new"),
    path("container-types/<int:pk>/", loading_views.container_type_edit, name="container_type_edit"),
    path("container-types/lcl/", loading_views.lcl_rate_edit, name="lcl_rate_edit"),
]
