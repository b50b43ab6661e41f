"""The demo company is built once for this module (inside a transaction rolled back at the end)."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.models import CustomerItem, Product
from gendan.core.validators import validate_hs_code
from gendan.demo import data
from gendan.parties.choices import SupplierKind
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderEvent, OrderRevision, SalesOrder, SalesOrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_never_mixes_into_a_database_with_data(salesperson):
    # given a company that already has a customer (this test runs before the module's demo is built)
    CustomerFactory(owner=salesperson)
    out = io.StringIO()
    call_command("demo", stdout=out)
    # then the demo leaves it alone and says so
    assert "Nothing was changed" in out.getvalue()
    assert Customer.objects.count() == 1 and not User.objects.filter(username="gm").exists()


def counts() -> dict[str, int]:
    models = [User, Customer, Contact, Supplier, Product, CustomerItem, SalesOrder, SalesOrderLine, OrderEvent,
              OrderRevision]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_has_one_login_per_role(demo_output):
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    usernames = [row[0] for row in data.USERS]
    assert set(User.objects.values_list("username", flat=True)) >= set(usernames)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    sales = User.objects.get(username="sales")
    assert sales.check_password(data.PASSWORD) and sales.full_name == "王丽娜"
    assert not sales.is_staff
    # the logins table is printed: every username with the password
    for username in usernames:
        assert f"  {username} " in demo_output
    assert data.PASSWORD in demo_output


def test_demo_customers_span_countries_currencies_and_people(demo_output):
    customers = Customer.objects.all()
    assert customers.count() >= 30
    assert customers.values("country").distinct().count() >= 10
    assert {"USD", "EUR", "GBP", "JPY", "AUD"} <= set(customers.values_list("currency", flat=True))
    assert set(customers.values_list("owner__username", flat=True)) == {"sales", "sales2"}
    assert set(customers.values_list("merchandiser__username", flat=True)) == {"merch", "merch2"}
    assert customers.values("grade").distinct().count() == 4
    assert not customers.filter(payment_term__isnull=True).exists()
    assert not customers.filter(incoterm_place="").exists()
    assert not customers.annotate(n=Count("contacts")).filter(n=0).exists()
    assert not Contact.objects.filter(customer__isnull=False, email="").exists()
    assert Supplier.objects.count() >= 15
    assert set(Supplier.objects.values_list("kind", flat=True)) == set(SupplierKind.values)


def test_demo_products_have_packaging_and_valid_hs_codes(demo_output):
    products = Product.objects.all()
    assert products.count() >= 150
    for product in products:
        validate_hs_code(product.hs_code)
        assert product.name_zh and product.name_en and product.default_supplier_id
        assert product.units_per_carton >= 1 and product.cbm_per_carton > 0
        assert 0 < product.net_weight_kg < product.gross_weight_kg
        if product.units_per_inner:
            assert product.units_per_carton % product.units_per_inner == 0
    assert CustomerItem.objects.values("customer").distinct().count() >= 5
    # an order line of a customer with own item numbers carries them
    line = SalesOrderLine.objects.filter(order__customer__code="BRTL-US").first()
    assert line.customer_item_no.startswith("BL-")


def test_demo_orders_cover_a_year_and_every_state(demo_output):
    orders = SalesOrder.objects.all()
    assert orders.count() >= 300
    assert set(orders.values_list("status", flat=True)) == set(OrderStatus.values)
    dates = list(orders.values_list("order_date", flat=True))
    today = timezone.localdate()
    assert max(dates) == today and (today - min(dates)).days >= 360
    assert len({(d.year, d.month) for d in dates}) >= 12
    sizes = set(orders.annotate(n=Count("lines")).values_list("n", flat=True))
    assert min(sizes) >= 1 and max(sizes) <= 8 and len(sizes) >= 6
    # old orders are mostly completed, the newest are still drafts or under review
    old = orders.filter(order_date__lt=today - timedelta(days=150))
    assert old.filter(status=OrderStatus.COMPLETED).count() / old.count() > 0.8
    assert orders.filter(order_date__gte=today - timedelta(days=3), status__in=["draft", "under_review"]).exists()
    for order in orders.filter(status=OrderStatus.CANCELLED):
        assert order.cancel_reason
    # totals are the sums of the lines, in the order's currency
    for order in orders.annotate(lines_total=Sum("lines__amount"))[:50]:
        assert order.total_amount == order.lines_total
    for amount in orders.filter(currency="JPY").values_list("total_amount", flat=True):
        assert amount == amount.to_integral_value()  # no sen


def test_demo_history_is_real_and_dated(demo_output):
    # some confirmed orders were revised; each of those keeps its as-confirmed copy (revision 0)
    revised = SalesOrder.objects.filter(revision__gt=0)
    assert revised.exists()
    assert OrderRevision.objects.filter(number=0, order__in=revised).count() == revised.count()
    order = SalesOrder.objects.filter(status=OrderStatus.COMPLETED).order_by("order_date").first()
    events = list(order.events.order_by("at"))
    assert events[-1].new_status == OrderStatus.COMPLETED
    assert events[0].at.date() <= order.order_date + timedelta(days=1)  # stamped when it happened, not today
    assert events[-1].at > events[0].at
    assert order.history.earliest("history_date").history_date.date() <= order.order_date + timedelta(days=1)
    # the simulated clock is put back
    assert abs(timezone.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_demo_money_is_in_every_state_finance_meets(demo_output):
    from gendan.finance.choices import ReceiptStatus, ScheduleKind
    from gendan.finance.gates import may_start_production
    from gendan.finance.models import GateException, Receipt
    from gendan.finance.selectors import aging_by_customer, schedule_of, unallocated

    # no order is in production or beyond without its deposit, or let through by an exception
    for order in SalesOrder.objects.filter(status__in=[OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP]):
        assert all(line.open == 0 for line in schedule_of(order) if line.kind == ScheduleKind.DEPOSIT), order
    assert Receipt.objects.filter(status=ReceiptStatus.CONFIRMED).count() > 200
    assert Receipt.objects.filter(status=ReceiptStatus.RECORDED).exists()  # one for finance to confirm
    assert any(unallocated(receipt) > 0 for receipt in Receipt.objects.filter(status=ReceiptStatus.CONFIRMED))
    partial = [line for order in SalesOrder.objects.filter(status=OrderStatus.CONFIRMED)
               for line in schedule_of(order) if 0 < line.received < line.amount]
    assert partial  # a deposit paid in part
    exception = GateException.objects.get()
    assert may_start_production(exception.order) and exception.reason
    overdue = [row for row in aging_by_customer(timezone.localdate()) if row["1_30"] or row["31_60"]
               or row["61_90"] or row["over_90"]]
    assert overdue  # receivables overdue for finance to chase


def test_demo_has_costs_refund_rates_and_profit(demo_output):
    from gendan.core.models import CompanyProfile, CompanyType
    from gendan.finance.models import Expense, RefundRate, VatRefund
    from gendan.finance.profit import profit_by, profitable_orders, refund_rate_for, refund_rates_on

    assert CompanyProfile.objects.get().company_type == CompanyType.TRADING
    rates = refund_rates_on(timezone.localdate())
    assert all(refund_rate_for(product.hs_code, rates) for product in Product.objects.all())  # every product rated
    assert RefundRate.objects.count() == len(data.REFUND_RATES)
    assert Expense.objects.filter(voided_at__isnull=True).count() > 20 and Expense.objects.filter(
        voided_at__isnull=False).count() == 1
    assert Expense.objects.exclude(currency="CNY").exists()
    refunds = VatRefund.objects.filter(order__status__in=[OrderStatus.SHIPPED, OrderStatus.COMPLETED])
    assert refunds.filter(received_cny__isnull=False).exists() and refunds.filter(declared_cny__isnull=True).exists()
    assert VatRefund.objects.filter(estimated_cny__gt=0).count() > 100
    by_month = profit_by(profitable_orders(SalesOrder.objects.all()), "month")
    assert len(by_month) >= 10 and sum(row["profit_cny"] for row in by_month) > 0


def test_demo_has_pis_contracts_and_last_months_statements(demo_output):
    from gendan.documents.choices import DocumentKind, Response
    from gendan.documents.models import Document

    pis = Document.objects.filter(kind=DocumentKind.PROFORMA_INVOICE)
    assert pis.count() >= 6 and pis.filter(version=2, sent_at__isnull=False).exists()
    assert Document.objects.filter(kind=DocumentKind.SALES_CONTRACT).count() == 2
    statements = Document.objects.filter(kind=DocumentKind.STATEMENT)
    month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert statements.count() >= 2 and set(statements.values_list("as_of", flat=True)) == {month_end}
    assert {Response.CONFIRMED, Response.DISPUTED} <= set(statements.values_list("response", flat=True))
    assert all(document.pdf.size > 10_000 for document in Document.objects.all())
def test_demo_has_credit_approved_and_credit_waiting(demo_output):
    from gendan.finance.choices import CreditApprovalStatus
    from gendan.finance.credit import credit_check
    from gendan.finance.models import CreditApproval

    approved = CreditApproval.objects.filter(status=CreditApprovalStatus.APPROVED).select_related("order")
    assert approved and all(a.order.status != OrderStatus.UNDER_REVIEW and a.exposure > a.credit_limit
                            for a in approved)  # confirmed past the limit, with the approval
    waiting = CreditApproval.objects.get(status=CreditApprovalStatus.REQUESTED)
    assert waiting.order.status == OrderStatus.UNDER_REVIEW and credit_check(waiting.order).needs_approval
    assert "credit:" in demo_output


def test_demo_runs_only_once(demo_output):
    before = counts()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert counts() == before
    assert "already loaded" in out.getvalue()
    assert "  salesmgr " in out.getvalue()


def test_demo_has_a_shipment_in_every_state(demo_output):
    from gendan.documents.models import Document
    from gendan.shipping.choices import BLStatus, ShipmentStatus, TrackingStatus
    from gendan.shipping.models import (
        Booking,
        Certificate,
        CustomerNotice,
        LoadedContainer,
        LoadPlan,
        LoadPlanContainer,
        Shipment,
        TrackingEvent,
        TrackingLink,
    )

    assert Shipment.objects.count() == 5 and Booking.objects.count() == 5
    assert Shipment.objects.filter(status=ShipmentStatus.DRAFT).count() == 2  # booked; booked and loaded
    assert LoadedContainer.objects.count() == 4
    assert sorted(Shipment.objects.filter(bill_of_lading__isnull=False).values_list(
        "bill_of_lading__status", flat=True)) == sorted([BLStatus.RELEASED, BLStatus.RELEASED, BLStatus.COPY_SENT])
    assert TrackingEvent.objects.filter(status=TrackingStatus.ARRIVED).count() == 1
    assert sorted(Certificate.objects.values_list("shipment__status", flat=True)) == [ShipmentStatus.SHIPPED] * 3
    assert set(Certificate.objects.values_list("kind", flat=True)) <= {"form_e", "general_co"}
    assert Document.objects.filter(shipment__isnull=False, kind="packing_list").count() == 4
    assert TrackingLink.objects.filter(revoked_at__isnull=True).count() == 5
    assert LoadPlan.objects.filter(status="done").count() == 5 and LoadPlanContainer.objects.exists()
    assert sorted(CustomerNotice.objects.values_list("node", "status")) == [
        ("arrived", "draft"), *[("shipped", "recorded")] * 3]  # advices logged, the arrival waiting to be sent
    for shipment in Shipment.objects.filter(status=ShipmentStatus.SHIPPED):
        assert all(order.status == OrderStatus.SHIPPED for order in SalesOrder.objects.filter(
            lines__shipment_lines__shipment=shipment))
