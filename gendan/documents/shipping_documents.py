"""A shipment's export documents: the commercial invoice, the packing list, the shipping marks sheet and the
shipping notice to the warehouse (出货通知). Each is built from goods packed as (order line, quantity) pairs,
numbered in cartons 1…N in that order, so a per-container variant passes its own goods and first carton number.

Cartons per line = quantity / units per carton, rounded up (the last carton may be part filled); N.W. and G.W.
are the product's per-carton weights × cartons; CBM = L × W × H (cm) / 1,000,000 × cartons, 3 decimals.
Totals are sums of the lines as printed, in Decimals."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.models import CompanyProfile
from gendan.core.money import minor_units, round_amount
from gendan.core.xlsx import workbook_bytes
from gendan.documents.sales_documents import BALANCE_CLAUSES
from gendan.documents.words import cartons_in_chinese, cartons_in_english, in_chinese_capitals, in_english
from gendan.finance.choices import ScheduleKind
from gendan.finance.selectors import settling_lines

CBM = Decimal("0.001")
# Beyond this many lines the packing list prints its table as aligned monospaced text, one box a line: WeasyPrint
# lays out every table cell as its own box (≈ 1 ms each), so 1,000 lines × 10 cells took 45 s instead of ≈ 3 s.
LONG_LIST = 100
FIRST_PAGE_LINES, PAGE_LINES = 26, 44  # lines of the long list's text on a landscape A4 page
ZERO = Decimal(0)
ORIGIN = "China"


@dataclass(frozen=True)
class Packed:
    """One line of goods in cartons: C/No. `first`–`last`, the last holding `last_carton` units."""

    order_line: object
    quantity: Decimal
    per_carton: int
    cartons: int
    first: int
    last: int
    last_carton: Decimal
    net_kg: Decimal
    gross_kg: Decimal
    cbm: Decimal

    @property
    def product(self):
        return self.order_line.product

    @property
    def order(self):
        return self.order_line.order

    @property
    def part_filled(self) -> bool:
        return self.last_carton != self.per_carton

    @property
    def carton_range(self) -> str:
        return f"{self.first}–{self.last}" if self.last != self.first else str(self.first)


@dataclass(frozen=True)
class Packing:
    lines: list[Packed]
    cartons: int
    quantity: Decimal
    net_kg: Decimal
    gross_kg: Decimal
    cbm: Decimal


def goods_of(shipment, loaded: list) -> list[tuple[object, Decimal]]:
    """The shipment's goods in line order, with their order lines, orders and products read at once: once
    containers are loaded (`loaded_rows`), what went into them — the documents then agree with the loading
    records."""
    if not loaded:
        return [(line.order_line, line.quantity) for line in shipment.lines.select_related(
            "order_line__order__customer", "order_line__order__payment_term", "order_line__product").order_by("pk")]
    totals: dict[int, list] = {}
    for row in sorted(loaded, key=lambda r: r.shipment_line_id):
        totals.setdefault(row.shipment_line_id, [row.shipment_line.order_line, ZERO])[1] += row.quantity
    return [(order_line, quantity) for order_line, quantity in totals.values()]


def loaded_rows(shipment) -> list:
    """What went into each container (LoadedLine rows), container by container in loading order."""
    from gendan.shipping.models import LoadedLine

    return list(LoadedLine.objects.filter(container__shipment=shipment).select_related(
        "container", "shipment_line__order_line__order__customer", "shipment_line__order_line__order__payment_term",
        "shipment_line__order_line__product").order_by("container__loaded_on", "container__pk", "shipment_line__pk"))


def check_loaded_cartons(loaded: list) -> None:
    """The loading records must agree with the cartons the documents number: each container's cartons hold its
    quantity, and a line has at most one part-filled carton in all its containers. Refused naming the line."""
    errors, lines = [], {}
    for row in loaded:
        lines.setdefault(row.shipment_line_id, []).append(row)
    for rows in lines.values():
        order_line = rows[0].shipment_line.order_line
        per_carton = order_line.product.units_per_carton
        if not per_carton:
            continue  # check_packaging names the product
        quantity, cartons = sum((r.quantity for r in rows), ZERO), sum(r.cartons for r in rows)
        if cartons != math.ceil(quantity / per_carton) or any(r.quantity > r.cartons * per_carton for r in rows):
            errors.append(_(
                "%(order)s line %(line)s: the containers hold %(quantity)s in %(cartons)s cartons, but at %(per)s a "
                "carton that is %(needed)s cartons. Correct the loading records (%(containers)s) or the product's "
                "units per carton.") % {
                "order": order_line.order.number, "line": order_line.position, "quantity": plain(quantity),
                "cartons": cartons, "per": per_carton, "needed": math.ceil(quantity / per_carton),
                "containers": ", ".join(r.container.container_number for r in rows)})
    if errors:
        raise ValidationError({"containers": errors})


def container_groups(loaded: list, packing_: Packing) -> list[dict]:
    """The packing list per container: each line's cartons keep the numbers the shipment gives them (as printed on
    the cartons), each container taking the next of them in loading order; subtotals per container."""
    by_line = {packed.order_line.pk: packed for packed in packing_.lines}
    next_carton = {pk: packed.first for pk, packed in by_line.items()}
    groups = []
    for container, rows in groupby(loaded, key=lambda r: r.container):
        lines = [_part(by_line[row.shipment_line.order_line_id], row, next_carton) for row in rows]
        groups.append({"container": container, "lines": lines, "cartons": sum(p.cartons for p in lines),
                       "quantity": sum((p.quantity for p in lines), ZERO),
                       "net_kg": sum((p.net_kg for p in lines), ZERO),
                       "gross_kg": sum((p.gross_kg for p in lines), ZERO), "cbm": sum((p.cbm for p in lines), ZERO)})
    return groups


def _part(line: Packed, row, next_carton: dict) -> Packed:
    first = next_carton[line.order_line.pk]
    next_carton[line.order_line.pk] = first + row.cartons
    product = line.product
    return Packed(order_line=line.order_line, quantity=row.quantity, per_carton=line.per_carton, cartons=row.cartons,
                  first=first, last=first + row.cartons - 1,
                  last_carton=row.quantity - line.per_carton * (row.cartons - 1),
                  net_kg=product.net_weight_kg * row.cartons, gross_kg=product.gross_weight_kg * row.cartons,
                  cbm=_cbm(product, row.cartons))


def _cbm(product, cartons: int) -> Decimal:
    volume = product.carton_length_cm * product.carton_width_cm * product.carton_height_cm / 1_000_000
    return (volume * cartons).quantize(CBM, ROUND_HALF_UP)


def check_packaging(goods: Iterable[tuple[object, Decimal]]) -> None:
    """Refuse goods whose product lacks the carton data a packing list prints, or weighs more net than gross."""
    errors = {}
    for index, (order_line, _quantity) in enumerate(goods):
        product = order_line.product
        where = {"order": order_line.order.number, "line": order_line.position, "product": product.code}
        if not (product.units_per_carton and product.carton_length_cm and product.carton_width_cm
                and product.carton_height_cm and product.net_weight_kg and product.gross_weight_kg):
            errors[f"lines.{index}"] = _(
                "%(order)s line %(line)s: product %(product)s lacks its packaging data (units per carton, carton "
                "size, net and gross weight): complete the product first.") % where
        elif product.net_weight_kg > product.gross_weight_kg:
            errors[f"lines.{index}"] = _(
                "%(order)s line %(line)s: product %(product)s weighs more net than gross per carton: correct the "
                "product's weights.") % where
    if errors:
        raise ValidationError(errors)


def packing(goods: Iterable[tuple[object, Decimal]], first_carton: int = 1) -> Packing:
    """Carton numbers run on from `first_carton` across the goods in their order: no overlap, no gap."""
    lines, number = [], first_carton
    for order_line, quantity in goods:
        product = order_line.product
        per_carton = product.units_per_carton
        cartons = math.ceil(quantity / per_carton)
        lines.append(Packed(
            order_line=order_line, quantity=quantity, per_carton=per_carton, cartons=cartons, first=number,
            last=number + cartons - 1, last_carton=quantity - per_carton * (cartons - 1),
            net_kg=product.net_weight_kg * cartons, gross_kg=product.gross_weight_kg * cartons,
            cbm=_cbm(product, cartons)))
        number += cartons
    return Packing(lines, cartons=number - first_carton, quantity=sum((p.quantity for p in lines), ZERO),
                   net_kg=sum((p.net_kg for p in lines), ZERO), gross_kg=sum((p.gross_kg for p in lines), ZERO),
                   cbm=sum((p.cbm for p in lines), ZERO))


# ---------------------------------------------------------------- shared by the four documents


def plain(value: Decimal) -> str:
    """1000.000 → 1,000; 12.50 → 12.5."""
    return format(value.normalize(), ",f")


def weight(value: Decimal) -> str:
    return f"{value:,.2f}"


def orders_of(packed: list[Packed]) -> list:
    seen = {}
    for line in packed:
        seen.setdefault(line.order.pk, line.order)
    return list(seen.values())


def destination(shipment, orders: list) -> str:
    """The port the booking names, else the named place of the orders' Incoterm."""
    booking = getattr(shipment, "booking", None)
    port = getattr(booking, "port_of_discharge", "") if booking is not None else ""
    return str(port) if port else " / ".join(dict.fromkeys(o.incoterm_place for o in orders if o.incoterm_place))


def loading_port(shipment) -> str:
    booking = getattr(shipment, "booking", None)
    port = getattr(booking, "port_of_loading", "") if booking is not None else ""
    return str(port) if port else ""


def _name(product, language: str) -> str:
    return product.name_zh if language.startswith("zh") and product.name_zh else product.name_en


def _buyer(customer, language: str) -> str:
    return customer.name_zh if language.startswith("zh") and customer.name_zh else customer.name_en


def _marks_blocks(orders: list, packed: list[Packed]) -> list[dict]:
    """Per order: its marks and the carton range its goods take (C/NO. a–b, as numbered on this document)."""
    blocks = []
    for order in orders:
        mine = [line for line in packed if line.order.pk == order.pk]
        blocks.append({"order": order, "marks": order.shipping_marks.strip() or "N/M",
                       "first": min(line.first for line in mine), "last": max(line.last for line in mine),
                       "cartons": sum(line.cartons for line in mine)})
    return blocks


def _header(shipment, packed: list[Packed], language: str) -> dict:
    orders = orders_of(packed)
    return {"shipment": shipment, "orders": orders, "document_date": shipment.shipped_on or timezone.localdate(),
            "buyer_name": _buyer(shipment.customer, language), "destination": destination(shipment, orders),
            "port_of_loading": loading_port(shipment),
            "po_numbers": ", ".join(dict.fromkeys(o.customer_po for o in orders if o.customer_po)) or "—",
            "order_numbers": ", ".join(o.number for o in orders)}


# ---------------------------------------------------------------- packing list


def packing_list_context(shipment, packing_: Packing, language: str, groups: list[dict] | None = None) -> dict:
    """The list per line; once containers are loaded, per container (its number, seal and type above its lines,
    its subtotal below), the carton numbers running on across containers."""
    if groups:
        rows = []
        for group in groups:
            box = group["container"]
            rows.append({"heading": _("Container %(number)s · seal %(seal)s · %(type)s") % {
                "number": box.container_number, "seal": box.seal_number, "type": box.container_type}})
            rows += [_pl_row(line, language) for line in group["lines"]]
            rows.append(_pl_total(_("Subtotal"), group["cartons"], group["quantity"], group["net_kg"],
                                  group["gross_kg"], group["cbm"]))
    else:
        rows = [_pl_row(line, language) for line in packing_.lines]
    totals = _pl_total(_("Total"), packing_.cartons, packing_.quantity, packing_.net_kg, packing_.gross_kg,
                       packing_.cbm)
    long_list = _text_table(rows, totals) if len(rows) > LONG_LIST else None
    return {**_header(shipment, packing_.lines, language), "title": _("PACKING LIST"), "subtitle": "装箱单",
            "rows": [] if long_list else rows, "long_list": long_list,
            "marks": _marks_blocks(orders_of(packing_.lines), packing_.lines),
            "total_cartons": packing_.cartons, "total_quantity": plain(packing_.quantity),
            "total_net": weight(packing_.net_kg), "total_gross": weight(packing_.gross_kg),
            "total_cbm": f"{packing_.cbm:,.3f}",
            "words": cartons_in_chinese(packing_.cartons) if language.startswith("zh")
            else cartons_in_english(packing_.cartons)}


def _pl_row(line: Packed, language: str) -> dict:
    return {
        "range": line.carton_range, "order": line.order.number, "code": line.product.code,
        "item_no": line.order_line.customer_item_no, "description": line.order_line.description or _name(
            line.product, language),
        "per_carton": line.per_carton, "cartons": line.cartons, "quantity": plain(line.quantity),
        "unit": line.order_line.get_unit_display(),
        "last_carton": plain(line.last_carton) if line.part_filled else "",
        "net": weight(line.net_kg), "gross": weight(line.gross_kg), "cbm": f"{line.cbm:,.3f}",
        "size": line.product.carton_size, "net_each": weight(line.product.net_weight_kg),
        "gross_each": weight(line.product.gross_weight_kg)}


def _pl_total(label: str, cartons: int, quantity: Decimal, net: Decimal, gross: Decimal, cbm: Decimal) -> dict:
    return {"range": label, "order": "", "code": "", "description": "", "per_carton": "", "cartons": cartons,
            "quantity": plain(quantity), "unit": "", "net": weight(net), "gross": weight(gross),
            "cbm": f"{cbm:,.3f}", "subtotal": True}


def _text_table(rows: list[dict], totals: dict) -> dict:
    """The packing list's table as lines of monospaced text, columns padded to their display width (a Chinese
    character takes two), a long description wrapped onto the lines below."""
    columns = [(_("C/No."), "range", 11, "<"), (_("Order"), "order", 14, "<"), (_("Our item"), "code", 14, "<"),
               (_("Description"), "description", 34, "<"), (_("Qty/ctn"), "per_carton", 7, ">"),
               (_("Cartons"), "cartons", 7, ">"), (_("Quantity"), "quantity", 14, ">"),
               (_("N.W. (kg)"), "net", 11, ">"), (_("G.W. (kg)"), "gross", 11, ">"), ("CBM", "cbm", 8, ">")]

    def line(cells: list[str]) -> str:
        return "  ".join(_pad(text, width, align)
                         for text, (_h, _k, width, align) in zip(cells, columns, strict=True)).rstrip()

    def lines_of(row: dict) -> list[str]:
        if row.get("heading"):
            return ["", row["heading"]]
        if row.get("subtotal"):
            return [line([str(row[key]) for _h, key, _w, _a in columns])]
        description = row["description"] + (f" ({_('last carton %(quantity)s') % {'quantity': row['last_carton']}})"
                                             if row.get("last_carton") else "")
        wrapped = _wrap(description, columns[3][2]) or [""]
        values = {**row, "range": row["range"].replace("–", "-"),
                  "quantity": f"{row['quantity']} {row['unit']}".strip()}
        first = line([str(values[key]) if key != "description" else wrapped[0] for _h, key, _w, _a in columns])
        more = [line(["", "", "", text, "", "", "", "", "", ""]) for text in wrapped[1:]]
        return [first, *more]

    rule = "-" * (sum(width for *_rest, width, _a in columns) + 2 * (len(columns) - 1))
    body = [text for row in rows for text in lines_of(row)]
    # one block of text a page, each under the column headers (the first page has the parties above it)
    chunks = [body[:FIRST_PAGE_LINES]] + [body[start:start + PAGE_LINES]
                                          for start in range(FIRST_PAGE_LINES, len(body), PAGE_LINES)]
    return {"header": line([str(header) for header, *_rest in columns]), "rule": rule, "lines": body,
            "chunks": ["\n".join(chunk) for chunk in chunks if chunk],
            "total": line([str(totals[key]) for _h, key, _w, _a in columns])}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, align: str) -> str:
    while _width(text) > width:  # a code or number longer than its column: cut, never shift the columns
        text = text[:-1]
    space = " " * (width - _width(text))
    return text + space if align == "<" else space + text


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _width(word) > width:  # Chinese has no spaces: break where the column ends
            cut = next(i for i in range(len(word), 0, -1) if _width(word[:i]) <= width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    return [*lines, current] if current else lines


PL_COLUMNS = [
    (gettext_lazy("C/No."), lambda r: r["range"]),
    (gettext_lazy("Order"), lambda r: r["order"]),
    (gettext_lazy("Our item"), lambda r: r["code"]),
    (gettext_lazy("Description"), lambda r: r["description"]),
    (gettext_lazy("Qty per carton"), lambda r: r["per_carton"]),
    (gettext_lazy("Cartons"), lambda r: r["cartons"]),
    (gettext_lazy("Quantity"), lambda r: r["quantity"]),
    (gettext_lazy("N.W. (kg)"), lambda r: r["net"]),
    (gettext_lazy("G.W. (kg)"), lambda r: r["gross"]),
    ("CBM", lambda r: r["cbm"]),
]


def packing_list_workbook(shipment, packing_: Packing, language: str) -> bytes:
    rows = [{"range": line.carton_range, "order": line.order.number, "code": line.product.code,
             "description": line.order_line.description or _name(line.product, language),
             "per_carton": line.per_carton, "cartons": line.cartons, "quantity": line.quantity,
             "net": line.net_kg, "gross": line.gross_kg, "cbm": line.cbm} for line in packing_.lines]
    rows.append({"range": _("Total"), "order": "", "code": "", "description": "", "per_carton": None,
                 "cartons": packing_.cartons, "quantity": packing_.quantity, "net": packing_.net_kg,
                 "gross": packing_.gross_kg, "cbm": packing_.cbm})
    return workbook_bytes(rows, _columns(PL_COLUMNS), title=shipment.number)


def _columns(columns):
    """Headers translated now (in the document's language), not when the module was imported."""
    return [(str(header), getter) for header, getter in columns]


# ---------------------------------------------------------------- commercial invoice


def currency_of(goods) -> str:
    currencies = sorted({order_line.order.currency for order_line, _quantity in goods})
    if len(currencies) != 1:
        raise ValidationError({"lines": _("The shipment's orders are in %(currencies)s: one commercial invoice "
                                          "is in one currency.") % {"currencies": ", ".join(currencies)}})
    return currencies[0]


def invoice_amounts(packed: list[Packed], currency: str) -> list[Decimal]:
    """Each line's amount: quantity × unit price, rounded half-up to the currency's minor unit."""
    return [round_amount(line.quantity * line.order_line.unit_price, currency) for line in packed]


def payments(orders: list, invoiced: dict[int, Decimal], currency: str) -> list[dict]:
    """Per order, what its terms ask before this invoice: the deposit received (only where the terms have a
    deposit) and other money received, credited to this invoice in proportion to the share of the order it
    bills (so the shipments of an order credit its money once in all); the balance due on this invoice."""
    schedule = settling_lines([order.pk for order in orders])
    rows = []
    for order in orders:
        lines = [line for line in schedule if line.order_id == order.pk]
        deposit = sum((line.received for line in lines if line.kind == ScheduleKind.DEPOSIT), ZERO)
        other = sum((line.received for line in lines if line.kind != ScheduleKind.DEPOSIT), ZERO)
        amount = invoiced[order.pk]
        share = amount / order.total_amount if order.total_amount else Decimal(1)
        credited = min(amount, round_amount((deposit + other) * share, currency))
        rows.append({"order": order, "has_deposit": bool(order.deposit_percent), "amount": amount,
                     "deposit": deposit, "other": other, "credited": credited, "due": amount - credited})
    return rows


def invoice_context(shipment, packing_: Packing, language: str, currency: str) -> dict:
    places = minor_units(currency)
    money = lambda value: f"{value:,.{places}f}"  # noqa: E731
    amounts = invoice_amounts(packing_.lines, currency)
    total = sum(amounts, ZERO)
    invoiced: dict[int, Decimal] = {}
    for line, amount in zip(packing_.lines, amounts, strict=True):
        invoiced[line.order.pk] = invoiced.get(line.order.pk, ZERO) + amount
    orders = orders_of(packing_.lines)
    paid = payments(orders, invoiced, currency)
    credited = sum((row["credited"] for row in paid), ZERO)
    first_of_order, rows, country = set(), [], origin()
    for line, amount in zip(packing_.lines, amounts, strict=True):
        marks = "" if line.order.pk in first_of_order else (line.order.shipping_marks.strip() or "N/M")
        first_of_order.add(line.order.pk)
        rows.append({"marks": marks, "range": line.carton_range, "order": line.order.number,
                     "code": line.product.code, "item_no": line.order_line.customer_item_no,
                     "description": line.order_line.description or _name(line.product, language),
                     "hs_code": line.product.hs_code, "origin": country,
                     "quantity": plain(line.quantity), "unit": line.order_line.get_unit_display(),
                     "unit_price": _price(line.order_line.unit_price, currency), "amount": money(amount)})
    return {
        **_header(shipment, packing_.lines, language), "title": _("COMMERCIAL INVOICE"), "subtitle": "商业发票",
        "rows": rows, "currency": currency, "total": money(total), "total_quantity": plain(packing_.quantity),
        "total_cartons": packing_.cartons, "total_value": total,
        "words_en": in_english(total, currency), "words_zh": in_chinese_capitals(total) if currency == "CNY" else "",
        "terms": _invoice_terms(orders), "origin": country,
        "payments": [{**row, "amount": money(row["amount"]), "deposit": money(row["deposit"]),
                      "other": money(row["other"]) if row["other"] else "", "credited": money(row["credited"]),
                      "due": money(row["due"])} for row in paid],
        "show_credit": any(row["credited"] for row in paid) or any(row["has_deposit"] for row in paid),
        "credited": money(credited), "balance_due": money(total - credited), "balance_value": total - credited,
    }


def origin() -> str:
    """China, unless the company profile one day names another country."""
    company = CompanyProfile.objects.filter(pk=CompanyProfile.ROW).first()
    return getattr(company, "country", "") or _(ORIGIN)


def _invoice_terms(orders: list) -> list[tuple[str, str]]:
    terms = []
    for order in orders:
        clause = BALANCE_CLAUSES[order.balance_condition](order.balance_days)
        payment = (_("%(pct)s%% deposit by T/T, balance %(clause)s") % {
            "pct": format(order.deposit_percent.normalize(), "f"), "clause": clause} if order.deposit_percent
            else _("100%% %(clause)s") % {"clause": clause})
        terms.append((order.number, f"{order.incoterm} {order.incoterm_place} (Incoterms® 2020) · {payment}"))
    return terms


def _price(value: Decimal, currency: str) -> str:
    places = max(minor_units(currency), -value.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"


CI_COLUMNS = [
    (gettext_lazy("Order"), lambda r: r["order"]),
    (gettext_lazy("Our item"), lambda r: r["code"]),
    (gettext_lazy("Description"), lambda r: r["description"]),
    (gettext_lazy("HS code"), lambda r: r["hs_code"]),
    (gettext_lazy("Origin"), lambda r: r["origin"]),
    (gettext_lazy("Quantity"), lambda r: r["quantity"]),
    (gettext_lazy("Unit"), lambda r: r["unit"]),
    (gettext_lazy("Unit price"), lambda r: r["unit_price"]),
    (gettext_lazy("Amount"), lambda r: r["amount"]),
]


def invoice_workbook(shipment, packing_: Packing, language: str, currency: str) -> bytes:
    amounts, country = invoice_amounts(packing_.lines, currency), origin()
    rows = [{"order": line.order.number, "code": line.product.code,
             "description": line.order_line.description or _name(line.product, language),
             "hs_code": line.product.hs_code, "origin": country, "quantity": line.quantity,
             "unit": line.order_line.get_unit_display(), "unit_price": line.order_line.unit_price, "amount": amount}
            for line, amount in zip(packing_.lines, amounts, strict=True)]
    rows.append({"order": _("Total"), "code": "", "description": "", "hs_code": "", "origin": "",
                 "quantity": packing_.quantity, "unit": "", "unit_price": None, "amount": sum(amounts, ZERO)})
    return workbook_bytes(rows, _columns(CI_COLUMNS), title=shipment.number)


# ---------------------------------------------------------------- marks and the warehouse notice


def marks_context(shipment, packing_: Packing, language: str) -> dict:
    return {**_header(shipment, packing_.lines, language), "title": _("SHIPPING MARKS"), "subtitle": "唛头",
            "blocks": _marks_blocks(orders_of(packing_.lines), packing_.lines), "total_cartons": packing_.cartons}


def notice_context(shipment, packing_: Packing) -> dict:
    """出货通知, always in Chinese: what the warehouse loads, and how the cartons are marked."""
    rows = [{"order": line.order.number, "code": line.product.code, "name": line.product.name_zh
             or line.product.name_en, "quantity": plain(line.quantity), "unit": line.order_line.get_unit_display(),
             "cartons": line.cartons, "range": line.carton_range, "per_carton": line.per_carton,
             "last_carton": plain(line.last_carton) if line.part_filled else ""} for line in packing_.lines]
    return {**_header(shipment, packing_.lines, "zh-hans"), "title": "出货通知", "subtitle": "SHIPPING NOTICE",
            "rows": rows, "blocks": _marks_blocks(orders_of(packing_.lines), packing_.lines),
            "mode": shipment.get_mode_display(), "total_cartons": packing_.cartons,
            "total_quantity": plain(packing_.quantity), "total_gross": weight(packing_.gross_kg),
            "total_cbm": f"{packing_.cbm:,.3f}", "words": cartons_in_chinese(packing_.cartons)}
