"""The export VAT refund checklist of an order (出口退税单证): which papers the tax office wants, which are
uploaded, and the ZIP finance hands over with the refund declaration. A trading company needs each factory's
purchase contract and VAT invoice (the refund is worked out from them); a manufacturer does not."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from gendan.core.models import CompanyType
from gendan.core.selectors import company_profile
from gendan.finance.choices import PER_FACTORY, PaperKind
from gendan.finance.models import RefundPaper
from gendan.parties.models import Supplier


@dataclass
class Item:
    kind: str
    supplier: Supplier | None = None
    papers: list[RefundPaper] = field(default_factory=list)

    @property
    def label(self) -> str:
        name = PaperKind(self.kind).label
        return f"{name} · {self.supplier.name_zh or self.supplier.code}" if self.supplier else str(name)

    @property
    def present(self) -> bool:
        return bool(self.papers)


def factories_of(order) -> list[Supplier]:
    """The factories whose goods the order ships: its products' default suppliers."""
    return list(Supplier.objects.filter(pk__in=order.lines.values("product__default_supplier")).order_by("code"))


def checklist(order) -> list[Item]:
    papers = list(order.refund_papers.select_related("supplier", "uploaded_by"))
    trading = company_profile().company_type == CompanyType.TRADING
    factories = factories_of(order)
    items = []
    for kind in PaperKind.values:
        if kind not in PER_FACTORY:
            items.append(Item(kind, None, [p for p in papers if p.kind == kind]))
        elif trading:
            for supplier in factories or [None]:
                items.append(Item(kind, supplier, [p for p in papers if p.kind == kind
                                                   and p.supplier_id == (supplier.pk if supplier else None)]))
    listed = {p.pk for item in items for p in item.papers}
    for paper in papers:  # uploaded for a factory no longer on the order: still shown, never lost
        if paper.pk not in listed:
            items.append(Item(paper.kind, paper.supplier, [paper]))
    return items


def checklist_zip(order, items: list[Item]) -> bytes:
    """Every uploaded paper, in a folder per checklist item, and CHECKLIST.txt saying what is there and what is
    missing (the tax office's list, ticked)."""
    buffer = io.BytesIO()
    lines = [_("Export VAT refund papers of %(order)s") % {"order": order.number}, ""]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, item in enumerate(items, start=1):
            folder = f"{index:02d}-{item.kind}" + (f"-{item.supplier.code}" if item.supplier else "")
            lines.append(f"[{'x' if item.present else ' '}] {item.label}")
            for paper in item.papers:
                name = PurePosixPath(paper.file.name).name
                with paper.file.open("rb") as handle:
                    archive.writestr(f"{folder}/{name}", handle.read())
                lines.append(f"      {folder}/{name}")
        archive.writestr("CHECKLIST.txt", "\n".join(lines) + "\n")
    return buffer.getvalue()
