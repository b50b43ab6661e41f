"""Load plans of a shipment: its cartons from the products' packaging data, container types and rates as data, the
request refused naming the row, and the worker's task storing the plan."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.catalog.models import Product
from gendan.followup.tests.factories import at
from gendan.shipping.choices import LoadPlanStatus
from gendan.shipping.loading import cargo_of
from gendan.shipping.models import ContainerType, LclRate, LoadPlan, LoadPlanContainer
from gendan.shipping.services import container_type_save, load_plan_request, shipment_create
from gendan.shipping.tasks import plan_load

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)



def packed(line, *, per_carton=24, size=("52.5", "38", "41.2"), gross="9.8", **loading):
    product = line.product
    product.units_per_inner = None
    product.units_per_carton = per_carton
    product.carton_length_cm, product.carton_width_cm, product.carton_height_cm = (Decimal(v) for v in size)
    product.gross_weight_kg, product.net_weight_kg = Decimal(gross), Decimal(gross) - 1
    for name, value in loading.items():
        setattr(product, name, value)
    product.save()
    return line


def shipment_of(customer, merchandiser, lines):
    with at(DAY):
        return shipment_create(by=merchandiser, customer=customer, lines=lines)


def shipment_lines(shipment):
    return list(shipment.lines.select_related("order_line__order", "order_line__product"))


def test_cartons_come_from_the_packaging_data_of_each_order_line(ready, customer, merchandiser):
    first, second = ready(), ready()
    a = packed(first.lines.get(position=1), this_side_up=True, max_load_kg=Decimal(120))
    b = packed(second.lines.get(position=2), per_carton=50, size=("60", "40", "30"), gross="12.5", stackable=False)
    shipment = shipment_of(customer, merchandiser, [(a, Decimal(1000)), (b, Decimal(400))])

    cargo = cargo_of(shipment_lines(shipment), {second.pk: 2})

    kettle, crate = cargo.lines
    # 1000 / 24 = 41.67: 42 cartons, the last holding 1000 - 41 × 24 = 16; 400 / 50 = 8 full cartons
    assert (kettle.count, crate.count) == (42, 8)
    assert (kettle.length, kettle.width, kettle.height, kettle.weight) == (525, 380, 412, 9.8)
    assert (str(kettle.orientation), kettle.stackable, kettle.max_load, kettle.unloading_group) == (
        "this_side_up", True, 120.0, 1)
    assert (crate.length, crate.width, crate.height, crate.weight) == (600, 400, 300, 12.5)
    assert (str(crate.orientation), crate.stackable, crate.max_load, crate.unloading_group) == ("any", False, None, 2)
    assert kettle.reference == f"{first.number}-1 {a.product.code}"
    assert cargo.notes == [f"{first.number} line 1 ({a.product.code}): 42 cartons, the last one holds 16 of 24."]


def test_a_product_without_carton_size_is_refused_naming_the_order_line(ready, customer, merchandiser):
    order = ready()
    first, second = order.lines.order_by("position")
    shipment = shipment_of(customer, merchandiser, [(first, Decimal(100)), (second, Decimal(100))])
    Product.objects.filter(pk=second.product_id).update(carton_height_cm=0)

    with pytest.raises(ValidationError) as error:
        load_plan_request(shipment=shipment, by=merchandiser, container_types=["20GP"], time_limit=5)

    assert error.value.message_dict == {"lines.1": [
        f"{order.number} line 2 ({second.product.code}): the product has no carton size, units per carton or "
        "gross weight; fill them in on the product first."]}
    assert not LoadPlan.objects.exists()


def test_a_carton_larger_than_every_door_is_refused_naming_the_row(ready, customer, merchandiser):
    order = ready()
    first, second = order.lines.order_by("position")
    packed(second, per_carton=1, size=("260", "250", "245"), gross="80")
    shipment = shipment_of(customer, merchandiser, [(first, Decimal(100)), (second, Decimal(2))])

    with pytest.raises(ValidationError) as error:
        load_plan_request(shipment=shipment, by=merchandiser, container_types=["20GP", "40HQ"], time_limit=5)

    assert error.value.message_dict == {"lines.1": [
        f"{order.number} line 2 ({second.product.code}): a carton of 2600×2500×2450 mm is larger than the door or "
        "the inside of every container offered (20GP, 40HQ)."]}
    assert not LoadPlan.objects.exists()


def test_a_bad_request_names_the_field_and_saves_nothing(ready, customer, merchandiser, finance):
    order = ready()
    shipment = shipment_of(customer, merchandiser, [(order.lines.get(position=1), Decimal(100))])
    with pytest.raises(ValidationError) as error:
        load_plan_request(shipment=shipment, by=merchandiser, container_types=["99XX"], time_limit=61,
                          stops={order.pk: "0"})
    assert error.value.message_dict == {
        "time_limit": ["Give the planner 1 to 60 seconds."],
        "container_types": ["Choose at least one container type."],
        f"stops.{order.number}": [f"{order.number}: the stop is a whole number from 1 (unloaded first) to 99."]}
    with pytest.raises(PermissionDenied):
        load_plan_request(shipment=shipment, by=finance, container_types=["20GP"], time_limit=5)
    assert not LoadPlan.objects.exists()


def test_the_task_plans_and_stores_the_result_with_the_pictures(ready, customer, merchandiser, client, tmp_path,
                                                               django_capture_on_commit_callbacks):
    order = ready()
    line = packed(order.lines.get(position=1))
    shipment = shipment_of(customer, merchandiser, [(line, Decimal(1000))])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load_plan = load_plan_request(shipment=shipment, by=merchandiser, container_types=["20GP", "40HQ"],
                                      time_limit="3")
    assert len(callbacks) == 1
    assert (load_plan.status, load_plan.time_limit, load_plan.container_types) == (
        LoadPlanStatus.QUEUED, 3, ["20GP", "40HQ"])
    assert list(load_plan.history.values_list("status", "history_user")) == [("queued", merchandiser.pk)]

    assert plan_load.call(load_plan.pk)["status"] == LoadPlanStatus.DONE

    load_plan.refresh_from_db()
    assert load_plan.status == LoadPlanStatus.DONE and load_plan.finished_at and load_plan.progress == 100
    # 42 cartons of 0.0822 m³ (3.452 m³, 412 kg) go into one 20GP at USD 1800; LCL: 3.452 W/M × 75
    assert (load_plan.freight_cost, load_plan.currency, load_plan.lcl_cost) == (
        Decimal(1800), "USD", Decimal("258.91"))
    box = LoadPlanContainer.objects.get(load_plan=load_plan)
    assert (box.index, box.code, box.cartons, box.cargo_weight_kg) == (1, "20GP", 42, Decimal("411.6"))
    assert box.volume_use == Decimal(str(round(42 * 525 * 380 * 412 / (5898 * 2352 * 2393) * 100, 1)))
    url = f"/shipping/load-plans/{load_plan.pk}/1.svg"
    client.force_login(merchandiser)
    # the picture and the warehouse's loading instructions in the reader's language, the planner's words included
    for language, words, steps in (
            ("en", ["Isometric view", "42 cartons, volume", "DOOR", "Loading steps", "any way up"],
             ["7 deep × 2 across × 3 high", "upright (top side up), length along the container",
              "row 1, layer 1: 0 mm–3,675 mm from the back wall, against the left wall (760 mm wide), on the floor"]),
            ("zh-hans", ["等轴测视图", "42 箱，体积", "柜门", "装柜顺序", "朝向不限"],
             ["纵深 7 × 横排 2 × 叠高 3", "正放（顶面朝上），长边顺柜长方向",
              "第 1 排，第 1 层：距柜底端 0 mm–3,675 mm，靠左侧壁（宽 760 mm），放在柜底"])):
        merchandiser.language = language
        merchandiser.save(update_fields=["language"])
        picture = client.get(url)
        assert picture["Content-Type"] == "image/svg+xml" and picture.content.startswith(b"<svg")
        text = picture.content.decode()
        assert all(word in text for word in words), (language, text[:600])  # drawn in the reader's language
        assert "kg, any<" not in text  # the rule's own name once stood in the legend
        (tmp_path / "instructions.pdf").write_bytes(client.get(f"/shipping/load-plans/{load_plan.pk}/instructions.pdf")
                                                   .content)
        text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "instructions.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        unwrapped = "".join(text.split())  # table cells wrap where the words' widths say
        assert all("".join(step.split()) in unwrapped for step in steps), (language, text[-1200:])
        assert language == "en" or not any(word in text for word in ("upright", "row 1", "wall", "floor"))
    assert client.get(f"/shipping/load-plans/{load_plan.pk}/2.svg").status_code == 404
    assert load_plan.result["not_fitted"] == [] and len(load_plan.result["containers"][0]["placements"]) == 42
    assert plan_load.call(load_plan.pk) == {"status": "done"}  # run again (re-queued): nothing changes


def cargo_of_1300_cartons(ready, customer, merchandiser):
    order = ready()
    first, second = (packed(line, per_carton=1, size=("40", "30", "25"), gross="13.2")
                     for line in order.lines.order_by("position"))
    return shipment_of(customer, merchandiser, [(first, Decimal(1000)), (second, Decimal(300))])


def test_the_rates_in_the_data_choose_the_cheaper_mix(ready, customer, merchandiser, sales_manager):
    """1300 cartons of 0.03 m³ (39 m³): more than a 20GP takes; a 40GP at 3000 beats two 20GP at 1800 — until
    the 40-foot rates go up."""
    shipment = cargo_of_1300_cartons(ready, customer, merchandiser)

    def planned() -> list[str]:
        load_plan = load_plan_request(shipment=shipment, by=merchandiser, container_types=["20GP", "40GP", "40HQ"],
                                      time_limit=2)
        plan_load.call(load_plan.pk)
        load_plan.refresh_from_db()
        assert load_plan.result["not_fitted"] == []
        return [box.code for box in load_plan.containers.all()], load_plan.freight_cost

    assert planned() == (["40GP"], Decimal(3000))
    for code, rate in (("40GP", 4000), ("40HQ", 4500)):
        container_type = ContainerType.objects.get(code=code)
        container_type.freight_rate = Decimal(rate)
        container_type_save(container_type=container_type, by=sales_manager, version=container_type.version)
    assert planned() == (["20GP", "20GP"], Decimal(3600))
    assert LoadPlan.objects.filter(shipment=shipment).count() == 2  # the older plan stays listed
    assert list(ContainerType.objects.get(code="40GP").history.values_list("freight_rate", "history_user")) == [
        (Decimal(4000), sales_manager.pk)]


def test_container_types_are_seeded_and_only_managers_change_rates(merchandiser, general_manager):
    assert {c.code: (c.inner_length_mm, c.door_height_mm, c.max_payload_kg) for c in ContainerType.objects.all()} == {
        "20GP": (5898, 2280, 28200), "40GP": (12032, 2280, 26700), "40HQ": (12032, 2585, 26500),
        "45HQ": (13556, 2585, 27700)}
    assert LclRate.objects.get().rate_per_wm == 75
    container_type = ContainerType.objects.get(code="20GP")
    container_type.freight_rate = Decimal(1)
    with pytest.raises(PermissionDenied):
        container_type_save(container_type=container_type, by=merchandiser, version=container_type.version)
    lcl = LclRate.objects.get()
    lcl.rate_per_wm = Decimal(80)
    from gendan.shipping.services import lcl_rate_save

    lcl_rate_save(lcl_rate=lcl, by=general_manager, version=lcl.version)
    assert (ContainerType.objects.get(code="20GP").freight_rate, LclRate.objects.get().rate_per_wm) == (1800, 80)



# ------------------------------------------------------------------------------------ a real worker, killed

def database_url() -> str:
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    login = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    return f"postgres://{login}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker(*args: str) -> dict:
    """`gendan worker --batch` on the test database and media folder, as production runs it, with this worktree's
    code."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    project = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": "load-plan-worker", "GENDAN_DEBUG": "0",
           "PYTHONPATH": str(project), "GENDAN_VAR_DIR": str(Path(settings.MEDIA_ROOT).parent)}  # the test's files
    env.pop("GENDAN_TESTING", None)
    return {"args": [sys.executable, "-m", "gendan", "worker", "--worker-id", "load-test", "--batch",
                     "--no-startup-delay", "--no-reload", "--interval", "0.2", "--verbosity", "0", *args],
            "cwd": project, "env": env, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_planning_leaves_the_plan_to_the_restarted_worker(ready, customer, merchandiser):
    import signal
    import subprocess
    import time

    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    order = ready()  # 2000 cartons of 0.096 m³: three containers, so the search of the first runs its share
    first, second = (packed(line, per_carton=1, size=("60", "40", "40"), gross="10")
                     for line in order.lines.order_by("position"))
    shipment = shipment_of(customer, merchandiser, [(first, Decimal(1000)), (second, Decimal(1000))])
    load_plan = load_plan_request(shipment=shipment, by=merchandiser, container_types=["20GP", "40GP", "40HQ"],
                                  time_limit=6)
    connections.close_all()
    process = subprocess.Popen(**worker())
    try:
        started = time.monotonic()
        while LoadPlan.objects.get(pk=load_plan.pk).status != LoadPlanStatus.RUNNING:
            assert time.monotonic() - started < 60 and process.poll() is None, process.stdout and process.stdout.read()
            time.sleep(0.1)
        time.sleep(1)  # planning, well before its 6 s are up
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert LoadPlan.objects.get(pk=load_plan.pk).status == LoadPlanStatus.RUNNING
    planning = DBTaskResult.objects.filter(task_path="gendan.shipping.tasks.plan_load")
    assert list(planning.values_list("status", flat=True)) == ["RUNNING"]

    again = subprocess.run(**worker(), timeout=180)  # the same worker id: it takes back what it left running

    assert again.returncode == 0, again.stdout
    load_plan.refresh_from_db()
    assert load_plan.status == LoadPlanStatus.DONE and load_plan.containers.count() >= 3
    # every carton placed or listed (on a busy machine the search may leave one or two out within its 6 s)
    placed = sum(box.cartons for box in load_plan.containers.all())
    assert placed + sum(row["count"] for row in load_plan.result["not_fitted"]) == 2000 and placed > 1950
    assert list(planning.values_list("status", flat=True)) == ["SUCCESSFUL"]


def test_managers_edit_rates_on_the_page_others_only_look(client, sales_manager, warehouse, merchandiser,
                                                          salesperson):
    from django.urls import reverse

    forty = ContainerType.objects.get(code="40HQ")
    warehouse.language = "en"
    warehouse.save(update_fields=["language"])
    client.force_login(warehouse)
    page = client.get(reverse("shipping:container_type_list"))
    assert page.status_code == 200 and "USD 3,200" in page.content.decode() and not page.context["may_edit"]
    client.force_login(merchandiser)
    assert client.get(reverse("shipping:container_type_edit", args=[forty.pk])).status_code == 403
    client.force_login(salesperson)
    assert client.get(reverse("shipping:container_type_list")).status_code == 403

    client.force_login(sales_manager)
    form = client.get(reverse("shipping:container_type_edit", args=[forty.pk])).context["form"]
    data = {**form.initial, "freight_rate": "3350", "currency": "usd", "is_active": "on", "version": forty.version}
    assert client.post(reverse("shipping:container_type_edit", args=[forty.pk]), data).status_code == 302
    forty.refresh_from_db()
    assert (forty.freight_rate, forty.currency, forty.version) == (Decimal(3350), "USD", 1)
    assert forty.history.get().history_user == sales_manager
    data["door_height_mm"] = "0"
    response = client.post(reverse("shipping:container_type_edit", args=[forty.pk]), {**data, "version": 1})
    assert response.status_code == 400 and "door_height_mm" in response.context["form"].errors
    assert client.post(reverse("shipping:lcl_rate_edit"), {"rate_per_wm": "82.5", "currency": "USD",
                                                           "version": 0}).status_code == 302
    assert LclRate.objects.get().rate_per_wm == Decimal("82.5")


def test_the_reasons_cartons_were_left_out_are_in_the_readers_language():
    from django.utils import translation

    from gendan.shipping.loading_views import _not_fitted

    stored = LoadPlan(result={"not_fitted": [
        {"line": 0, "reference": "A", "count": 3, "reason": "does not fit in 20GP, 40HQ in an allowed orientation",
         "cause": "orientation", "containers": ["20GP", "40HQ"]},
        {"line": 1, "reference": "B", "count": 2, "reason": "no space left in the chosen containers",
         "cause": "space", "containers": ["20GP"]},
        {"line": 2, "reference": "C", "count": 1, "reason": "said before the causes were kept"}]})
    with translation.override("zh-hans"):
        rows = _not_fitted(stored)
    assert [row["reason"] for row in rows] == [
        "任何允许的摆放方向都放不进 20GP, 40HQ", "所选柜子已无空间", "said before the causes were kept"]
    assert [(row["reference"], row["count"]) for row in rows] == [("A", 3), ("B", 2), ("C", 1)]
