"""Shipments in the API: list and read them, make one from ready goods, ship or cancel it, book it with a
forwarder, record its loaded containers, its inspection and certificates of origin — on the same services,
selectors and permissions as the pages."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as InputError

from gendan.api.views import BaseViewSet, errors
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.models import SalesOrderLine
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping import services
from gendan.shipping.certificates import certificate_add
from gendan.shipping.choices import CertificateKind, InspectionResult, ShipmentMode
from gendan.shipping.filters import ShipmentFilter
from gendan.shipping.models import Booking, Certificate, LoadedContainer, LoadedLine, Port, Shipment, ShipmentLine
from gendan.shipping.selectors import shipment_list_visible_to

LOCODE = re.compile(r"[A-Za-z]{2}[A-Za-z0-9]{3}")
QUANTITY = {"max_digits": 14, "decimal_places": 3, "coerce_to_string": True}
WEIGHT = {"max_digits": 10, "decimal_places": 2, "coerce_to_string": True}


class ShipmentLineSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order_line.order.number", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY)

    class Meta:
        model = ShipmentLine
        fields = ["id", "order_line", "order", "quantity"]
        read_only_fields = fields


class PortField(serializers.SlugRelatedField):
    """A port by its UN/LOCODE; anything not shaped like one is unknown before the database is asked (PostgreSQL
    refuses a NUL in a query)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Port.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not LOCODE.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:20])
        return super().to_internal_value(data.upper())


class BookingSerializer(serializers.ModelSerializer):
    port_of_loading = PortField(help_text="UN/LOCODE, e.g. CNNGB")
    port_of_discharge = PortField(help_text="UN/LOCODE, e.g. USLAX")
    version = serializers.IntegerField(min_value=0, help_text="The booking's version you read; 0 for a new one.")

    class Meta:
        model = Booking
        fields = ["forwarder", "booking_number", "carrier", "vessel", "voyage", "port_of_loading",
                  "port_of_discharge", "etd", "eta", *Booking.CUTOFFS, "version"]


class LoadedLineSerializer(serializers.ModelSerializer):
    quantity = serializers.DecimalField(**QUANTITY)

    class Meta:
        model = LoadedLine
        fields = ["shipment_line", "cartons", "quantity"]
        read_only_fields = fields


class LoadedContainerSerializer(serializers.ModelSerializer):
    lines = LoadedLineSerializer(many=True, read_only=True)
    tare_kg = serializers.DecimalField(max_digits=8, decimal_places=1, coerce_to_string=True)
    cargo_gross_kg = serializers.DecimalField(**WEIGHT)
    vgm_kg = serializers.DecimalField(**WEIGHT)

    class Meta:
        model = LoadedContainer
        fields = ["id", "container_number", "seal_number", "container_type", "tare_kg", "cargo_gross_kg", "vgm_kg",
                  "loaded_on", "note", "recorded_by", "lines"]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField(help_text="Where the scan is downloaded; null without one.")

    class Meta:
        model = Certificate
        fields = ["id", "kind", "form_name", "number", "issuer", "issued_on", "inspected_on", "result", "note",
                  "file_url", "created_by", "created_at", "version"]
        read_only_fields = fields

    def get_file_url(self, certificate) -> str | None:
        return reverse("shipping:certificate_file", args=[certificate.pk]) if certificate.file else None


class ShipmentSerializer(serializers.ModelSerializer):
    lines = ShipmentLineSerializer(many=True, read_only=True)
    booking = serializers.SerializerMethodField()
    containers = LoadedContainerSerializer(many=True, read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = ["id", "number", "customer", "mode", "status", "shipped_on", "note", "created_by", "created_at",
                  "lines", "booking", "containers", "certificates", "version"]
        read_only_fields = fields

    @extend_schema_field(BookingSerializer(allow_null=True))
    def get_booking(self, shipment) -> dict | None:
        booking = getattr(shipment, "booking", None)  # read with the shipment (the view's select_related)
        return BookingSerializer(booking).data if booking else None


class NewLineSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class NewShipmentSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    mode = serializers.ChoiceField(choices=ShipmentMode.choices, default=ShipmentMode.SEA_FCL)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    lines = NewLineSerializer(many=True, allow_empty=False, max_length=500)


class ShipSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    shipped_on = serializers.DateField(required=False, allow_null=True, default=None)


class CancelSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=300)


class GoodsSerializer(serializers.Serializer):
    shipment_line = serializers.IntegerField(min_value=1)
    cartons = serializers.IntegerField(min_value=1, max_value=100000)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)


class NewContainerSerializer(serializers.Serializer):
    container_number = serializers.CharField(max_length=20, help_text="ISO 6346, e.g. CSQU3054383")
    seal_number = serializers.CharField(max_length=30)
    container_type = serializers.ChoiceField(choices=services.CONTAINER_TYPES)
    tare_kg = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=0)
    loaded_on = serializers.DateField()
    cargo_gross_kg = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False,
                                              allow_null=True, default=None)
    vgm_kg = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False,
                                      allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    goods = GoodsSerializer(many=True, allow_empty=False, max_length=500)


class NewCertificateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CertificateKind.choices)
    form_name = serializers.CharField(max_length=100, required=False, default="", allow_blank=True,
                                      help_text="The form's name when `kind` is `other`, e.g. China–Australia FTA.")
    number = serializers.CharField(max_length=60, help_text="Unique per kind: certificate numbers are national.")
    issuer = serializers.CharField(max_length=200, help_text="e.g. CCPIT Ningbo, Ningbo Customs, SGS")
    issued_on = serializers.DateField(help_text="Not in the future.")
    inspected_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="Inspections only (required for them).")
    result = serializers.ChoiceField(choices=InspectionResult.choices, required=False, default="", allow_blank=True,
                                     help_text="Inspections only (required for them).")
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


CHANGE = {200: ShipmentSerializer, **errors(400, 401, 403, 404, 409)}


@extend_schema_view(
    list=extend_schema(summary="Shipments of the orders you see, newest first",
                       responses={200: ShipmentSerializer, **errors(400, 401)}),
    retrieve=extend_schema(summary="A shipment with its goods, booking and loaded containers",
                           responses={200: ShipmentSerializer, **errors(401, 404)}),
)
class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = ShipmentSerializer
    filterset_class = ShipmentFilter
    required_perms = {"list": "shipping.view_shipment", "retrieve": "shipping.view_shipment",
                      "create": "shipping.add_shipment", "ship": "shipping.change_shipment",
                      "cancel": "shipping.change_shipment", "booking": "shipping.change_shipment",
                      "containers": "shipping.add_loadedcontainer", "certificates": "shipping.change_shipment"}

    def get_queryset(self):
        return shipment_list_visible_to(user=self.request.user).select_related(
            "booking__port_of_loading", "booking__port_of_discharge").prefetch_related(
            "lines__order_line__order", "containers__lines", "certificates")

    @extend_schema(summary="Make a draft shipment of ready goods of one customer's orders (partial quantities "
                           "allowed, never more than is left)", request=NewShipmentSerializer,
                   responses={201: ShipmentSerializer, **errors(400, 401, 403)})
    def create(self, request):
        data = self.parse(NewShipmentSerializer)
        customer = customer_list_visible_to(user=request.user).filter(pk=data["customer"]).first()
        if customer is None:
            raise InputError({"customer": [_("No such customer.")]})
        wanted = [item["order_line"] for item in data["lines"]]
        lines = SalesOrderLine.objects.in_bulk(wanted) if wanted else {}
        visible = set(order_list_visible_to(user=request.user).filter(
            pk__in={line.order_id for line in lines.values()}).values_list("pk", flat=True))
        missing = {f"lines.{index}.order_line": [_("No such order line.")] for index, pk in enumerate(wanted)
                   if pk not in lines or lines[pk].order_id not in visible}
        if missing:
            raise InputError(missing)
        shipment = services.shipment_create(by=request.user, customer=customer, mode=data["mode"], note=data["note"],
                                            lines=[(lines[item["order_line"]], item["quantity"])
                                                   for item in data["lines"]])
        return self.respond(shipment, status.HTTP_201_CREATED)

    @extend_schema(summary="The goods left: each order moves to (partially) shipped; the money gate may refuse",
                   request=ShipSerializer, responses=CHANGE)
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        shipment = self.get_object()
        services.shipment_ship(shipment=shipment, by=request.user, **self.parse(ShipSerializer))
        return self.respond(shipment)

    @extend_schema(summary="Cancel a draft with a reason: its goods are free for another shipment",
                   request=CancelSerializer, responses=CHANGE)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        shipment = self.get_object()
        services.shipment_cancel(shipment=shipment, by=request.user, **self.parse(CancelSerializer))
        return self.respond(shipment)

    @extend_schema(summary="Book with a forwarder or change the booking (send its `version`, 0 when new); each "
                           "order's plan follows its ETD, ETA and cut-offs", request=BookingSerializer,
                   responses=CHANGE)
    @action(detail=True, methods=["put"])
    def booking(self, request, pk=None):
        shipment = self.get_object()
        data = self.parse(BookingSerializer)
        services.booking_save(shipment=shipment, by=request.user, **data)
        return self.respond(shipment)

    @extend_schema(summary="Record a loaded container: number (ISO 6346), seal, weights and what went in",
                   request=NewContainerSerializer,
                   responses={201: ShipmentSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def containers(self, request, pk=None):
        shipment = self.get_object()
        data = self.parse(NewContainerSerializer)
        lines = {line.pk: line for line in shipment.lines.select_related("order_line__order", "order_line__product")}
        missing = {f"goods.{index}.shipment_line": [_("No such line on this shipment.")]
                   for index, item in enumerate(data["goods"]) if item["shipment_line"] not in lines}
        if missing:
            raise InputError(missing)
        goods = [services.LoadedGoods(lines[item["shipment_line"]], item["cartons"], item["quantity"])
                 for item in data.pop("goods")]
        services.container_load(shipment=shipment, by=request.user, goods=goods, **data)
        return self.respond(shipment, status.HTTP_201_CREATED)

    @extend_schema(summary="Record a commodity inspection or a certificate of origin (no scan through the API); a "
                           "C/O completes each order's `certificate_of_origin` milestone, a passed inspection "
                           "`commodity_inspection`", request=NewCertificateSerializer,
                   responses={201: ShipmentSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def certificates(self, request, pk=None):
        shipment = self.get_object()
        certificate_add(shipment=shipment, by=request.user, **self.parse(NewCertificateSerializer))
        return self.respond(shipment, status.HTTP_201_CREATED)
