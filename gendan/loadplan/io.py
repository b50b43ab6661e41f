"""Reading cargo lines from CSV, XLSX or JSON.

Header row (case-insensitive; only the first five columns are required):

    reference, length_mm, width_mm, height_mm, count, weight_kg, orientation, stackable,
    max_load_kg, bottom_only, unloading_group, description

orientation: any | this side up | lengthwise | upright:H,W (the carton dimensions allowed to
stand upright).  stackable / bottom_only: yes/no, true/false, 1/0.  Empty cells take the defaults
(weight 0, any orientation, stackable, no load limit, not bottom-only, unloading group 1).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .model import CargoLine, LoadPlanError, OrientationRule

COLUMNS = ("reference", "length_mm", "width_mm", "height_mm", "count", "weight_kg", "orientation",
           "stackable", "max_load_kg", "bottom_only", "unloading_group", "description")
REQUIRED = COLUMNS[:5]
ALIASES = {
    "ref": "reference", "line": "reference", "length": "length_mm", "width": "width_mm",
    "height": "height_mm", "l": "length_mm", "w": "width_mm", "h": "height_mm", "qty": "count",
    "cartons": "count", "quantity": "count", "weight": "weight_kg", "gross_weight_kg": "weight_kg",
    "max_load": "max_load_kg", "group": "unloading_group", "stop": "unloading_group",
}

_TRUE = {"yes", "y", "true", "t", "1", "x"}
_FALSE = {"no", "n", "false", "f", "0"}


def _norm(h) -> str:
    k = str(h or "").strip().lower().replace(" ", "_").replace("(", "").replace(")", "")
    return ALIASES.get(k, k)


def _int(v, what, where):
    if isinstance(v, bool):
        raise LoadPlanError(f"{where}: {what} {v!r} is not a whole number")
    if isinstance(v, int):
        return v
    try:
        f = float(str(v).strip().replace(",", ""))
    except ValueError:
        raise LoadPlanError(f"{where}: {what} {v!r} is not a number") from None
    if f != int(f):
        raise LoadPlanError(f"{where}: {what} {v!r} must be a whole number")
    return int(f)


def _float(v, what, where, default=None):
    if v is None or str(v).strip() == "":
        return default
    try:
        return float(str(v).strip().replace(",", ""))
    except ValueError:
        raise LoadPlanError(f"{where}: {what} {v!r} is not a number") from None


def _bool(v, what, where, default):
    if v is None or str(v).strip() == "":
        return default
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise LoadPlanError(f"{where}: {what} {v!r} should be yes or no")


def line_from_record(rec: dict, where: str) -> CargoLine:
    rec = {_norm(k): v for k, v in rec.items() if k is not None}
    for col in REQUIRED:
        if rec.get(col) is None or str(rec.get(col)).strip() == "":
            raise LoadPlanError(f"{where}: missing {col}")
    ref = str(rec["reference"]).strip()
    where = f"{where} ({ref!r})"
    try:
        orientation = OrientationRule.parse(None if rec.get("orientation") is None else str(rec["orientation"]))
    except LoadPlanError as e:
        raise LoadPlanError(f"{where}: {e}") from None
    group = rec.get("unloading_group")
    return CargoLine(
        reference=ref,
        length=_int(rec["length_mm"], "length", where),
        width=_int(rec["width_mm"], "width", where),
        height=_int(rec["height_mm"], "height", where),
        count=_int(rec["count"], "count", where),
        weight=_float(rec.get("weight_kg"), "weight", where, 0.0),
        orientation=orientation,
        stackable=_bool(rec.get("stackable"), "stackable", where, True),
        max_load=_float(rec.get("max_load_kg"), "max load", where, None),
        bottom_only=_bool(rec.get("bottom_only"), "bottom_only", where, False),
        unloading_group=1 if group is None or str(group).strip() == "" else _int(group, "unloading group", where),
        description=str(rec.get("description") or ""),
    )


def _from_rows(header, rows, first_row: int) -> list[CargoLine]:
    names = [_norm(h) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise LoadPlanError(f"row 1 (header): missing column(s) {', '.join(missing)}; "
                            f"expected {', '.join(COLUMNS)}")
    unknown = [h for h, n in zip(header, names, strict=True) if n and n not in COLUMNS]
    if unknown:
        raise LoadPlanError(f"row 1 (header): unknown column(s) {', '.join(map(str, unknown))}")
    lines = []
    for k, row in enumerate(rows):
        rownum = first_row + k
        cells = list(row)
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if len(cells) > len(names) and any(str(c).strip() for c in cells[len(names):] if c is not None):
            raise LoadPlanError(f"row {rownum}: more cells than header columns")
        rec = {n: (cells[i] if i < len(cells) else None) for i, n in enumerate(names) if n}
        lines.append(line_from_record(rec, f"row {rownum}"))
    return lines


def read_cargo(path: str | Path) -> list[CargoLine]:
    path = Path(path)
    if not path.exists():
        raise LoadPlanError(f"cargo file {path} not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        if not rows:
            raise LoadPlanError(f"{path}: empty file")
        return _from_rows(rows[0], rows[1:], 2)
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        wb.close()
        if not rows:
            raise LoadPlanError(f"{path}: empty sheet")
        header = [h for h in rows[0]]
        while header and (header[-1] is None or str(header[-1]).strip() == ""):
            header.pop()
        return _from_rows(header, rows[1:], 2)
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise LoadPlanError(f"{path}: not valid JSON ({e})") from None
        if isinstance(data, dict):
            data = data.get("lines", data.get("cargo"))
        if not isinstance(data, list):
            raise LoadPlanError(f"{path}: expected a list of cargo lines (or {{\"lines\": [...]}})")
        out = []
        for k, rec in enumerate(data):
            if not isinstance(rec, dict):
                raise LoadPlanError(f"line {k + 1}: expected an object")
            out.append(line_from_record(rec, f"line {k + 1}"))
        return out
    raise LoadPlanError(f"{path}: unsupported file type {suffix!r} (use .csv, .xlsx or .json)")
