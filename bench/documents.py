"""Benchmark of the documents pipeline, on a throw-away database it sets up itself.

    python -m bench.documents [--lines 20] [--samples 15] [--database-url URL] [--keep]

Makes an order of N lines through the services and times making its proforma invoice and its PDF:
`sales_document_generate` (the order read, the HTML rendered, the version row written) and `document_render`
(WeasyPrint's PDF, Noto Sans CJK subset, the file stored) — the worker's job, or the first download's, and what
a user who opens the PDF at once waits for. Each sample changes the
order's PO number first, so every sample makes a new version (an unchanged order returns the latest at once).
Baseline in the same run: the same HTML with no PDF made (render only), so the PDF's own share shows. After
the first PI the objects made at start-up are frozen out of the garbage collector, as the web and worker
processes do once started: without it, collections scanning WeasyPrint's font tables spread the timings
from 270 to 550 ms.
Then a shipment's documents through `shipment_document_generate`: the commercial invoice and the packing list of
a 20-line shipment, and the packing list of a 1,000-line shipment (each sample changes one shipped quantity, so
every sample makes a new version).
The last output line is JSON: lines, pi_pdf_ms (median), pi_pdf_ms_p95, render_only_ms, pdf_bytes, pages,
pdf_ci_ms, pdf_pl_ms, pdf_pl_1000_lines_ms (medians) and pl_1000_lines_pages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta

from bench.cockpit import p95, timed_ms
from bench.order_pipeline import lines_for, make_company, say, start_django, throwaway_database


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=20, choices=range(1, 1001), metavar="1..1000")
    parser.add_argument("--samples", type=int, default=15, choices=range(1, 201), metavar="1..200")
    parser.add_argument("--big-samples", type=int, default=3, choices=range(1, 21), metavar="1..20",
                        help="samples of the 1,000-line packing list")
    parser.add_argument("--database-url", help="postgres://… server to create the throw-away database on")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args(argv)
    with throwaway_database(args.database_url, args.keep, name="gendan_bench_documents") as (url, label):
        start_django(url)
        from django.conf import settings

        settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="gendan-bench-media-")
        result = {"database": label, "lines": args.lines, **measure(args.lines, args.samples),
                  **measure_shipment_documents(args.samples, args.big_samples)}
    print(json.dumps(result), flush=True)
    return result


def measure(line_count: int, samples: int) -> dict:
    from django.utils import timezone, translation

    from gendan.core.models import CompanyProfile
    from gendan.core.runtime import freeze_startup_objects
    from gendan.documents import render, sales_documents
    from gendan.documents.choices import DocumentKind
    from gendan.documents.services import document_render, sales_document_generate
    from gendan.finance.models import BankAccount
    from gendan.sales.services import order_create

    sales, _manager, customer, products = make_company(line_count)
    CompanyProfile.objects.update_or_create(pk=CompanyProfile.ROW, defaults={
        "name_zh": "宁波恒泰五金厨具进出口有限公司", "name_en": "Ningbo Hengtai Hardware & Kitchenware Co., Ltd.",
        "address_en": "88 Zhongshan Road, Ningbo, China"})
    BankAccount.objects.create(name="BOC USD", beneficiary="Ningbo Hengtai", bank_name="Bank of China",
                               account_no="3583 5820 1234", swift="BKCHCNBJ92A", currency="USD")
    today = timezone.localdate()
    order = order_create(by=sales, customer=customer, lines=lines_for(products, line_count), order_date=today,
                         requested_ex_factory=today + timedelta(days=45), incoterm="FOB", incoterm_place="Ningbo",
                         currency="USD", deposit_percent=30, balance_condition="against_copy_bl")
    counter = iter(range(10**6))
    made = []

    def one_pi():
        order.customer_po = f"PO-{next(counter)}"
        order.save(update_fields=["customer_po"])
        document, _made = sales_document_generate(kind=DocumentKind.PROFORMA_INVOICE, order=order, by=sales)
        made.append(document_render(document))

    def render_only():
        with translation.override("en"):
            context = sales_documents.context(DocumentKind.PROFORMA_INVOICE, order, "en", 7,
                                              sales_documents.bank_for("USD"))
            render.html_of("documents/sales_document.html", {**render.letterhead(), **context, "number": "PI-X",
                                                             "version": 1, "kind": DocumentKind.PROFORMA_INVOICE})

    started = time.perf_counter()
    one_pi()
    say(f"first PI of the process (fonts loaded): {(time.perf_counter() - started) * 1000:.0f} ms")
    freeze_startup_objects()  # as gendan.wsgi and `gendan worker` do once started (WeasyPrint's fonts are loaded)
    pi_ms = timed_ms(one_pi, samples)
    baseline = timed_ms(render_only, samples)
    last = made[-1]
    pages = _pages(last.pdf.path)
    say(f"PI of {line_count} lines, made and stored: median {statistics.median(pi_ms):.0f} ms, "
        f"p95 {p95(pi_ms):.0f} ms; the HTML alone {statistics.median(baseline):.1f} ms; "
        f"{last.pdf.size / 1024:.0f} KB, {pages} pages, version {last.version}")
    return {"pi_pdf_ms": round(statistics.median(pi_ms), 1), "pi_pdf_ms_p95": round(p95(pi_ms), 1),
            "render_only_ms": round(statistics.median(baseline), 1), "pdf_bytes": last.pdf.size, "pages": pages}


def measure_shipment_documents(samples: int, big_samples: int) -> dict:
    """CI and PL of a 20-line shipment, and a 1,000-line PL; run after `measure` (fonts loaded, the company
    made)."""
    from gendan.accounts.models import User
    from gendan.catalog.models import Product
    from gendan.documents.choices import DocumentKind
    from gendan.parties.models import Customer

    customer = Customer.objects.get(code="BENCH-US")
    products = list(Product.objects.order_by("pk"))
    shipper = User.objects.create_superuser(username="bench-shipping", password="bench", full_name="bench-shipping")
    small, big = _shipment(customer, products, 20), _shipment(customer, products, 1000)
    ci_ms = timed_ms(_one(small, DocumentKind.COMMERCIAL_INVOICE, shipper), samples)
    pl_ms = timed_ms(_one(small, DocumentKind.PACKING_LIST, shipper), samples)
    make_big, made = _one(big, DocumentKind.PACKING_LIST, shipper), []
    big_ms = []
    for _ in range(big_samples):
        started = time.perf_counter()
        made.append(make_big())
        big_ms.append((time.perf_counter() - started) * 1000)
    pages = _pages(made[-1].pdf.path)
    say(f"20-line shipment: CI median {statistics.median(ci_ms):.0f} ms, PL median {statistics.median(pl_ms):.0f} "
        f"ms; 1,000-line PL median {statistics.median(big_ms):.0f} ms ({pages} pages)")
    return {"pdf_ci_ms": round(statistics.median(ci_ms), 1), "pdf_pl_ms": round(statistics.median(pl_ms), 1),
            "pdf_pl_1000_lines_ms": round(statistics.median(big_ms), 1), "pl_1000_lines_pages": pages}


def _shipment(customer, products, line_count: int):
    """An order of `line_count` lines and a draft shipment of all of it, written directly (the documents do not
    look at how the goods became ready)."""
    from django.db import transaction
    from django.utils import timezone

    from gendan.core.bulk import insert_with_history
    from gendan.core.numbering import next_number
    from gendan.sales.services import order_create
    from gendan.shipping.models import Shipment, ShipmentLine

    sales = customer.owner
    today = timezone.localdate()
    order = order_create(by=sales, customer=customer, lines=lines_for(products, line_count), order_date=today,
                         requested_ex_factory=today + timedelta(days=45), incoterm="FOB", incoterm_place="Ningbo",
                         currency="USD", deposit_percent=30, balance_condition="against_copy_bl",
                         shipping_marks="BENCH\nNEW YORK\nC/NO. 1-UP")
    with transaction.atomic():
        shipment = Shipment(number=next_number("SH", on=today), customer=customer, created_by=sales)
        insert_with_history([shipment], by=sales)
        insert_with_history([ShipmentLine(shipment=shipment, order_line=line, quantity=line.quantity)
                             for line in order.lines.order_by("position")], by=sales)
    return shipment


def _one(shipment, kind: str, by):
    """Make the document after changing the first line's quantity by one unit (up and down in turn)."""
    from gendan.documents.services import document_render, shipment_document_generate

    line = shipment.lines.order_by("pk").first()
    steps = iter(range(10**6))

    def make():
        line.quantity += 1 if next(steps) % 2 == 0 else -1
        line.save(update_fields=["quantity"])
        document, made = shipment_document_generate(kind=kind, shipment=shipment, by=by)
        assert made, "every sample makes a new version"
        return document_render(document)

    return make


def _pages(path: str) -> int:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


if __name__ == "__main__":
    main()
