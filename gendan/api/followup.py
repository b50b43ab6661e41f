"""The follow-up engine in the API: plans, milestones (done, waive, reschedule) and the cockpit, on the
same selectors and services as the web pages."""

from dataclasses import asdict

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.views import BaseViewSet, NegotiatedLanguage, errors
from gendan.core.validators import DATE_WINDOW_YEARS
from gendan.core.workdays import WorkCalendar
from gendan.followup import services
from gendan.followup.filters import MilestoneFilter, PlanFilter
from gendan.followup.models import Milestone, Plan
from gendan.followup.selectors import cockpit_for, due_soon_limit, standing, visible_plans
from gendan.sales.selectors import order_list_visible_to


class MilestoneSerializer(serializers.ModelSerializer):
    # rows come from Milestone.objects.listed(), which brings these along
    order = serializers.IntegerField(source="order_pk", read_only=True)
    order_number = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    owner_name = serializers.CharField(read_only=True, allow_null=True)
    standing = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "order", "order_number", "code", "name", "name_zh", "name_en", "department", "owner",
                  "owner_name", "baseline_date", "due_date", "projected_date", "actual_date", "status", "standing",
                  "is_critical", "estimated", "waive_reason", "note", "version"]
        read_only_fields = fields

    def get_standing(self, milestone) -> str:
        today = self.context["today"]
        return standing(milestone, today, self.context["soon"])


class PlanSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    risk_cause = serializers.CharField(source="risk_cause.code", read_only=True, default=None, allow_null=True)
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "order", "order_number", "status", "confirmed_on", "ex_factory", "etd", "eta",
                  "projected_ex_factory", "slip_days", "at_risk", "risk_cause", "has_estimated_dates", "version",
                  "milestones"]
        read_only_fields = fields

    def get_milestones(self, plan) -> list[dict]:
        return MilestoneSerializer(plan.milestones.all(), many=True, context=self.context).data


def with_milestones(plans):
    """Plans with their milestones in one more query, not one per plan."""
    rows = Milestone.objects.listed().order_by("position", "pk")
    return plans.prefetch_related(Prefetch("milestones", queryset=rows))


class DoneSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    actual_date = serializers.DateField(required=False, help_text="Empty means today; never in the future.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class WaiveSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(max_length=300)


class RescheduleSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    new_date = serializers.DateField(help_text=f"At most {DATE_WINDOW_YEARS} years before or after today.")
    reason = serializers.CharField(max_length=300)


def _day_context(context: dict) -> dict:
    today = timezone.localdate()
    return {**context, "today": today, "soon": due_soon_limit(today, WorkCalendar.load())}


@extend_schema_view(list=extend_schema(summary="Plans you can see",
                                        responses={200: PlanSerializer, **errors(400, 401)}),
                    retrieve=extend_schema(summary="A plan with its milestones",
                                           responses={200: PlanSerializer, **errors(404)}))
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def get_serializer_context(self):
        return _day_context(super().get_serializer_context())

    def get_queryset(self):
        return with_milestones(
            visible_plans(self.request.user).select_related("order", "risk_cause").order_by("ex_factory", "pk"))


@extend_schema_view(list=extend_schema(summary="Milestones you can see",
                                        responses={200: MilestoneSerializer, **errors(400, 401)}),
                    retrieve=extend_schema(summary="A milestone", responses={200: MilestoneSerializer, **errors(404)}))
class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter

    def get_serializer_context(self):
        return _day_context(super().get_serializer_context())

    def get_queryset(self):
        visible = order_list_visible_to(user=self.request.user).values("pk")
        return Milestone.objects.filter(plan__order__in=visible).listed().order_by("due_date", "pk")

    def _act(self, serializer_class, perform):
        milestone = self.get_object()
        data = self.parse(serializer_class)
        perform(milestone, data)
        return self.respond(milestone)

    @extend_schema(summary="Mark done (owner department or a manager)", request=DoneSerializer,
                   responses={200: MilestoneSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self._act(DoneSerializer, lambda m, d: services.milestone_complete(
            milestone=m, by=request.user, version=d["version"], actual_date=d.get("actual_date"), note=d["note"]))

    @extend_schema(summary="Waive with a reason (owner department or a manager)", request=WaiveSerializer,
                   responses={200: MilestoneSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        return self._act(WaiveSerializer, lambda m, d: services.milestone_waive(
            milestone=m, by=request.user, version=d["version"], reason=d["reason"]))

    @extend_schema(summary="Move to a new date with a reason; what depends on it moves too",
                   request=RescheduleSerializer, responses={200: MilestoneSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        return self._act(RescheduleSerializer, lambda m, d: services.milestone_reschedule(
            milestone=m, by=request.user, version=d["version"], new_date=d["new_date"], reason=d["reason"]))


class ChaseRowSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="e.g. `overdue_money`: overdue receivables")
    order = serializers.IntegerField(source="order_id")
    order_number = serializers.CharField()
    customer_code = serializers.CharField()
    what = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=3, coerce_to_string=True)
    currency = serializers.CharField()
    due_date = serializers.DateField()
    days_late = serializers.IntegerField()


class CockpitSerializer(serializers.Serializer):
    today = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField())
    overdue = MilestoneSerializer(many=True)
    due_today = MilestoneSerializer(many=True)
    due_this_week = MilestoneSerializer(many=True)
    at_risk = PlanSerializer(many=True)
    waiting = serializers.DictField(child=MilestoneSerializer(many=True))
    to_chase = ChaseRowSerializer(many=True, help_text="Overdue receivables on the orders you sell or follow.")


class CockpitView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Your cockpit: overdue, due today and this week, orders at risk, waiting on others",
                   responses={200: CockpitSerializer, **errors(401)})
    def get(self, request):
        cockpit = cockpit_for(request.user, timezone.localdate())
        context = _day_context({"request": request})
        data = {
            "today": cockpit.today, "counts": cockpit.counts, "overdue": cockpit.overdue,
            "due_today": cockpit.due_today, "due_this_week": cockpit.due_this_week,
            "at_risk": list(with_milestones(Plan.objects.filter(pk__in=[p.pk for p in cockpit.at_risk])
                                            .select_related("order", "risk_cause")
                                            .order_by("-slip_days", "ex_factory"))),
            "waiting": {rows[0].department: rows for _label, rows in cockpit.waiting},
            "to_chase": [{"section": section.key, **asdict(item)} for section, rows in cockpit.chase for item in rows],
        }
        return Response(CockpitSerializer(data, context=context).data)
