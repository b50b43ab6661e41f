"""The plan template a new company starts with: a sea-freight export order (DOMAIN.md's typical
time-and-action plan), its offsets the domain rules of DESIGN.md. Managers edit it in the UI."""

from django.db import transaction

from gendan.accounts.roles import Role
from gendan.followup.choices import Anchor, OffsetUnit, PlanEvent
from gendan.sales.choices import FollowupDepth, TransportMode

R, A, WD, D = Role, Anchor, OffsetUnit.WORKING_DAYS, OffsetUnit.CALENDAR_DAYS
LOADING, PAYMENT = FollowupDepth.TO_LOADING, FollowupDepth.TO_PAYMENT

# code, 中文, English, department, anchor, offset, unit, extra settings
DEFAULT_STEPS = [
    ("order_review", "订单评审会签", "Order review signed", R.MERCHANDISER, A.CONFIRMATION, 1, WD, {}),
    ("production_order", "下达制造命令单", "Production order issued", R.SALES, A.CONFIRMATION, 1, WD, {}),
    ("pi_countersigned", "客户回签 PI / 合同", "PI / contract countersigned by customer", R.SALES,
     A.CONFIRMATION, 3, D, {}),
    ("bom", "工程出 BOM", "BOM issued", R.ENGINEERING, A.CONFIRMATION, 2, WD,
     {"predecessors": "production_order"}),
    ("purchase_orders", "采购合同 / 外协单发出", "Purchase contracts and outsourcing lists sent", R.PURCHASING,
     A.MILESTONE, 2, WD, {"anchor_milestone": "bom"}),
    ("material_dates", "确认物料到料日期", "Material arrival dates confirmed", R.PURCHASING,
     A.MILESTONE, 3, WD, {"anchor_milestone": "bom"}),
    ("customer_specifics", "客制资料到齐（唛头、标签、彩盒）", "Customer specifics received (artwork, labels)",
     R.MERCHANDISER, A.CONFIRMATION, 7, D, {}),
    ("deposit", "定金到账", "Deposit received", R.FINANCE, A.CONFIRMATION, 7, D, {"only_with_deposit": True}),
    ("sample_sent", "产前样寄出", "Pre-production sample sent", R.MERCHANDISER, A.CONFIRMATION, 8, WD,
     {"only_with_samples": True, "predecessors": "bom"}),
    ("sample_approved", "客户签样", "Pre-production sample approved", R.SALES, A.EVENT, 3, WD,
     {"only_with_samples": True, "anchor_event": PlanEvent.SAMPLE_DELIVERED, "predecessors": "sample_sent"}),
    ("materials_arrived", "物料到齐", "Materials arrived", R.PURCHASING, A.EX_FACTORY, -17, WD,
     {"predecessors": "material_dates, purchase_orders"}),
    ("first_article", "首件确认", "First article approved", R.QC, A.EX_FACTORY, -16, WD,
     {"predecessors": "materials_arrived+gap, customer_specifics"}),
    ("production_start", "大货开产", "Production start", R.PRODUCTION, A.EX_FACTORY, -15, WD,
     {"predecessors": "materials_arrived+gap, first_article+gap, deposit+1, sample_approved+1"}),
    ("inline_inspection", "中期验货", "Inline inspection", R.QC, A.EX_FACTORY, -8, WD,
     {"predecessors": "production_start+gap"}),
    ("commodity_inspection", "商检", "Commodity inspection", R.MERCHANDISER, A.EX_FACTORY, -10, D,
     {"only_with_commodity_inspection": True, "min_depth": LOADING}),
    ("booking", "订舱确认", "Booking confirmed", R.MERCHANDISER, A.EX_FACTORY, -10, D,
     {"min_depth": LOADING, "transport_modes": [TransportMode.SEA, TransportMode.AIR]}),
    ("final_inspection", "尾期验货（AQL）", "Final inspection (AQL)", R.QC, A.EX_FACTORY, -2, WD,
     {"predecessors": "inline_inspection+gap"}),
    ("ex_factory", "装柜出厂", "Loaded and ex-factory", R.WAREHOUSE, A.EX_FACTORY, 0, WD,
     {"is_ex_factory": True, "predecessors": "final_inspection+gap, booking"}),
    ("certificate_of_origin", "产地证", "Certificate of origin issued", R.MERCHANDISER, A.ETD, -7, D,
     {"only_with_certificate_of_origin": True, "min_depth": LOADING}),
    ("shipping_advice", "发装船通知", "Shipping advice sent", R.MERCHANDISER, A.ETD, 1, WD,
     {"min_depth": LOADING, "predecessors": "ex_factory"}),
    ("bl_copy", "提单确认并发副本", "B/L issued and copy sent", R.MERCHANDISER, A.ETD, 3, D,
     {"min_depth": LOADING, "transport_modes": [TransportMode.SEA], "predecessors": "ex_factory"}),
    ("balance", "尾款到账", "Balance received", R.FINANCE, A.PAYMENT_TERMS, 0, D, {"min_depth": PAYMENT}),
    ("originals_released", "正本放单 / 电放", "Original documents released / telex release", R.MERCHANDISER,
     A.MILESTONE, 1, WD, {"anchor_milestone": "balance", "min_depth": PAYMENT,
                          "predecessors": "balance, bl_copy"}),
    ("quality_followup", "到货质量回访", "Quality follow-up with the customer", R.SALES, A.ETA, 7, D,
     {"min_depth": PAYMENT}),
    ("reorder_followup", "返单跟进", "Reorder follow-up", R.SALES, A.EVENT, 10, D,
     {"min_depth": PAYMENT, "anchor_event": PlanEvent.GOODS_RECEIVED}),
]

# The carrier's cut-offs of a shipment's booking, added to each of its orders' plans as dated milestones.
CUTOFF_STEPS = [
    (PlanEvent.CARGO_CUTOFF, "截港（货物进港截止）", "Cargo (CY) cut-off"),
    (PlanEvent.SI_CUTOFF, "截补料（SI 截止）", "Documents (SI) cut-off"),
    (PlanEvent.VGM_CUTOFF, "截 VGM", "VGM cut-off"),
]


@transaction.atomic
def ensure_default_template():
    """Create the standard template once; a company's edits to it are never overwritten."""
    from gendan.followup.models import PlanTemplate, TemplateMilestone

    if PlanTemplate.objects.exists():
        return None
    template = PlanTemplate.objects.create(
        name="标准出口订单（海运整柜） / Standard export order (sea FCL)", is_default=True,
        description="DOMAIN.md: sea FCL, T/T 30/70, own factory or supplier.",
    )
    TemplateMilestone.objects.bulk_create([
        TemplateMilestone(template=template, position=10 * (n + 1), code=code, name_zh=zh, name_en=en,
                          department=department, anchor=anchor, offset=offset, offset_unit=unit, **extra)
        for n, (code, zh, en, department, anchor, offset, unit, extra) in enumerate(DEFAULT_STEPS)
    ])
    return template
