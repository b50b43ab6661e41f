"""Container load planner: cartons into containers — valid, near-optimal, fast, pictured.

Pure Python (NumPy; openpyxl for .xlsx), no Django.  Typical use:

    from gendan.loadplan import CargoLine, OrientationRule, plan
    p = plan([CargoLine("PO1-1", 600, 400, 300, 500, weight=12.5)], containers="20GP,40GP,40HQ",
             rates={"20GP": 1800, "40GP": 3000, "40HQ": 3200})
    p.to_dict()                      # plain JSON-serialisable data
    container_svg(p.containers[0], p.lines)
    instruction_rows(p.containers[0], p.lines)
"""

from .containers import DEFAULT_CONTAINERS, container_types
from .instructions import InstructionWords, instruction_rows, instructions_text
from .io import read_cargo
from .model import CargoLine, ContainerPlan, ContainerType, LoadPlanError, NotFitted, OrientationRule, Placement, Plan
from .multi import parse_rates, plan
from .planner import PlanOptions, loading_sequence, pack_container, validate_lines
from .svg import SvgWords, container_svg

__all__ = [
    "DEFAULT_CONTAINERS", "CargoLine", "ContainerPlan", "ContainerType", "InstructionWords", "LoadPlanError",
    "NotFitted",
    "OrientationRule", "Placement", "Plan", "PlanOptions", "SvgWords", "container_svg", "container_types",
    "instruction_rows", "instructions_text", "loading_sequence", "pack_container", "parse_rates", "plan",
    "read_cargo", "validate_lines",
]
