"""What the OpenAPI document says about constraints drf-spectacular cannot see by itself."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from gendan.core.money import known_currencies
from gendan.core.validators import validate_currency

CURRENCY_CODES = sorted(known_currencies())  # one `CurrencyEnum` component (SPECTACULAR_SETTINGS)


class CurrencyFieldExtension(OpenApiSerializerFieldExtension):
    """Any text field checked by `validate_currency` (from the model) is documented as an ISO 4217 code."""

    target_class = serializers.CharField

    @classmethod
    def _matches(cls, target) -> bool:
        return isinstance(target, serializers.CharField) and validate_currency in target.validators

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema.pop("minLength", None)
        return {**schema, "enum": CURRENCY_CODES, "pattern": "^[A-Z]{3}$",
                "description": "ISO 4217 currency code, e.g. USD, EUR, CNY."}


class BoundedDecimalExtension(OpenApiSerializerFieldExtension):
    """Decimals travel as strings, where JSON Schema's minimum/maximum do not apply: a lower bound of
    zero or more drops the minus sign from the documented pattern, and the bounds are written out."""

    target_class = serializers.DecimalField

    @classmethod
    def _matches(cls, target) -> bool:
        return isinstance(target, serializers.DecimalField) and (target.min_value is not None
                                                                  or target.max_value is not None)

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        low, high = self.target.min_value, self.target.max_value
        if low is not None and low >= 0 and "pattern" in schema:
            schema["pattern"] = schema["pattern"].replace("^-?", "^", 1)
        bounds = " ".join(part for part in (
            f"At least {low}." if low is not None else "", f"At most {high}." if high is not None else "") if part)
        schema["description"] = f"{schema.get('description', '')} {bounds}".strip()
        return schema
