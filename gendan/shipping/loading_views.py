"""Load plan pages: the shipment page's "Load plan" card (request, progress polled with htmx, the containers with
their pictures and figures), a container's picture, the loading instructions PDF for the warehouse, and the
container types with their freight rates, which managers edit."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import ConcurrentChange, error_text
from gendan.core.forms import StyledFormMixin
from gendan.loadplan import container_svg, instruction_rows
from gendan.shipping import services
from gendan.shipping.choices import ShipmentStatus
from gendan.shipping.loading import cargo_of, instruction_words, stored_containers, svg_words
from gendan.shipping.models import ContainerType, LclRate, LoadPlan
from gendan.shipping.selectors import shipment_list_visible_to

CARD = "shipping/load_plan_card.html"


def load_plan_context(request, shipment, lines, *, errors=None, entered=None) -> dict:
    """What the "Load plan" card needs, `lines` being the shipment's lines with order line, order and product."""
    plans = list(shipment.load_plans.select_related("requested_by").prefetch_related("containers")[:6])
    newest = plans[0] if plans else None
    orders = sorted({line.order_line.order for line in lines}, key=lambda order: order.number)
    notes, problems = [], []
    try:
        notes = cargo_of(lines).notes
    except ValidationError as error:
        problems = [text for texts in error.message_dict.values() for text in texts]
    entered = entered or {}
    stops = entered.get("stops") or (newest.stops if newest else {})
    return {
        "load_plan": newest, "older_plans": plans[1:],
        "load_orders": [(order, stops.get(str(order.pk), 1)) for order in orders] if len(orders) > 1 else [],
        "may_plan": shipment.status == ShipmentStatus.DRAFT and request.user.has_perm("shipping.change_shipment"),
        "offered_types": ContainerType.objects.filter(is_active=True),
        "chosen_types": entered.get("container_types") or (newest.container_types if newest else
                                                            ["20GP", "40GP", "40HQ"]),
        "chosen_limit": entered.get("time_limit") or (newest.time_limit if newest else 10),
        "load_errors": errors or {}, "carton_notes": notes, "carton_problems": problems,
        "load_progress": _progress(newest), "not_fitted": _not_fitted(newest),
    }


def _progress(load_plan: LoadPlan | None) -> int:
    """How far the planning is, by the clock: it never takes longer than its time limit (plus a little)."""
    if load_plan is None or not load_plan.pending:
        return 100
    if not load_plan.started_at:
        return 3
    elapsed = (timezone.now() - load_plan.started_at).total_seconds()
    return max(5, min(95, round(100 * elapsed / load_plan.time_limit)))


def _not_fitted(load_plan: LoadPlan | None) -> list[dict]:
    rows = (load_plan.result or {}).get("not_fitted", []) if load_plan else []
    return [{**row, "reason": _why(row)} for row in rows]


def _why(row: dict) -> str:
    """The planner's reason in the reader's language (a plan stored before causes were kept says it in English)."""
    if row.get("cause") == "orientation":
        return _("does not fit in %(containers)s in an allowed orientation") % {
            "containers": ", ".join(row["containers"])}
    return {"payload": _("the containers' payload is reached, or no space is left"),
            "space": _("no space left in the chosen containers")}.get(row.get("cause", ""), row["reason"])


def _shipment_and_lines(request, pk):
    shipment = get_object_or_404(shipment_list_visible_to(user=request.user), pk=pk)
    return shipment, list(shipment.lines.select_related("order_line__order", "order_line__product"))


def _card(request, shipment, lines, **extra):
    return render(request, CARD, {"shipment": shipment, **load_plan_context(request, shipment, lines, **extra)})


@login_required
def load_plan_card(request, pk):
    """The card alone: what htmx polls while the plan is queued or running."""
    shipment, lines = _shipment_and_lines(request, pk)
    return _card(request, shipment, lines)


@login_required
@require_POST
def load_plan_request(request, pk):
    shipment, lines = _shipment_and_lines(request, pk)
    orders = {line.order_line.order for line in lines}
    entered = {"container_types": request.POST.getlist("container_types"),
               "time_limit": request.POST.get("time_limit", ""),
               "stops": {str(order.pk): request.POST.get(f"stop-{order.pk}", "1") for order in orders}}
    try:
        services.load_plan_request(shipment=shipment, by=request.user, container_types=entered["container_types"],
                                   time_limit=entered["time_limit"], stops=entered["stops"])
    except ValidationError as error:
        errors = {key: " ".join(texts) for key, texts in error.message_dict.items()}
        if not request.htmx:
            messages.error(request, " ".join(errors.values()))
            return redirect("shipping:shipment_detail", pk=pk)
        return _card(request, shipment, lines, errors=errors, entered=entered)
    if not request.htmx:
        messages.success(request, _("The load plan is being made."))
        return redirect("shipping:shipment_detail", pk=pk)
    return _card(request, shipment, lines)


def _load_plan(request, pk) -> LoadPlan:
    return get_object_or_404(LoadPlan.objects.select_related("shipment"),
                             pk=pk, shipment__in=shipment_list_visible_to(user=request.user))


@login_required
def load_plan_svg(request, pk, index):
    load_plan = _load_plan(request, pk)
    get_object_or_404(load_plan.containers, index=index)
    plans, lines = stored_containers(load_plan.result)
    picture = container_svg(plans[index - 1], lines, words=svg_words())  # in the reader's language
    response = HttpResponse(picture, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
def load_plan_pdf(request, pk):
    """The loading instructions for the warehouse: per container its picture and the steps in loading order."""
    from gendan.documents.render import pdf_of

    load_plan = _load_plan(request, pk)
    if not load_plan.result:
        raise PermissionDenied(_("The plan is not finished."))
    plans, lines = stored_containers(load_plan.result)
    boxes = list(load_plan.containers.all())
    words = svg_words()
    containers = [{"box": box, "rows": instruction_rows(container_plan, lines, instruction_words()),
                   "svg": container_svg(container_plan, lines, words=words)}
                  for box, container_plan in zip(boxes, plans, strict=True)]
    html = render_to_string("shipping/loading_instructions_pdf.html", {
        "load_plan": load_plan, "shipment": load_plan.shipment, "containers": containers,
        "not_fitted": _not_fitted(load_plan), "language": get_language()}, request=request)
    response = HttpResponse(pdf_of(html), content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="{load_plan.shipment.number}-loading-'
                                       f'{load_plan.pk}.pdf"')
    return response


# ------------------------------------------------------------------------------------- container types and rates

class ContainerTypeForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContainerType
        fields = ["code", "name", "inner_length_mm", "inner_width_mm", "inner_height_mm", "door_width_mm",
                  "door_height_mm", "max_payload_kg", "tare_kg", "freight_rate", "currency", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class LclRateForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LclRate
        fields = ["rate_per_wm", "currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


@login_required
@permission_required("shipping.view_containertype", raise_exception=True)
def container_type_list(request):
    return render(request, "shipping/container_types.html", {
        "container_types": ContainerType.objects.all(), "lcl_rate": LclRate.objects.first(),
        "may_edit": request.user.has_perm("shipping.change_containertype")})


@login_required
def container_type_edit(request, pk=None):
    container_type = get_object_or_404(ContainerType, pk=pk) if pk else ContainerType()
    return _edit(request, ContainerTypeForm, container_type, "shipping.change_containertype" if pk else
                 "shipping.add_containertype",
                 lambda obj, version: services.container_type_save(container_type=obj, by=request.user,
                                                                   version=version),
                 _("Container type"))


@login_required
def lcl_rate_edit(request):
    lcl_rate = LclRate.objects.first() or LclRate()
    return _edit(request, LclRateForm, lcl_rate, "shipping.change_lclrate",
                 lambda obj, version: services.lcl_rate_save(lcl_rate=obj, by=request.user, version=version),
                 _("LCL price per W/M"))


def _edit(request, form_class, obj, perm, save, title):
    if not request.user.has_perm(perm):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.save(commit=False), form.cleaned_data.get("version") or 0)
        except (ValidationError, ConcurrentChange) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("shipping:container_type_list")
    return render(request, "shipping/container_type_form.html", {"form": form, "title": title, "object": obj},
                  status=400 if form.errors else 200)
