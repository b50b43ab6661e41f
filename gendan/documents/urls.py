from django.urls import path

from gendan.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("orders/<int:order_pk>/", views.order_documents, name="order_documents"),
    path("orders/<int:order_pk>/generate/", views.generate, name="generate"),
    path("shipments/<int:shipment_pk>/", views.shipment_documents, name="shipment_documents"),
    path("shipments/<int:shipment_pk>/generate/", views.shipment_generate, name="shipment_generate"),
    path("customers/<int:customer_pk>/statements/", views.customer_statements, name="customer_statements"),
    path("customers/<int:customer_pk>/statements/new/", views.statement_make, name="statement_make"),
    path("<int:pk>/file/<str:extension>/", views.download, name="download"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/answer/", views.respond, name="respond"),
]
