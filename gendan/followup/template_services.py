"""Managers edit the plan templates: the steps, their anchors, offsets, predecessors and conditions.
Running plans keep the steps they were made from; a changed template applies to orders confirmed after."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.bulk import update_with_history
from gendan.core.concurrency import take_version
from gendan.followup.choices import Anchor
from gendan.followup.models import PlanTemplate, TemplateMilestone
from gendan.followup.scheduling import CycleError, parse_predecessors, topological


def _require_manager(by) -> None:
    if not by.has_perm("followup.change_plantemplate"):
        raise PermissionDenied(_("Only a manager may change plan templates."))


def check_steps(steps: list[TemplateMilestone]) -> None:
    """Every code a step refers to exists, and no chain of steps comes back to where it started."""
    codes = {s.code for s in steps}
    nodes = []
    for step in steps:
        errors = {}
        if step.anchor == Anchor.MILESTONE and step.anchor_milestone not in codes - {step.code}:
            errors["anchor_milestone"] = _("Name another step of this template by its code.")
        if step.anchor == Anchor.EVENT and not step.anchor_event:
            errors["anchor_event"] = _("Choose the event this step counts from.")
        try:
            predecessors = parse_predecessors(step.predecessors)
        except ValueError as error:
            errors["predecessors"] = _("“%(part)s” is not “code”, “code+N” or “code+gap”.") % {"part": error}
            predecessors = []
        unknown = sorted({code for code, _lag in predecessors} - codes)
        if unknown:
            errors["predecessors"] = _("No step has the code %(codes)s.") % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)
        nodes.append(SimpleNamespace(code=step.code, anchor=step.anchor, anchor_milestone=step.anchor_milestone,
                                     predecessors=predecessors, is_ex_factory=step.is_ex_factory))
    if sum(1 for s in steps if s.is_ex_factory) > 1:
        raise ValidationError({"is_ex_factory": _("A template has one ex-factory step.")})
    ex = next((n.code for n in nodes if n.is_ex_factory), None)
    try:
        topological(nodes, ex)
    except CycleError as error:
        raise ValidationError({"predecessors": _("These steps wait for each other in a circle: %(codes)s.")
                               % {"codes": ", ".join(sorted(error.codes))}}) from None


@transaction.atomic
def template_step_save(*, step: TemplateMilestone, by, version: int, **fields) -> TemplateMilestone:
    """`version` is the template's as the manager saw it: of two managers editing one template, the second is
    told to reload."""
    _require_manager(by)
    for name, value in fields.items():
        setattr(step, name, value)
    step.full_clean()
    others = [s for s in step.template.steps.all() if s.pk != step.pk]
    check_steps([*others, step])
    take_version(step.template, version)
    step._history_user = by
    step.save()
    return step


@transaction.atomic
def template_step_delete(*, step: TemplateMilestone, by, version: int) -> None:
    _require_manager(by)
    others = [s for s in step.template.steps.all() if s.pk != step.pk]
    check_steps(others)
    take_version(step.template, version)
    step._history_user = by
    step.delete()


@transaction.atomic
def template_save(*, template: PlanTemplate, by, version: int | None = None, **fields) -> PlanTemplate:
    """Save a new template, or an existing one still at `version` (as the manager saw it)."""
    _require_manager(by)
    if template.pk:  # a stale page is told first, before anything of it is applied
        take_version(template, version)
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean(exclude=["is_default"])
    template._history_user = by
    template.save()
    return template


@transaction.atomic
def template_make_default(*, template: PlanTemplate, by) -> PlanTemplate:
    _require_manager(by)
    update_with_history(PlanTemplate.objects.filter(is_default=True).exclude(pk=template.pk), by=by, is_default=False)
    template.is_default = True
    template._history_user = by
    template.save(update_fields=["is_default", "updated_at"])
    return template


@transaction.atomic
def template_copy(*, template: PlanTemplate, by, name: str) -> PlanTemplate:
    """A new template starting from an existing one (e.g. air freight from the sea template)."""
    _require_manager(by)
    if PlanTemplate.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A template with this name exists already.")})
    copy = template_save(template=PlanTemplate(
        name=name, description=template.description, port_days=template.port_days,
        sea_transit_days=template.sea_transit_days, air_transit_days=template.air_transit_days,
        courier_transit_days=template.courier_transit_days,
    ), by=by)
    steps = list(template.steps.all())
    for step in steps:
        step.pk, step.template = None, copy
    TemplateMilestone.objects.bulk_create(steps)
    return copy
