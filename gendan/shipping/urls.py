from django.urls import path

from gendan.shipping import certificate_views, loading_views, notice_views, tracking_views, views

app_name = "shipping"
urlpatterns = [
    path("", views.shipment_list, name="shipment_list"),
    path("new/", views.shipment_new, name="shipment_new"),
    path("<int:pk>/", views.shipment_detail, name="shipment_detail"),
    path("<int:pk>/ship/", views.shipment_ship, name="shipment_ship"),
    path("<int:pk>/cancel/", views.shipment_cancel, name="shipment_cancel"),
    path("<int:pk>/booking/", views.booking_form, name="booking_form"),
    path("<int:pk>/containers/new/", views.container_new, name="container_new"),
    path("<int:pk>/photos/<int:photo_pk>/", views.loading_photo, name="loading_photo"),
    path("<int:pk>/bl/<slug:step>/", views.bl_step, name="bl_step"),
    path("<int:pk>/tracking/", views.tracking_record, name="tracking_record"),
    path("orders/<int:order_pk>/", views.order_shipments_card, name="order_shipments"),
    path("orders/<int:order_pk>/tracking/", tracking_views.tracking_card, name="tracking_card"),
    path("orders/<int:order_pk>/tracking/issue/", tracking_views.tracking_issue, name="tracking_issue"),
    path("orders/<int:order_pk>/tracking/revoke/", tracking_views.tracking_revoke, name="tracking_revoke"),
    path("tracking/import/", tracking_views.tracking_import, name="tracking_import"),
    path("tracking/import/template.xlsx", tracking_views.tracking_import_template, name="tracking_import_template"),
    path("orders/<int:order_pk>/notices/", notice_views.order_notices_card, name="order_notices"),
    path("notices/draft/", notice_views.notice_draft, name="notice_draft"),
    path("notices/<int:pk>/", notice_views.notice, name="notice"),
    path("<int:pk>/load-plan/", loading_views.load_plan_card, name="load_plan_card"),
    path("<int:pk>/load-plan/request/", loading_views.load_plan_request, name="load_plan_request"),
    path("load-plans/<int:pk>/<int:index>.svg", loading_views.load_plan_svg, name="load_plan_svg"),
    path("load-plans/<int:pk>/instructions.pdf", loading_views.load_plan_pdf, name="load_plan_pdf"),
    path("container-types/", loading_views.container_type_list, name="container_type_list"),
    path("container-types/new/", loading_views.container_type_edit, name="container_type_new"),
    path("container-types/<int:pk>/", loading_views.container_type_edit, name="container_type_edit"),
    path("container-types/lcl/", loading_views.lcl_rate_edit, name="lcl_rate_edit"),
    path("<int:pk>/certificates/new/", certificate_views.certificate_new, name="certificate_new"),
    path("certificates/<int:pk>/edit/", certificate_views.certificate_edit, name="certificate_edit"),
    path("certificates/<int:pk>/remove/", certificate_views.certificate_remove, name="certificate_remove"),
    path("certificates/<int:pk>/file/", certificate_views.certificate_file, name="certificate_file"),
]
