"""API views: parse, call one service, respond.

Every queryset starts from the app's visibility selector, so a record the user may not see is a 404,
as in the HTML views. Lists use the HTML lists' own FilterSets. Permission and business rules are the
services'; the only checks here are early "may you create at all" answers that mirror the services'
`require_perm`, so a warehouse clerk posting an order is told 403 before their payload is judged.
"""

from collections.abc import Mapping

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.core.cache import caches
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from gendan.api import serializers as s
from gendan.api.pagination import Pagination
from gendan.api.parsers import JSONParser
from gendan.catalog.filters import ProductFilter
from gendan.catalog.selectors import product_list_visible_to
from gendan.catalog.services import product_create, product_update
from gendan.core.middleware import client_address
from gendan.parties.filters import CustomerFilter, SupplierFilter
from gendan.parties.selectors import customer_list_visible_to, supplier_list_visible_to
from gendan.parties.services import contact_save, customer_create, customer_update, supplier_create, supplier_update
from gendan.sales.filters import OrderFilter
from gendan.sales.models import SalesOrderLine
from gendan.sales.selectors import order_list_visible_to
from gendan.sales.services import (
    NEEDS_REASON,
    TRANSITIONS,
    LineInput,
    order_apply_transition,
    order_create,
    order_line_add,
    order_line_delete,
    order_line_update,
    order_update,
)


def errors(*codes: int) -> dict:
    """OpenAPI responses for the error statuses an operation can answer with (one shape, ErrorSerializer)."""
    text = {
        400: "Invalid input; `errors` names each field.",
        401: "No or bad token.",
        403: "Your role may not do this.",
        404: "No such record, or not visible to you.",
        409: "Stale `version`, or the move is not allowed from the current state.",
        429: "Too many requests.",
    }
    return {code: OpenApiResponse(s.ErrorSerializer, description=text[code]) for code in codes}


class RequirePerm(permissions.BasePermission):
    """Early 403 for creating without the right: `view.required_perms` maps an action to a permission."""

    message = _("You do not have permission to do this.")

    def has_permission(self, request, view):
        perm = getattr(view, "required_perms", {}).get(view.action)
        return perm is None or request.user.has_perm(perm)


class NegotiatedLanguage:
    """API clients pick their language with Accept-Language (a script has no language cookie); the UI's
    cookie still wins when a browser session calls the API, and the company default applies otherwise."""

    def initial(self, request, *args, **kwargs):
        language = translation.get_language_from_request(request._request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)


class BaseViewSet(NegotiatedLanguage, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, RequirePerm]
    pagination_class = Pagination
    required_perms: dict[str, str] = {}

    def parse(self, serializer_class, *, data=None, strict: bool = True, **kwargs) -> dict:
        """Validate input; with `strict`, a field the serializer does not take is an error, not ignored,
        so a typo or an attempt to set `status` is told rather than silently dropped."""
        data = self.request.data if data is None else data
        serializer = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        unknown = {}
        if strict and hasattr(data, "keys"):
            writable = {name for name, field in serializer.fields.items() if not field.read_only}
            unknown = {name: [_("This field cannot be set here.")] for name in data.keys() if name not in writable}
        if not serializer.is_valid() or unknown:
            raise ValidationError({**serializer.errors, **unknown})
        return dict(serializer.validated_data)

    def respond(self, obj, code=status.HTTP_200_OK) -> Response:
        """Render the record as it now stands in the database, read through the visibility selector."""
        fresh = self.get_queryset().filter(pk=obj.pk).first()
        if fresh is None:  # e.g. a merchandiser handed the order to a colleague: show it one last time
            obj.refresh_from_db()
            fresh = obj
        return Response(self.get_serializer(fresh).data, status=code)


# ---------------------------------------------------------------- customers


@extend_schema_view(
    list=extend_schema(summary="List the customers you may see",
                       responses={200: s.CustomerSerializer, **errors(400, 401)}),
    retrieve=extend_schema(summary="One customer with its contacts",
                           responses={200: s.CustomerSerializer, **errors(401, 404)}),
)
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = s.CustomerSerializer
    filterset_class = CustomerFilter
    required_perms = {"create": "parties.add_customer"}

    def get_queryset(self):
        return customer_list_visible_to(user=self.request.user).prefetch_related("contacts")

    @extend_schema(summary="Create a customer", request=s.CustomerCreateSerializer,
                   responses={201: s.CustomerSerializer, **errors(400, 401, 403)})
    def create(self, request):
        data = self.parse(s.CustomerCreateSerializer)
        customer = customer_create(by=request.user, **data)
        return self.respond(customer, status.HTTP_201_CREATED)

    @extend_schema(summary="Change a customer (send `version`)", request=s.CustomerUpdateSerializer,
                   responses={200: s.CustomerSerializer, **errors(400, 401, 403, 404, 409)})
    def partial_update(self, request, pk=None):
        customer = self.get_object()
        data = self.parse(s.CustomerUpdateSerializer, instance=customer, partial=True)
        customer_update(customer=customer, by=request.user, **data)
        return self.respond(customer)

    @extend_schema(summary="Add a contact to a customer", request=s.ContactSerializer,
                   responses={201: s.CustomerSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        customer = self.get_object()
        data = self.parse(s.ContactSerializer)
        contact_save(customer=customer, by=request.user, **data)
        return self.respond(customer, status.HTTP_201_CREATED)


# ---------------------------------------------------------------- suppliers


@extend_schema_view(
    list=extend_schema(summary="List suppliers, factories and forwarders",
                       responses={200: s.SupplierSerializer, **errors(400, 401)}),
    retrieve=extend_schema(summary="One supplier", responses={200: s.SupplierSerializer, **errors(401, 404)}),
)
class SupplierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = s.SupplierSerializer
    filterset_class = SupplierFilter
    required_perms = {"create": "parties.add_supplier"}

    def get_queryset(self):
        return supplier_list_visible_to(user=self.request.user).prefetch_related("contacts")

    @extend_schema(summary="Create a supplier", request=s.SupplierCreateSerializer,
                   responses={201: s.SupplierSerializer, **errors(400, 401, 403)})
    def create(self, request):
        supplier = supplier_create(by=request.user, **self.parse(s.SupplierCreateSerializer))
        return self.respond(supplier, status.HTTP_201_CREATED)

    @extend_schema(summary="Change a supplier (send `version`)", request=s.SupplierUpdateSerializer,
                   responses={200: s.SupplierSerializer, **errors(400, 401, 403, 404, 409)})
    def partial_update(self, request, pk=None):
        supplier = self.get_object()
        data = self.parse(s.SupplierUpdateSerializer, instance=supplier, partial=True)
        supplier_update(supplier=supplier, by=request.user, **data)
        return self.respond(supplier)


# ---------------------------------------------------------------- products


@extend_schema_view(
    list=extend_schema(summary="List products", responses={200: s.ProductSerializer, **errors(400, 401)}),
    retrieve=extend_schema(summary="One product with its packaging",
                           responses={200: s.ProductSerializer, **errors(401, 404)}),
)
class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilter
    required_perms = {"create": "catalog.add_product"}

    def get_queryset(self):
        return product_list_visible_to(user=self.request.user)

    @extend_schema(summary="Create a product", request=s.ProductCreateSerializer,
                   responses={201: s.ProductSerializer, **errors(400, 401, 403)})
    def create(self, request):
        product = product_create(by=request.user, **self.parse(s.ProductCreateSerializer))
        return self.respond(product, status.HTTP_201_CREATED)

    @extend_schema(summary="Change a product (send `version`)", request=s.ProductUpdateSerializer,
                   responses={200: s.ProductSerializer, **errors(400, 401, 403, 404, 409)})
    def partial_update(self, request, pk=None):
        product = self.get_object()
        data = self.parse(s.ProductUpdateSerializer, instance=product, partial=True)
        product_update(product=product, by=request.user, **data)
        return self.respond(product)


# ---------------------------------------------------------------- sales orders

LINE_ID = OpenApiParameter("line_id", int, OpenApiParameter.PATH, description="The line's `id`.")


@extend_schema_view(
    list=extend_schema(summary="List the orders you may see, with their lines",
                       responses={200: s.OrderSerializer, **errors(400, 401)}),
    retrieve=extend_schema(summary="One order with its lines and the transitions open to you",
                           responses={200: s.OrderSerializer, **errors(401, 404)}),
)
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = s.OrderSerializer
    filterset_class = OrderFilter
    required_perms = {"create": "sales.add_salesorder"}

    def get_queryset(self):
        lines = SalesOrderLine.objects.select_related("product").order_by("position")
        return order_list_visible_to(user=self.request.user).prefetch_related(Prefetch("lines", queryset=lines))

    @extend_schema(summary="Create an order with its lines", request=s.OrderCreateSerializer,
                   responses={201: s.OrderSerializer, **errors(400, 401, 403)})
    def create(self, request):
        data = self.parse(s.OrderCreateSerializer)
        lines = [LineInput(**line) for line in data.pop("lines", [])]
        order = order_create(by=request.user, lines=lines, **data)
        return self.respond(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the order header (send `version`)",
        description="A change to a confirmed order becomes a numbered revision; `reason` is recorded with it.",
        request=s.OrderUpdateSerializer, responses={200: s.OrderSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request, pk=None):
        order = self.get_object()
        data = self.parse(s.OrderUpdateSerializer, instance=order, partial=True)
        order_update(order=order, by=request.user, version=data.pop("version"), reason=data.pop("reason", ""), **data)
        return self.respond(order)

    @extend_schema(summary="Add a line (send the order's `version`)", request=s.OrderLineAddSerializer,
                   responses={201: s.OrderSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="lines")
    def add_line(self, request, pk=None):
        order = self.get_object()
        data = self.parse(s.OrderLineAddSerializer)
        version, reason = data.pop("version"), data.pop("reason", "")
        order_line_add(order=order, by=request.user, version=version, reason=reason, line=LineInput(**data))
        return self.respond(order, status.HTTP_201_CREATED)

    @extend_schema(methods=["PATCH"], summary="Change a line (send the order's `version`)", parameters=[LINE_ID],
                   request=s.OrderLineUpdateSerializer,
                   responses={200: s.OrderSerializer, **errors(400, 401, 403, 404, 409)})
    @extend_schema(
        methods=["DELETE"], summary="Delete a line",
        description="`version` (and optionally `reason`) go in the query string, e.g. `?version=3`.",
        parameters=[LINE_ID, OpenApiParameter("version", int, required=True),
                    OpenApiParameter("reason", str)],
        request=None, responses={200: s.OrderSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"lines/(?P<line_id>\d+)", url_name="line")
    def line(self, request, pk=None, line_id=None):
        order = self.get_object()
        line = get_object_or_404(order.lines.select_related("product"), pk=line_id)
        if request.method == "DELETE":
            data = self.parse(s.OrderLineDeleteSerializer, data=request.query_params or request.data, strict=False)
            order_line_delete(order=order, line=line, by=request.user, **data)
        else:
            data = self.parse(s.OrderLineUpdateSerializer, partial=True)
            order_line_update(order=order, line=line, by=request.user, version=data.pop("version"),
                              reason=data.pop("reason", ""), **data)
        return self.respond(order)

    @extend_schema(summary="The order's revisions, newest first", request=None,
                   responses={200: s.OrderRevisionSerializer(many=True), **errors(401, 404)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def revisions(self, request, pk=None):
        order = self.get_object()
        revisions = order.revisions.select_related("created_by").order_by("-number")
        return Response(s.OrderRevisionSerializer(revisions, many=True, context=self.get_serializer_context()).data)

    def _transition(self, request, name: str) -> Response:
        order = self.get_object()
        data = self.parse(s.TransitionSerializer)
        order_apply_transition(order=order, name=name, by=request.user, reason=data.get("reason", ""))
        return self.respond(order)


TRANSITION_SUMMARIES = {
    "submit": "Submit the order for review", "return_to_draft": "Return the order to draft",
    "confirm": "Confirm the order", "start_production": "Start production", "mark_ready": "Mark ready to ship",
    "ship_partially": "Record a partial shipment", "ship": "Mark shipped", "complete": "Complete the order",
    "cancel": "Cancel the order",
}


def _transition_action(name: str):
    def transition(self, request, pk=None):
        return self._transition(request, name)

    transition.__name__ = name
    path = name.replace("_", "-")
    summary = TRANSITION_SUMMARIES.get(name, path.capitalize().replace("-", " "))
    needs_reason = name in NEEDS_REASON
    schema = extend_schema(
        summary=summary,
        description=f"Moves the order to `{TRANSITIONS[name][1]}` through the `{name}` service. "
        + ("`reason` is required. " if needs_reason else "")
        + "A move that is not allowed from the current state is refused with 409 naming both states.",
        request=s.TransitionSerializer if needs_reason else None,
        responses={200: s.OrderSerializer, **errors(400, 401, 403, 404, 409)},
    )
    return schema(action(detail=True, methods=["post"], url_path=path, url_name=path)(transition))


for _name in TRANSITIONS:
    setattr(OrderViewSet, _name, _transition_action(_name))


# ---------------------------------------------------------------- tokens


class TokenThrottle(SimpleRateThrottle):
    """Per client address (behind our proxy, the real client's), whoever they claim to be: guessing passwords
    gets slow fast. Counted in the shared cache, so the limit holds for all web workers together."""

    scope = "api_token"
    rate = "10/min"

    @property
    def cache(self):
        return caches["shared"]

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LockedOut(exceptions.Throttled):
    default_detail = _("Too many failed logins for this user from your address.")


class TokenView(NegotiatedLanguage, ObtainAuthToken):
    throttle_classes = [TokenThrottle]
    parser_classes = [FormParser, MultiPartParser, JSONParser]  # flat input: a form login is fine too

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The UI login's lockout (django-axes, username + address) holds here too; say so instead of the
        # "unable to log in" a locked-out authenticate() would give, which reads like a wrong password.
        username = request.data.get("username") if isinstance(request.data, Mapping) else None
        if username and AxesProxyHandler.is_locked(request._request, {"username": str(username)}):
            raise LockedOut(wait=get_cool_off(request._request).total_seconds())

    @extend_schema(
        summary="Obtain your API token",
        description="Send `username` and `password`; use the answer as the header `Authorization: Token <token>`.",
        request=s.TokenRequestSerializer, responses={200: s.TokenResponseSerializer, **errors(400, 429)},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
