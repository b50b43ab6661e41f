from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from gendan.catalog.models import Product


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name_en = factory.Sequence(lambda n: f"Stainless hinge {n}")
    name_zh = factory.Sequence(lambda n: f"不锈钢合页{n}")
    hs_code = "8302.10.0000"
    units_per_inner = 10
    units_per_carton = 100
    carton_length_cm = Decimal("40")
    carton_width_cm = Decimal("30")
    carton_height_cm = Decimal("25")
    net_weight_kg = Decimal("12.5")
    gross_weight_kg = Decimal("13.2")
