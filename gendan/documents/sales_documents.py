"""The proforma invoice and the sales contract: one order, printed for the customer in their language, with
everything the customer needs to pay and the factory needs to make it (seed 003: the PI goes out, the deposit
comes in, then the purchase contract goes to the factory)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from gendan.core.money import minor_units, round_amount
from gendan.documents.choices import DocumentKind
from gendan.documents.words import in_chinese_capitals, in_english
from gendan.finance.models import BankAccount
from gendan.parties.choices import BalanceCondition

BALANCE_CLAUSES = {
    BalanceCondition.IN_ADVANCE: lambda days: _("by T/T in advance"),
    BalanceCondition.BEFORE_SHIPMENT: lambda days: _("by T/T before shipment"),
    BalanceCondition.AGAINST_COPY_BL: lambda days: _("by T/T against the copy of the B/L"),
    BalanceCondition.LC_AT_SIGHT: lambda days: _("by irrevocable L/C at sight"),
    BalanceCondition.LC_USANCE: lambda days: _("by irrevocable L/C at %(days)s days after sight") % {"days": days},
    BalanceCondition.DP_AT_SIGHT: lambda days: _("by D/P at sight"),
    BalanceCondition.DA: lambda days: _("by D/A at %(days)s days after sight") % {"days": days},
    BalanceCondition.OPEN_ACCOUNT: lambda days: _("by T/T %(days)s days after the B/L date") % {"days": days},
}


def bank_for(currency: str) -> BankAccount | None:
    return BankAccount.objects.filter(currency=currency, is_active=True).order_by("name", "pk").first()


def payment_terms(order, deposit_days: int) -> str:
    """The terms spelled out with amounts: "30% deposit (USD 4,500.00) by T/T within 7 days …; balance …"."""
    money = lambda value: f"{order.currency} {round_amount(value, order.currency):,.{minor_units(order.currency)}f}"  # noqa: E731
    deposit = order.deposit_amount if order.deposit_percent else Decimal(0)
    balance = order.total_amount - deposit
    clause = BALANCE_CLAUSES[order.balance_condition](order.balance_days)
    if not deposit:
        return _("100%% (%(amount)s) %(clause)s.") % {"amount": money(balance), "clause": clause}
    parts = [_("%(pct)s%% deposit (%(amount)s) by T/T within %(days)s days of order confirmation") % {
        "pct": _percent(order.deposit_percent), "amount": money(deposit), "days": deposit_days}]
    if balance:
        parts.append(_("balance %(pct)s%% (%(amount)s) %(clause)s") % {
            "pct": _percent(100 - order.deposit_percent), "amount": money(balance), "clause": clause})
    return "; ".join(parts) + "."


def context(kind: str, order, language: str, deposit_days: int, bank: BankAccount) -> dict:
    currency = order.currency
    lines = [_line(line, currency, language) for line in order.lines.select_related("product").order_by("position")]
    contract = kind == DocumentKind.SALES_CONTRACT
    return {
        "title": _("SALES CONTRACT") if contract else _("PROFORMA INVOICE"),
        "subtitle": "销售合同" if contract else "形式发票",
        "document_date": order.order_date,
        "order": order,
        "lines": lines,
        "total": f"{order.total_amount:,.{minor_units(currency)}f}",
        "total_quantity": format(order.total_quantity.normalize(), ",f"),
        "words_en": in_english(order.total_amount, currency),
        "words_zh": in_chinese_capitals(order.total_amount) if currency == "CNY" else "",
        "buyer_name": order.customer.name_zh if language.startswith("zh") and order.customer.name_zh
        else order.customer.name_en,
        "contact": order.customer.contacts.exclude(email="").order_by("-is_primary", "pk").first(),
        "terms": _terms(order, deposit_days),
        "bank": bank,
        "clauses": _clauses() if contract else [],
        "total_value": order.total_amount,
    }


def _line(line, currency: str, language: str) -> dict:
    product = line.product
    name = product.name_zh if language.startswith("zh") and product.name_zh else product.name_en
    return {
        "position": line.position, "customer_item_no": line.customer_item_no, "code": product.code,
        "description": line.description or name, "hs_code": product.hs_code,
        "quantity": format(line.quantity.normalize(), ",f"), "unit": line.get_unit_display(),
        "unit_price": _price(line.unit_price, currency),
        "amount": f"{line.amount:,.{minor_units(currency)}f}",
    }


def _price(value: Decimal, currency: str) -> str:
    """At least the currency's decimals, more only where the price has them (USD 0.125 stays 0.125)."""
    places = max(minor_units(currency), -value.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"


def _percent(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def _terms(order, deposit_days: int) -> list[tuple[str, str]]:
    terms = [
        (_("Price term"), f"{order.incoterm} {order.incoterm_place} (Incoterms® 2020)"),
        (_("Payment"), payment_terms(order, deposit_days)),
    ]
    delivery = order.confirmed_ex_factory or order.requested_ex_factory
    if delivery:
        terms.append((_("Ready to ship"), _("Ex-factory by %(date)s, %(mode)s") % {
            "date": delivery.isoformat(), "mode": order.get_transport_mode_display()}))
    if order.packing_requirements:
        terms.append((_("Packing"), order.packing_requirements))
    if order.shipping_marks:
        terms.append((_("Shipping marks"), order.shipping_marks))
    papers = [label for wanted, label in ((order.needs_commodity_inspection, _("commodity inspection")),
                                          (order.needs_certificate_of_origin, _("certificate of origin"))) if wanted]
    if papers:
        terms.append((_("Documents"), ", ".join(str(p) for p in papers)))
    if order.customer_specifics:
        terms.append((_("Special requirements"), order.customer_specifics))
    return terms


def _clauses() -> list[str]:
    return [
        _("Quality: as the approved samples and the specifications above; a quantity tolerance of ±3% per item "
          "is allowed and invoiced as shipped."),
        _("Claims: quality claims within 30 days and quantity claims within 15 days of the goods' arrival at "
          "the port of destination, supported by an independent surveyor's report."),
        _("Force majeure: the seller is not liable for delay or non-delivery caused by events beyond its "
          "control; the buyer is informed promptly in writing."),
        _("Disputes: settled by friendly negotiation, failing which by the China International Economic and "
          "Trade Arbitration Commission (CIETAC) under its rules; the award is final and binding."),
    ]
