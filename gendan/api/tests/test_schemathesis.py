"""The API against its own OpenAPI document (issue 13, finding 20).

Schemathesis generates requests for every documented operation from the document the server serves,
and sends them over HTTP to a live test server, as a client would, with the tokens of a merchandiser
and a sales manager on a small company. Any 5xx, any answer that does not match the documented
schema and any undocumented status code fails the suite.

Random ids mostly find nothing, so about half the requests are aimed at real records (and carry the
record's current `version`, so changes get past the optimistic lock to the rules behind it).
Examples per operation are bounded to keep the run near a minute per database on a 2-core machine;
GENDAN_SCHEMATHESIS_EXAMPLES=100 looks harder.
"""

import os
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from gendan.catalog.models import Product
from gendan.followup.models import Milestone, Plan
from gendan.followup.tests.factories import confirmed_order
from gendan.parties.choices import SupplierKind
from gendan.parties.models import Customer, Supplier
from gendan.parties.tests.factories import CustomerFactory, SupplierFactory
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.tests.factories import make_order
from gendan.shipping.models import Shipment, ShipmentLine

EXAMPLES = int(os.environ.get("GENDAN_SCHEMATHESIS_EXAMPLES", 8))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
RECORDS = {"customers": Customer, "suppliers": Supplier, "products": Product, "orders": SalesOrder,
           "plans": Plan, "milestones": Milestone, "shipments": Shipment}


@pytest.fixture
def tokens(transactional_db, salesperson, sales_manager, merchandiser):
    """A small company: a draft order and a confirmed one with its plan, both Mei's to follow up."""
    SupplierFactory()
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, incoterm_place="Ningbo")
    make_order(by=salesperson, customer=customer, order_date=date(2026, 11, 2), merchandiser=merchandiser)
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            customer=customer)
    shipment = Shipment.objects.create(number="SH-2026-00001", customer=customer, created_by=merchandiser)
    for line in order.lines.all():  # a draft of the confirmed order's goods, to book, load and ship
        ShipmentLine.objects.create(shipment=shipment, order_line=line, quantity=line.quantity)
    SupplierFactory(kind=SupplierKind.FORWARDER)
    return [Token.objects.create(user=user).key for user in (merchandiser, sales_manager)]


def aim(case, data) -> None:
    """Point the request at real records half of the time: the path's ids, the order's customer and
    products, and the record's current version."""
    if not data.draw(st.booleans(), label="aimed"):
        return
    model = RECORDS.get(case.path.split("/")[3])
    ids = case.path_parameters or {}
    if model is not None and "id" in ids:
        ids["id"] = data.draw(st.sampled_from(list(model.objects.values_list("pk", flat=True))), label="id")
        if "line_id" in ids:
            lines = list(SalesOrderLine.objects.filter(order_id=ids["id"]).values_list("pk", flat=True))
            ids["line_id"] = data.draw(st.sampled_from(lines or [1]), label="line_id")
        version = model.objects.get(pk=ids["id"]).version
        if isinstance(case.body, dict) and "version" in case.body:
            case.body["version"] = version
        if isinstance(case.query, dict) and "version" in case.query:
            case.query["version"] = version
    if isinstance(case.body, dict):
        if "customer" in case.body:
            case.body["customer"] = data.draw(st.sampled_from(list(Customer.objects.values_list("pk", flat=True))))
        if "product" in case.body:
            case.body["product"] = data.draw(st.sampled_from(list(Product.objects.values_list("pk", flat=True))))
        for line in case.body.get("lines") or []:
            if isinstance(line, dict) and "product" in line:
                line["product"] = data.draw(st.sampled_from(list(Product.objects.values_list("pk", flat=True))))


def failures_of(base_url: str, token: str) -> list[str]:
    headers = {"Authorization": f"Token {token}", "Accept-Language": "en"}
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json", headers=headers)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(), data=st.data())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, print_blob=False,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case, data):
            aim(case, data)
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # every operation's failure, not only the first
            failures.append(f"{operation.label}: {error}")
    return failures


def test_api_keeps_its_openapi_contract(live_server, tokens):
    failures = []
    for token in tokens:
        failures += failures_of(live_server.url, token)
    assert not failures, "\n\n".join(failures)
