"""The finance reports in the API: the monthly sales report, collections, receivables aging and profit over months,
the same figures as the report pages (gendan/finance/reports.py) and the same permissions: the first three for
finance and the general manager (`finance.view_receipt`), profit for those who see profit (`finance.view_profit`),
over the orders they may see. Amounts are decimal strings, CNY to the fen."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as InputError
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.views import NegotiatedLanguage, errors
from gendan.finance import reports
from gendan.sales.selectors import order_list_visible_to

CNY = {"max_digits": 20, "decimal_places": 2, "coerce_to_string": True}
AMOUNT = {"max_digits": 20, "decimal_places": 3, "coerce_to_string": True}
MONTH = OpenApiParameter("month", str, description="YYYY-MM; last month when left out")
MONTHS = OpenApiParameter("months", int, enum=[6, 12, 24], description="How many months up to `month` (12)")


class PeriodSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False)
    months = serializers.ChoiceField(choices=[6, 12, 24], required=False)

    def validate_month(self, text: str) -> date:
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise serializers.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11."))
        chosen = date(year, month, 1)
        if chosen > timezone.localdate():
            raise serializers.ValidationError(_("That month has not started yet."))
        return chosen


def _period(request, perm: str) -> tuple[date, int, str]:
    if not request.user.has_perm(perm):
        raise PermissionDenied
    query = PeriodSerializer(data=request.query_params)
    if not query.is_valid():
        raise InputError(query.errors)
    return (query.validated_data.get("month") or reports.last_month(), int(query.validated_data.get("months") or 12),
            request.query_params.get("group", ""))


def _group(text: str, allowed: tuple[str, ...]) -> str:
    if text and text not in allowed:
        raise InputError({"group": [_("Choose one of: %(groups)s.") % {"groups": ", ".join(allowed)}]})
    return text or allowed[0]


class SalesRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="The salesperson's or customer's id; null: receipts on "
                                                              "no order yet")
    label = serializers.CharField()
    orders = serializers.IntegerField()
    values = serializers.DictField(child=serializers.DecimalField(**AMOUNT), help_text="Per currency")
    orders_cny = serializers.DecimalField(**CNY)
    shipped = serializers.IntegerField()
    shipped_cny = serializers.DecimalField(**CNY)
    received_cny = serializers.DecimalField(**CNY)
    unrated = serializers.IntegerField()


class SalesReportSerializer(serializers.Serializer):
    month = serializers.DateField()
    group = serializers.CharField()
    currencies = serializers.ListField(child=serializers.CharField())
    rows = SalesRowSerializer(many=True)
    totals = SalesRowSerializer()


class SalesReportView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Monthly sales report: orders confirmed, shipped value and receipts per salesperson or "
                           "customer (finance, general manager)",
                   parameters=[MONTH, OpenApiParameter("group", str, enum=list(reports.SALES_GROUPS))],
                   responses={200: SalesReportSerializer, **errors(400, 401, 403)})
    def get(self, request):
        month, _months, group = _period(request, "finance.view_receipt")
        report = reports.sales_report(month, _group(group, reports.SALES_GROUPS))
        return Response(SalesReportSerializer(report).data)


class CollectionsRowSerializer(serializers.Serializer):
    month = serializers.DateField()
    received_cny = serializers.DecimalField(**CNY)
    due_cny = serializers.DecimalField(**CNY)
    paid_cny = serializers.DecimalField(**CNY)
    open_cny = serializers.DecimalField(**CNY)
    paid_percent = serializers.DecimalField(max_digits=6, decimal_places=0, allow_null=True, coerce_to_string=True)


class CollectionsView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Collections per month: received against what fell due (finance, general manager)",
                   parameters=[MONTH, MONTHS], responses={200: CollectionsRowSerializer(many=True),
                                                          **errors(400, 401, 403)})
    def get(self, request):
        month, months, _group_text = _period(request, "finance.view_receipt")
        rows, _totals = reports.collections_report(month, months)
        return Response(CollectionsRowSerializer(rows, many=True).data)


class AgingReportRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    currency = serializers.CharField(help_text="The row's currency; CNY for the top-customers grouping")
    not_due = serializers.DecimalField(**AMOUNT)
    days_1_30 = serializers.DecimalField(source="1_30", **AMOUNT)
    days_31_60 = serializers.DecimalField(source="31_60", **AMOUNT)
    days_61_90 = serializers.DecimalField(source="61_90", **AMOUNT)
    over_90 = serializers.DecimalField(**AMOUNT)
    total = serializers.DecimalField(**AMOUNT)
    total_cny = serializers.DecimalField(**CNY)


class AgingReportView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Company receivables aging at a month's end, per currency or top customers (CNY) "
                           "(finance, general manager)",
                   parameters=[MONTH, OpenApiParameter("group", str, enum=list(reports.AGING_GROUPS))],
                   responses={200: AgingReportRowSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request):
        month, _months, group = _period(request, "finance.view_receipt")
        rows = reports.aging_report(reports.aging_as_of(month), _group(group, reports.AGING_GROUPS))
        return Response(AgingReportRowSerializer(rows, many=True).data)


class ProfitReportRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    orders = serializers.IntegerField()
    revenue_cny = serializers.DecimalField(**CNY)
    purchase_cny = serializers.DecimalField(**CNY)
    expenses_cny = serializers.DecimalField(**CNY)
    charges_cny = serializers.DecimalField(**CNY)
    refund_cny = serializers.DecimalField(**CNY)
    non_creditable_cny = serializers.DecimalField(**CNY)
    profit_cny = serializers.DecimalField(**CNY)


class ProfitReportView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Profit per month, customer or salesperson over a period (finance, sales managers, "
                           "general manager; the orders you may see)",
                   parameters=[MONTH, MONTHS, OpenApiParameter("group", str, enum=list(reports.PROFIT_REPORT_GROUPS))],
                   responses={200: ProfitReportRowSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request):
        month, months, group = _period(request, "finance.view_profit")
        rows = reports.profit_report(order_list_visible_to(user=request.user), month, months,
                                     _group(group, reports.PROFIT_REPORT_GROUPS))
        return Response(ProfitReportRowSerializer(rows, many=True).data)
