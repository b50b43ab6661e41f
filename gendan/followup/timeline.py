"""Data for the timeline charts (ECharts draws them): planned against actual, today, critical path."""

from datetime import date

from gendan.followup.choices import MilestoneStatus


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def order_timeline(plan, milestones, today: date) -> dict:
    rows = []
    for m in milestones:
        rows.append({
            "name": m.name, "owner": str(m.owner or m.get_department_display()),
            "baseline": _iso(m.baseline_date), "due": _iso(m.due_date), "projected": _iso(m.projected_date),
            "actual": _iso(m.actual_date if m.status == MilestoneStatus.DONE else None),
            "status": m.status, "critical": m.is_critical or (plan.risk_cause_id == m.pk),
        })
    return {"today": today.isoformat(), "ex_factory": plan.ex_factory.isoformat(),
            "projected_ex_factory": _iso(plan.projected_ex_factory), "rows": rows}


def orders_timeline(plans, today: date) -> dict:
    rows = [{
        "name": f"{p.order.number} {p.order.customer.code}", "url": p.order.get_absolute_url() + "#plan",
        "start": p.confirmed_on.isoformat(), "ex_factory": p.ex_factory.isoformat(),
        "projected": _iso(p.projected_ex_factory), "actual": None, "at_risk": p.at_risk,
    } for p in plans]
    return {"today": today.isoformat(), "rows": rows}
