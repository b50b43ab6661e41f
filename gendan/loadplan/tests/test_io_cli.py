"""Cargo files and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gendan.loadplan import LoadPlanError, read_cargo
from gendan.loadplan.__main__ import main

from .validator import validate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_csv_and_xlsx_examples_agree():
    a = read_cargo(EXAMPLES / "cargo.csv")
    b = read_cargo(EXAMPLES / "cargo.xlsx")
    assert [x.to_dict() for x in a] == [x.to_dict() for x in b]
    assert len(a) >= 5 and len({str(x.orientation) for x in a}) >= 3


def test_json_cargo(tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"lines": [{"reference": "A", "length_mm": 400, "width_mm": 300,
                                        "height_mm": 200, "count": 5, "orientation": "this side up"}]}))
    (line,) = read_cargo(f)
    assert line.count == 5 and str(line.orientation) == "this_side_up"


@pytest.mark.parametrize("row, message", [
    ("B,400,abc,200,5", "row 3 ('B'): width 'abc' is not a number"),
    ("B,400,300,200", "row 3: missing count"),
    ("B,400,300,200,5,1,sideways", "row 3 ('B'): unknown orientation rule"),
    ("B,400,300,200,5,1,any,maybe", "row 3 ('B'): stackable 'maybe' should be yes or no"),
])
def test_malformed_rows_name_the_row(tmp_path, row, message):
    f = tmp_path / "c.csv"
    f.write_text("reference,length_mm,width_mm,height_mm,count,weight_kg,orientation,stackable\n"
                 "A,400,300,200,5,1,any,yes\n" + row + "\n")
    with pytest.raises(LoadPlanError) as e:
        read_cargo(f)
    assert message in str(e.value)


def test_missing_header_column(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("reference,length_mm,width_mm,count\nA,1,2,3\n")
    with pytest.raises(LoadPlanError, match="missing column"):
        read_cargo(f)


def test_cli_on_example(tmp_path, capsys):
    out_json = tmp_path / "plan.json"
    rc = main([str(EXAMPLES / "cargo.csv"), "--containers", "20GP,40GP,40HQ",
               "--rates", "20GP=1800,40GP=3000,40HQ=3200,LCL=75", "--time-limit", "0.4",
               "--max-iterations", "1", "--svg", str(tmp_path / "svg"), "--json", str(out_json)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "containers:" in text and "freight: USD" in text and "not fitted:" in text
    d = json.loads(out_json.read_text())
    validate(d)
    assert d["containers"] and {c["container"]["code"] for c in d["containers"]} <= {"20GP", "40GP", "40HQ"}
    svgs = list((tmp_path / "svg").glob("*.svg"))
    assert len(svgs) == len(d["containers"])


def test_cli_bad_input(tmp_path, capsys):
    f = tmp_path / "c.csv"
    f.write_text("reference,length_mm,width_mm,height_mm,count\nA,0,300,200,5\n")
    assert main([str(f)]) == 2
    assert "cargo line 1 ('A'): carton length must be positive" in capsys.readouterr().err
