"""Input and output shapes of the API. Output serializers render; input serializers parse and check
types, choices and the model's own field validators. Business rules stay in the services.

Field names are the models' own, so an error a service raises about `incoterm_place` names the same
field the client sent.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gendan.catalog.models import Product
from gendan.catalog.selectors import product_list_visible_to
from gendan.core.money import round_amount
from gendan.core.validators import DATE_WINDOW_YEARS
from gendan.parties.models import Contact, Customer, PaymentTerm, Supplier
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.models import OrderRevision, SalesOrder, SalesOrderLine
from gendan.sales.services import HEADER_FIELDS, LINE_FIELDS, TRANSITIONS, transitions_available

User = get_user_model()


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must point at a row the requesting user can see; others read as "does not exist"."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(user=self.context["request"].user)


def user_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), **kwargs)


def version_field():
    return serializers.IntegerField(
        min_value=0, help_text="The record's `version` as last read; a stale one is refused with 409."
    )


class VersionRequired:
    """`version` is required even in a partial update (DRF's partial=True would let it go missing)."""

    def validate(self, attrs):
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [self.fields["version"].error_messages["required"]]})
        return super().validate(attrs)


def reason_field(help_text="Why the change is made; recorded with the revision of a confirmed order."):
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=300, help_text=help_text)


# ---------------------------------------------------------------- parties


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "role", "email", "phone", "messaging_id", "is_primary"]
        read_only_fields = ["id"]


CUSTOMER_FIELDS = [
    "code", "name_en", "name_zh", "country", "address", "currency", "payment_term", "incoterm", "incoterm_place",
    "document_language", "owner", "merchandiser", "grade", "credit_limit", "notes", "is_active",
]


class CustomerSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner", read_only=True)
    merchandiser_name = serializers.CharField(source="merchandiser", read_only=True, allow_null=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = ["id", *CUSTOMER_FIELDS, "owner_name", "merchandiser_name", "contacts", "version", "created_at",
                  "updated_at"]
        read_only_fields = fields


class CustomerCreateSerializer(serializers.ModelSerializer):
    owner = user_field(required=False, help_text="Managers choose the owner; a salesperson's customer is their own.")
    merchandiser = user_field(required=False, allow_null=True)
    contacts = ContactSerializer(many=True, required=False)

    class Meta:
        model = Customer
        fields = [*CUSTOMER_FIELDS, "contacts"]


class CustomerUpdateSerializer(VersionRequired, serializers.ModelSerializer):
    owner = user_field(required=False)
    merchandiser = user_field(required=False, allow_null=True)
    version = version_field()

    class Meta:
        model = Customer
        fields = [*CUSTOMER_FIELDS, "version"]


SUPPLIER_FIELDS = ["kind", "code", "name_zh", "name_en", "country", "address", "currency", "notes", "is_active"]


class SupplierSerializer(serializers.ModelSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", *SUPPLIER_FIELDS, "contacts", "version", "created_at", "updated_at"]
        read_only_fields = fields


class SupplierCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = SUPPLIER_FIELDS


class SupplierUpdateSerializer(VersionRequired, serializers.ModelSerializer):
    version = version_field()

    class Meta:
        model = Supplier
        fields = [*SUPPLIER_FIELDS, "version"]


# ---------------------------------------------------------------- catalog

PRODUCT_FIELDS = [
    "code", "name_en", "name_zh", "specification", "material", "surface_finish", "hs_code", "unit",
    "default_supplier", "cost", "cost_currency", "units_per_inner", "units_per_carton", "carton_length_cm",
    "carton_width_cm", "carton_height_cm", "net_weight_kg", "gross_weight_kg", "is_active",
]


class ProductSerializer(serializers.ModelSerializer):
    cbm_per_carton = serializers.DecimalField(
        max_digits=12, decimal_places=6, read_only=True, help_text="Carton volume in m³, computed from L×W×H."
    )

    class Meta:
        model = Product
        fields = ["id", *PRODUCT_FIELDS, "cbm_per_carton", "image", "version", "created_at", "updated_at"]
        read_only_fields = fields


class ProductCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS


class ProductUpdateSerializer(VersionRequired, serializers.ModelSerializer):
    version = version_field()

    class Meta:
        model = Product
        fields = [*PRODUCT_FIELDS, "version"]


# ---------------------------------------------------------------- sales orders


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d+(?:\.\d+)?$",
                      "description": "A decimal string to the currency's minor unit, e.g. `12.50` (USD), `38` (JPY)."})
class CurrencyAmountField(serializers.Field):
    """An amount shown to its currency's minor unit (USD 12.50, JPY 38), the currency read from `currency_of`."""

    def __init__(self, currency_of, **kwargs):
        self.currency_of = currency_of
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return str(round_amount(getattr(instance, self.field_name), self.currency_of(instance)))


class OrderLineSerializer(serializers.ModelSerializer):
    product_code = serializers.CharField(source="product.code", read_only=True)
    amount = CurrencyAmountField(currency_of=lambda line: line.order.currency)

    class Meta:
        model = SalesOrderLine
        fields = ["id", "position", "product", "product_code", "customer_item_no", "description", "quantity", "unit",
                  "unit_price", "amount", "cartons", "cbm", "gross_kg"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    customer_name = serializers.CharField(source="customer.name_en", read_only=True)
    salesperson_name = serializers.CharField(source="salesperson", read_only=True)
    merchandiser_name = serializers.CharField(source="merchandiser", read_only=True, allow_null=True)
    total_amount = CurrencyAmountField(currency_of=lambda order: order.currency)
    lines = OrderLineSerializer(many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="The transitions this user may try now; each is `POST /orders/{id}/<name with hyphens>/`."
    )

    class Meta:
        model = SalesOrder
        fields = [
            "id", "number", "status", "status_label", "customer", "customer_code", "customer_name", *HEADER_FIELDS,
            "salesperson_name", "merchandiser_name", "cancel_reason", "total_amount", "total_quantity",
            "total_cartons", "total_cbm", "total_gross_kg", "revision", "version", "created_by", "created_at",
            "updated_at", "lines", "available_transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(TRANSITIONS))))
    def get_available_transitions(self, order) -> list[str]:
        return transitions_available(order=order, user=self.context["request"].user)


class OrderLineInputSerializer(serializers.ModelSerializer):
    product = VisibleRelatedField(product_list_visible_to, queryset=Product.objects.all())

    class Meta:
        model = SalesOrderLine
        fields = LINE_FIELDS
        extra_kwargs = {"unit": {"help_text": "Defaults to the product's unit."},
                        "description": {"help_text": "Defaults to the product's English name."},
                        "customer_item_no": {"help_text": "Defaults to the customer's item no. for the product."}}


WITHIN_WINDOW = f"At most {DATE_WINDOW_YEARS} years before or after today."
ORDER_DATE_HELP = {name: {"help_text": WITHIN_WINDOW}
                   for name in ("order_date", "requested_ex_factory", "confirmed_ex_factory")}


class OrderCreateSerializer(serializers.ModelSerializer):
    """Header fields left out take the customer's defaults (currency, Incoterm and place, terms, people)."""

    customer = VisibleRelatedField(customer_list_visible_to, queryset=Customer.objects.all())
    payment_term = serializers.PrimaryKeyRelatedField(queryset=PaymentTerm.objects.all(), required=False,
                                                      allow_null=True)
    salesperson = user_field(required=False)
    merchandiser = user_field(required=False, allow_null=True)
    lines = OrderLineInputSerializer(many=True, required=False)

    class Meta:
        model = SalesOrder
        fields = ["customer", *HEADER_FIELDS, "lines"]
        extra_kwargs = {
            **ORDER_DATE_HELP,
            "order_date": {"required": False, "help_text": f"Defaults to today (Asia/Shanghai). {WITHIN_WINDOW}"},
            "currency": {"required": False},
            "incoterm": {"required": False},
            "incoterm_place": {"required": False, "allow_blank": True},
        }


class OrderUpdateSerializer(VersionRequired, serializers.ModelSerializer):
    payment_term = serializers.PrimaryKeyRelatedField(queryset=PaymentTerm.objects.all(), required=False,
                                                      allow_null=True)
    salesperson = user_field(required=False)
    merchandiser = user_field(required=False, allow_null=True)
    version = version_field()
    reason = reason_field()

    class Meta:
        model = SalesOrder
        fields = [*HEADER_FIELDS, "version", "reason"]
        extra_kwargs = {**ORDER_DATE_HELP, "incoterm_place": {"allow_blank": True}}  # the service names the place


class OrderLineAddSerializer(VersionRequired, OrderLineInputSerializer):
    version = version_field()
    reason = reason_field()

    class Meta(OrderLineInputSerializer.Meta):
        fields = [*LINE_FIELDS, "version", "reason"]


class OrderLineUpdateSerializer(OrderLineAddSerializer):
    pass  # used with partial=True: send only what changes, plus version


class OrderLineDeleteSerializer(serializers.Serializer):
    version = version_field()
    reason = reason_field()


class TransitionSerializer(serializers.Serializer):
    reason = reason_field(help_text="Required for `return-to-draft` and `cancel`; ignored by the others.")


class OrderRevisionSerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(source="created_by", read_only=True)

    class Meta:
        model = OrderRevision
        fields = ["number", "reason", "changes", "snapshot", "created_by", "created_by_name", "created_at"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """Every error response (see gendan/api/errors.py)."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Only on 400: messages per field; nested fields by path (`lines.1.quantity`).",
    )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
