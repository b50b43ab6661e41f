from datetime import date, timedelta
from decimal import Decimal

from gendan.catalog.tests.factories import ProductFactory
from gendan.sales.services import LineInput, order_create


def make_order(*, by, customer, lines=2, price="1.25", quantity="1000", **header):
    """An order made through the service, as the UI and API make them."""
    header.setdefault("order_date", date(2026, 11, 2))
    header.setdefault("confirmed_ex_factory", header["order_date"] + timedelta(days=45))
    items = [
        LineInput(product=ProductFactory(), quantity=Decimal(quantity), unit_price=Decimal(price))
        for _ in range(lines)
    ]
    return order_create(by=by, customer=customer, lines=items, **header)
