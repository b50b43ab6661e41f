"""Background work of shipping, run by `gendan worker`: planning a shipment's container load.

A worker killed while planning leaves the task RUNNING; the restarted worker puts it back on the queue
(`gendan.core.scheduler.requeue_stale`) and the plan is made again from the start: planning writes nothing until
the result is stored, in one transaction."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from gendan.loadplan import LoadPlanError, PlanOptions, plan
from gendan.shipping.choices import LoadPlanStatus
from gendan.shipping.loading import cargo_of, planner_container
from gendan.shipping.models import ContainerType, LclRate, LoadPlan, LoadPlanContainer


@task()
def plan_load(load_plan_id: int) -> dict:
    load_plan = LoadPlan.objects.filter(pk=load_plan_id).select_related("shipment").first()
    if load_plan is None or not load_plan.pending:
        return {"status": load_plan.status if load_plan else "gone"}
    load_plan.status, load_plan.started_at, load_plan.progress = LoadPlanStatus.RUNNING, timezone.now(), 0
    load_plan.save(update_fields=["status", "started_at", "progress"])
    try:
        result = _plan(load_plan)
    except LoadPlanError as error:
        _store_failure(load_plan, str(error))
        return {"status": LoadPlanStatus.FAILED}
    except Exception as error:  # noqa: BLE001 — the page must say the plan failed, not spin for ever
        _store_failure(load_plan, f"{type(error).__name__}: {error}")
        raise
    _store(load_plan, result)
    return {"status": LoadPlanStatus.DONE, "containers": len(result.containers)}


def _plan(load_plan: LoadPlan):
    from django.core.exceptions import ValidationError

    lines = list(load_plan.shipment.lines.select_related("order_line__order", "order_line__product"))
    try:
        cargo = cargo_of(lines, {int(order): stop for order, stop in load_plan.stops.items()})
    except ValidationError as error:
        raise LoadPlanError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
    types = [planner_container(c) for c in ContainerType.objects.filter(code__in=load_plan.container_types)]
    rates = {c.code: c.cost for c in types}
    lcl = LclRate.objects.first()
    if lcl is not None and lcl.currency == load_plan.currency:
        rates["LCL"] = float(lcl.rate_per_wm)
    return plan(cargo.lines, containers=types, rates=rates, currency=load_plan.currency,
                known_containers={c.code: c for c in types}, options=PlanOptions(time_limit=load_plan.time_limit))


@transaction.atomic
def _store(load_plan: LoadPlan, result) -> None:
    load_plan.result = result.to_dict()
    load_plan.freight_cost = None if result.freight_cost is None else Decimal(str(result.freight_cost))
    load_plan.lcl_cost = Decimal(str(result.lcl["cost"])) if result.lcl else None
    load_plan.status, load_plan.progress, load_plan.finished_at = LoadPlanStatus.DONE, 100, timezone.now()
    load_plan.error = ""
    LoadPlanContainer.objects.filter(load_plan=load_plan).delete()
    LoadPlanContainer.objects.bulk_create([LoadPlanContainer(
        load_plan=load_plan, index=k, code=cp.container.code, cartons=len(cp.placements),
        volume_use=_percent(cp.volume_utilisation), weight_use=_percent(cp.weight_utilisation),
        cargo_weight_kg=Decimal(str(round(cp.cargo_weight, 1))))
        for k, cp in enumerate(result.containers, start=1)])
    load_plan.save()


def _store_failure(load_plan: LoadPlan, message: str) -> None:
    load_plan.status, load_plan.error, load_plan.finished_at = LoadPlanStatus.FAILED, message, timezone.now()
    load_plan.save()


def _percent(share: float) -> Decimal:
    return Decimal(str(round(100 * share, 1)))
