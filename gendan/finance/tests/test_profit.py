"""Expenses, the export VAT refund and order profit, worked out by hand in the comments: a trading company's and a
manufacturer's refund, the most specific refund rate valid on a day, an order's profit with two receipts at
different rates, an expense in EUR, bank charges and its refund estimated, declared and received; totals grouped
in the database; bad input refused naming the field, and who may do it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.catalog.models import Product
from gendan.core.models import CompanyProfile, CompanyType
from gendan.finance.choices import ExpenseKind, ScheduleKind
from gendan.finance.models import Expense, RefundRate, ScheduleLine, VatRefund
from gendan.finance.profit import (
    order_profit,
    profit_by,
    profit_rows,
    refund_estimate,
    refund_rate_for,
    refund_rates_on,
    rounded,
)
from gendan.finance.services import (
    expense_record,
    expense_void,
    receipt_allocate,
    receipt_confirm,
    refund_rate_save,
    vat_refund_estimate,
    vat_refund_record,
)
from gendan.finance.tests.factories import record
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)
RATES = {"USD": Decimal("7.10"), "CNY": Decimal(1)}


def rate(by, prefix, refund, vat="13", valid_from=date(2026, 1, 1), valid_to=None):
    return refund_rate_save(by=by, hs_prefix=prefix, refund_rate=Decimal(refund), vat_rate=Decimal(vat),
                            valid_from=valid_from, valid_to=valid_to)


def two_line_order(salesperson, *, price="2.00", cost="11.30"):
    """A draft order of two lines, 1,000 pcs each: line 1 a hinge (HS 8302.10.0000), line 2 a steel bowl
    (HS 7323.93.0000), each product bought at `cost` CNY a piece, VAT included."""
    customer = CustomerFactory(owner=salesperson)
    order = make_order(by=salesperson, customer=customer, price=price)
    first, second = [line.product for line in order.lines.order_by("position")]
    first.cost = second.cost = Decimal(cost)
    first.save()
    second.hs_code = "7323.93.0000"
    second.save()
    return order


# ---------------------------------------------------------------- the refund, by hand


def test_a_trading_companys_refund_works_from_the_purchase_invoices(salesperson, finance):
    rate(finance, "8302", "13")
    rate(finance, "7323", "9")
    order = two_line_order(salesperson)
    estimate = refund_estimate(order, method=CompanyType.TRADING, rates=RATES)
    # line 1: purchase 11.30 × 1,000 = 11,300.00 incl. VAT; ÷ 1.13 = 10,000.00; × 13 % = 1,300.00
    # line 2: 11,300.00 ÷ 1.13 = 10,000.00; × 9 % = 900.00
    assert [line.refund_cny for line in estimate.lines] == [Decimal("1300.00"), Decimal("900.00")]
    assert (estimate.base_cny, estimate.refund_cny, estimate.non_creditable_cny) == (
        Decimal("22600.00"), Decimal("2200.00"), 0)
    assert estimate.unrated_lines == 0


def test_a_manufacturers_refund_works_from_the_fob_value(salesperson, finance):
    rate(finance, "8302", "13")
    rate(finance, "7323", "9")
    order = two_line_order(salesperson)  # USD 2.00 × 1,000 = USD 2,000.00 a line
    estimate = refund_estimate(order, method=CompanyType.MANUFACTURER, rates=RATES)
    # line 1: FOB 2,000.00 × 7.10 = 14,200.00 CNY; limit × 13 % = 1,846.00; VAT 13 % − refund 13 % = 0 not creditable
    # line 2: FOB 14,200.00; × 9 % = 1,278.00; (13 % − 9 %) × 14,200.00 = 568.00 not creditable: a cost
    assert [(line.refund_cny, line.non_creditable_cny) for line in estimate.lines] == [
        (Decimal("1846.00"), Decimal("0.00")), (Decimal("1278.00"), Decimal("568.00"))]
    assert (estimate.base_cny, estimate.refund_cny, estimate.non_creditable_cny) == (
        Decimal("28400.00"), Decimal("3124.00"), Decimal("568.00"))


def test_the_most_specific_rate_valid_on_the_day_applies(finance):
    rate(finance, "83", "5")
    rate(finance, "8302", "9", valid_to=date(2026, 6, 30))
    rate(finance, "8302", "13", valid_from=date(2026, 7, 1))
    rate(finance, "8302100000", "11")
    in_june, in_july = refund_rates_on(date(2026, 6, 15)), refund_rates_on(date(2026, 7, 15))
    assert refund_rate_for("8302.10.0000", in_july).refund_rate == 11  # the whole code beats its heading
    assert refund_rate_for("8302.42.0000", in_june).refund_rate == 9
    assert refund_rate_for("8302.42.0000", in_july).refund_rate == 13
    assert refund_rate_for("8301.10.0000", in_july).refund_rate == 5
    assert refund_rate_for("7323.93.0000", in_july) is None
    assert refund_rate_for("", in_july) is None


def test_a_line_without_a_rate_or_a_cost_is_counted_and_left_out(salesperson, finance):
    rate(finance, "8302", "13")
    order = two_line_order(salesperson)  # no rate for the bowl
    estimate = refund_estimate(order, method=CompanyType.TRADING, rates=RATES)
    assert (estimate.refund_cny, estimate.unrated_lines, estimate.lines[1].missing) == (Decimal("1300.00"), 1, "rate")
    Product.objects.filter(pk=order.lines.get(position=1).product_id).update(cost=None)
    assert refund_estimate(order, method=CompanyType.TRADING, rates=RATES).lines[0].missing == "cost"


def test_overlapping_rates_and_bad_rates_are_refused_naming_the_field(finance, salesperson):
    rate(finance, "8302", "13")
    cases = [
        ({"hs_prefix": "83.02", "refund_rate": "9"}, "valid_from"),  # 8302 already has a rate from 2026-01-01
        ({"hs_prefix": "83AB"}, "hs_prefix"),
        ({"refund_rate": "14"}, "refund_rate"),  # more than the VAT rate
        ({"refund_rate": "-1"}, "refund_rate"),
        ({"valid_to": date(2025, 1, 1)}, "valid_to"),
    ]
    for change, name in cases:
        values = {"hs_prefix": "7323", "refund_rate": "9", "valid_from": date(2026, 1, 1), **change}
        with pytest.raises(ValidationError) as error:
            rate(finance, values.pop("hs_prefix"), values.pop("refund_rate"), **values)
        assert name in error.value.message_dict, (change, error.value.message_dict)
    assert RefundRate.objects.count() == 1
    with pytest.raises(PermissionDenied):
        rate(salesperson, "7323", "9")


# ---------------------------------------------------------------- expenses


def test_an_expense_is_recorded_in_its_currency_and_voided_with_a_reason(salesperson, sales_manager, merchandiser,
                                                                      finance):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    expense = expense_record(by=finance, order=order, kind=ExpenseKind.FREIGHT, amount=Decimal("300"), currency="eur",
                             rate_to_cny=Decimal("7.80"), incurred_on=date(2026, 10, 20), payee="Kuehne+Nagel",
                             reference="KN-2610-77", today=TODAY)
    assert (expense.currency, expense.amount_cny, expense.recorded_by) == ("EUR", Decimal("2340.00"), finance)
    assert expense.history.get().history_user == finance
    with pytest.raises(ValidationError) as error:
        expense_void(expense=expense, by=finance, version=expense.version, reason=" ")
    assert "reason" in error.value.message_dict
    expense_void(expense=expense, by=finance, version=expense.version, reason="Entered on the wrong order")
    expense.refresh_from_db()
    assert (expense.is_void, expense.voided_by, expense.void_reason) == (True, finance, "Entered on the wrong order")
    assert expense.history.count() == 2 and Expense.objects.filter(pk=expense.pk).exists()  # never deleted
    with pytest.raises(ValidationError) as error:
        expense_void(expense=expense, by=finance, version=expense.version, reason="again")
    assert "expense" in error.value.message_dict


@pytest.mark.parametrize(("change", "field"), [
    ({"currency": "CNY", "rate_to_cny": Decimal("7.1")}, "rate_to_cny"),
    ({"amount": Decimal(0)}, "amount"),
    ({"amount": Decimal("-5")}, "amount"),
    ({"amount": Decimal("1.234")}, "amount"),  # EUR has cents only
    ({"rate_to_cny": Decimal(0)}, "rate_to_cny"),
    ({"incurred_on": date(2026, 12, 1)}, "incurred_on"),
    ({"currency": "XYZ"}, "currency"),
    ({"kind": "lunch"}, "kind"),
])
def test_bad_expenses_are_refused_naming_the_field_and_nothing_is_saved(salesperson, sales_manager, merchandiser,
                                                                      finance, change, field):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    values = {"kind": ExpenseKind.COURIER, "amount": Decimal("120"), "currency": "EUR", "rate_to_cny": Decimal("7.8"),
              "incurred_on": date(2026, 11, 2), **change}
    with pytest.raises(ValidationError) as error:
        expense_record(by=finance, order=order, today=TODAY, **values)
    assert field in error.value.message_dict, error.value.message_dict
    assert not Expense.objects.exists()


def test_only_finance_records_and_voids_expenses(salesperson, sales_manager, merchandiser, finance, general_manager):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    values = {"order": order, "kind": ExpenseKind.COURIER, "amount": Decimal("120"), "currency": "CNY",
              "rate_to_cny": Decimal(1), "incurred_on": date(2026, 11, 2), "today": TODAY}
    for user in (salesperson, merchandiser, sales_manager):
        with pytest.raises(PermissionDenied):
            expense_record(by=user, **values)
    expense = expense_record(by=general_manager, **values)
    with pytest.raises(PermissionDenied):
        expense_void(expense=expense, by=sales_manager, version=expense.version, reason="no")
    assert sales_manager.has_perm("finance.view_profit") and not salesperson.has_perm("finance.view_profit")
    assert not merchandiser.has_perm("finance.view_expense")


# ---------------------------------------------------------------- profit


@pytest.fixture
def paid_order(salesperson, sales_manager, merchandiser, finance):
    """USD 2,500.00 (two lines of 1,000 pcs at USD 1.25), each piece bought at CNY 8.00 VAT included, HS 8302 with
    13 % refund; deposit 750.00 and part of the balance paid by two receipts at different rates."""
    rate(finance, "8302", "13")
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    for line in order.lines.all():
        line.product.cost = Decimal("8.00")
        line.product.save()
    vat_refund_estimate(order=order, by=finance)  # again, now the cost prices are there
    deposit, balance = (ScheduleLine.objects.get(order=order, kind=kind)
                        for kind in (ScheduleKind.DEPOSIT, ScheduleKind.BALANCE))
    first = record(by=finance, customer=order.customer, amount="1000", bank_charges=Decimal(20), rate="7.10",
                   received_on=date(2026, 10, 5))
    second = record(by=finance, customer=order.customer, amount="1000", bank_charges=Decimal(20), rate="7.20",
                    received_on=date(2026, 10, 20))
    for receipt, line, amount in ((first, deposit, "750"), (second, balance, "1000")):
        with at(date(2026, 10, 21)):
            receipt_allocate(receipt=receipt, by=finance, version=receipt.version,
                             allocations=[(line, Decimal(amount))])
            receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    for kind, amount, currency, rate_to_cny in ((ExpenseKind.FREIGHT, "300", "EUR", "7.80"),
                                                (ExpenseKind.TRUCKING, "800", "CNY", "1"),
                                                (ExpenseKind.COURIER, "500", "CNY", "1")):
        expense = expense_record(by=finance, order=order, kind=kind, amount=Decimal(amount), currency=currency,
                                 rate_to_cny=Decimal(rate_to_cny), incurred_on=date(2026, 11, 1), today=TODAY)
    expense_void(expense=expense, by=finance, version=expense.version, reason="The customer paid the courier")
    return order


def test_profit_with_two_receipts_an_expense_in_eur_bank_charges_and_the_refund(paid_order, finance):
    refund = VatRefund.objects.get(order=paid_order)
    # trading company (the default): each line 8.00 × 1,000 = 8,000.00 ÷ 1.13 × 13 % = 920.353… → 920.35; two lines
    assert (refund.method, refund.base_cny, refund.estimated_cny) == (
        CompanyType.TRADING, Decimal("16000.00"), Decimal("1840.70"))
    profit = order_profit(paid_order)
    # revenue: 750.00 × 7.10 = 5,325.00 and 1,000.00 × 7.20 = 7,200.00 paid; the unpaid 750.00 at the latest
    # confirmed USD rate, 7.20 = 5,400.00 → 17,925.00
    assert profit.revenue_cny == Decimal("17925.00")
    assert profit.purchase_cny == Decimal("16000.00")  # 2 × 1,000 × 8.00
    assert profit.expenses_cny == Decimal("3140.00")  # EUR 300.00 × 7.80 = 2,340.00 + CNY 800.00; the 500 is void
    # bank charges pro rata: 20.00 × 750 / 1,000 × 7.10 = 106.50, and 20.00 × 1,000 / 1,000 × 7.20 = 144.00
    assert profit.charges_cny == Decimal("250.50")
    assert profit.refund_cny == Decimal("1840.70")
    # 17,925.00 − 16,000.00 − 3,140.00 − 250.50 + 1,840.70 = 375.20
    assert profit.profit_cny == Decimal("375.20")

    refund = vat_refund_record(order=paid_order, by=finance, version=refund.version, declared_cny=Decimal("1800.00"),
                               declared_on=date(2026, 11, 20), today=TODAY)
    assert order_profit(paid_order).profit_cny == Decimal("334.50")  # the declared 1,800.00 counts: 40.70 less
    vat_refund_record(order=paid_order, by=finance, version=refund.version, declared_cny=Decimal("1800.00"),
                      declared_on=date(2026, 11, 20), received_cny=Decimal("1790.00"), received_on=date(2026, 11, 28),
                      today=TODAY)
    assert order_profit(paid_order).profit_cny == Decimal("324.50")  # and then the received 1,790.00
    refund.refresh_from_db()
    assert refund.history.count() == 4  # estimated at confirmation, again on demand, declared, received
    assert refund.estimated_cny == Decimal("1840.70")  # the estimate stays beside them


def test_a_manufacturer_counts_its_non_creditable_vat_as_a_cost(paid_order, finance):
    CompanyProfile.objects.create(pk=CompanyProfile.ROW, company_type=CompanyType.MANUFACTURER)
    rate_row = RefundRate.objects.get()
    refund_rate_save(by=finance, rate=rate_row, version=rate_row.version, hs_prefix="8302", refund_rate=Decimal(9),
                     vat_rate=Decimal(13), valid_from=rate_row.valid_from)
    refund = vat_refund_estimate(order=paid_order, by=finance)
    # FOB 2 × USD 1,250.00 × 7.20 (the latest USD receipt) = 2 × 9,000.00; refund 9 % = 2 × 810.00 = 1,620.00;
    # not creditable (13 % − 9 %) × 9,000.00 = 2 × 360.00 = 720.00
    assert (refund.method, refund.base_cny, refund.estimated_cny, refund.non_creditable_cny) == (
        CompanyType.MANUFACTURER, Decimal("18000.00"), Decimal("1620.00"), Decimal("720.00"))
    # 17,925.00 − 16,000.00 − 3,140.00 − 250.50 + 1,620.00 − 720.00 = −565.50
    assert order_profit(paid_order).profit_cny == Decimal("-565.50")


def test_the_unpaid_part_uses_the_default_rate_before_any_receipt(salesperson, sales_manager, merchandiser, settings):
    settings.GENDAN_DEFAULT_RATES = {"USD": "7.05"}
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    profit = order_profit(order)
    assert profit.revenue_cny == Decimal("17625.00")  # USD 2,500.00 × 7.05, nothing paid yet
    assert profit.rate_known
    settings.GENDAN_DEFAULT_RATES = {}
    assert order_profit(order).rate_known is False


def test_totals_by_customer_salesperson_and_month_are_the_orders_summed(paid_order, salesperson, other_salesperson,
                                                                      sales_manager, merchandiser):
    other = confirmed_order(salesperson=other_salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 10, 2))
    SalesOrder.objects.filter(pk=other.pk).update(order_date=date(2026, 10, 2))
    orders = SalesOrder.objects.all()
    each = {row.pk: row for row in profit_rows(orders)}
    for row in each.values():
        rounded(row)
    by_customer = {row["key"]: row for row in profit_by(orders, "customer")}
    assert by_customer[paid_order.customer_id]["profit_cny"] == Decimal("375.20")
    assert by_customer[other.customer_id]["profit_cny"] == each[other.pk].profit_cny
    by_person = {row["key"]: row for row in profit_by(orders, "salesperson")}
    assert by_person[other_salesperson.pk]["orders"] == 1 and by_person[salesperson.pk]["orders"] == 1
    by_month = profit_by(orders, "month")
    assert [row["label"] for row in by_month] == ["2026-10", "2026-09"]
    total = sum(row["profit_cny"] for row in by_month)
    assert total == each[paid_order.pk].profit_cny + each[other.pk].profit_cny


def test_declared_and_received_refunds_are_checked(paid_order, finance, salesperson):
    refund = VatRefund.objects.get(order=paid_order)
    cases = [
        ({"declared_cny": Decimal("-1"), "declared_on": date(2026, 11, 1)}, "declared_cny"),
        ({"declared_cny": Decimal("100")}, "declared_on"),
        ({"declared_cny": Decimal("100"), "declared_on": date(2026, 12, 1)}, "declared_on"),
        ({"received_cny": Decimal("100"), "received_on": date(2026, 11, 1)}, "declared_cny"),
        ({"declared_cny": Decimal("100"), "declared_on": date(2026, 11, 10), "received_cny": Decimal("100"),
          "received_on": date(2026, 11, 2)}, "received_on"),
    ]
    for values, name in cases:
        with pytest.raises(ValidationError) as error:
            vat_refund_record(order=paid_order, by=finance, version=refund.version, today=TODAY, **values)
        assert name in error.value.message_dict, (values, error.value.message_dict)
    refund.refresh_from_db()
    assert refund.declared_cny is None and refund.history.count() == 2
    with pytest.raises(PermissionDenied):
        vat_refund_record(order=paid_order, by=salesperson, version=refund.version)
