"""Money in the API: receipts (record, allocate, confirm, reverse), an order's payment schedule with its gates,
gate exceptions, the receivables aging, expenses (record, void), export VAT refund rates, an order's profit, and
an order's credit check with its credit approvals — on the same services, selectors and permissions as the
pages."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as InputError
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.views import BaseViewSet, NegotiatedLanguage, errors
from gendan.finance import gates, services
from gendan.finance.choices import CreditApprovalStatus
from gendan.finance.credit import credit_check
from gendan.finance.filters import ExpenseFilter, ReceiptFilter
from gendan.finance.models import (
    Allocation,
    BankAccount,
    CreditApproval,
    Expense,
    GateException,
    Receipt,
    Refund,
    RefundRate,
    ScheduleLine,
    VatRefund,
)
from gendan.finance.profit import order_profit
from gendan.finance.selectors import aging_by_customer, schedule_of
from gendan.parties.models import Customer, Supplier
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_list_visible_to

AMOUNT = {"max_digits": 16, "decimal_places": 3, "coerce_to_string": True}


class AllocationSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="line.order_id", read_only=True)
    order_number = serializers.CharField(source="line.order.number", read_only=True)
    kind = serializers.CharField(source="line.kind", read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "line", "order", "order_number", "kind", "amount", "created_at"]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**AMOUNT)

    class Meta:
        model = Refund
        fields = ["id", "amount", "refunded_on", "reference", "reason", "recorded_by", "created_at"]
        read_only_fields = ["id", "recorded_by", "created_at"]


class RefundInputSerializer(RefundSerializer):
    version = serializers.IntegerField(min_value=0)
    amount = serializers.DecimalField(max_digits=16, decimal_places=3)

    class Meta(RefundSerializer.Meta):
        fields = ["version", "amount", "refunded_on", "reference", "reason"]
        read_only_fields = []


class ReleaseSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    allocation = serializers.IntegerField(min_value=1, help_text="One of the receipt's allocations.")
    reason = serializers.CharField(max_length=100)


class ReceiptSerializer(serializers.ModelSerializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.filter(is_active=True))
    bank_account = serializers.PrimaryKeyRelatedField(queryset=BankAccount.objects.filter(is_active=True))
    amount = serializers.DecimalField(**AMOUNT)
    bank_charges = serializers.DecimalField(**AMOUNT, default=Decimal(0))
    rate_to_cny = serializers.DecimalField(max_digits=12, decimal_places=6, coerce_to_string=True)
    unallocated = serializers.SerializerMethodField()
    allocations = AllocationSerializer(many=True, read_only=True)
    refunds = RefundSerializer(many=True, read_only=True)

    class Meta:
        model = Receipt
        fields = ["id", "number", "customer", "received_on", "bank_account", "currency", "amount", "bank_charges",
                  "rate_to_cny", "reference", "note", "status", "reverse_reason", "unallocated", "allocations",
                  "refunds", "version"]
        read_only_fields = ["id", "number", "currency", "status", "reverse_reason", "version"]

    def get_unallocated(self, receipt) -> str:
        # from the prefetched allocations and refunds: `selectors.unallocated` would query once per listed receipt
        used = sum((a.amount for a in receipt.allocations.all()), Decimal(0)) + sum(
            (r.amount for r in receipt.refunds.all()), Decimal(0))
        return str(receipt.amount - used)


class AllocationInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, help_text="A schedule line of the receipt's customer.")
    amount = serializers.DecimalField(max_digits=16, decimal_places=3)


class AllocateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    allocations = AllocationInputSerializer(many=True, allow_empty=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)


class ReverseSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=300)


@extend_schema_view(
    list=extend_schema(summary="Receipts (finance and the general manager)",
                       responses={200: ReceiptSerializer, **errors(400, 401, 403)}),
    retrieve=extend_schema(summary="A receipt with its allocations", responses={200: ReceiptSerializer,
                                                                               **errors(401, 403, 404)}),
    create=extend_schema(summary="Record a receipt as the bank statement shows it; its currency is the account's",
                         request=ReceiptSerializer, responses={201: ReceiptSerializer, **errors(400, 401, 403)}),
)
class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, BaseViewSet):
    serializer_class = ReceiptSerializer
    filterset_class = ReceiptFilter
    required_perms = {"list": "finance.view_receipt", "retrieve": "finance.view_receipt",
                      "create": "finance.add_receipt", "allocate": "finance.change_receipt",
                      "confirm": "finance.confirm_receipt", "reverse": "finance.reverse_receipt",
                      "release": "finance.change_receipt", "refund": "finance.change_receipt"}

    def get_queryset(self):
        return (Receipt.objects.select_related("customer", "bank_account")
                .prefetch_related("allocations__line__order", "refunds").order_by("-received_on", "-pk"))

    def create(self, request, *args, **kwargs):
        data = self.parse(ReceiptSerializer)
        data["currency"] = data["bank_account"].currency
        receipt = services.receipt_record(by=request.user, **data)
        return self.respond(receipt, status.HTTP_201_CREATED)

    @extend_schema(summary="Allocate to schedule lines of the customer's orders", request=AllocateSerializer,
                   responses={200: ReceiptSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        receipt = self.get_object()
        data = self.parse(AllocateSerializer)
        wanted = [item["line"] for item in data["allocations"]]
        lines = {line.pk: line for line in ScheduleLine.objects.filter(pk__in=wanted)}
        missing = [index for index, line_id in enumerate(wanted) if line_id not in lines]
        if missing:
            raise InputError({f"allocations.{index}.line": [_("No such schedule line.")] for index in missing})
        services.receipt_allocate(receipt=receipt, by=request.user, version=data["version"],
                                  allocations=[(lines[item["line"]], item["amount"]) for item in data["allocations"]])
        return self.respond(receipt)

    @extend_schema(summary="Confirm the money arrived (到账确认): it counts from now on", request=VersionSerializer,
                   responses={200: ReceiptSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        receipt = self.get_object()
        services.receipt_confirm(receipt=receipt, by=request.user, version=self.parse(VersionSerializer)["version"])
        return self.respond(receipt)

    @extend_schema(summary="Reverse with a reason (never deleted); its money stops counting",
                   request=ReverseSerializer, responses={200: ReceiptSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        receipt = self.get_object()
        data = self.parse(ReverseSerializer)
        services.receipt_reverse(receipt=receipt, by=request.user, version=data["version"], reason=data["reason"])
        return self.respond(receipt)


    @extend_schema(summary="Take one allocation off (with a reason): the money is back in the receipt's rest",
                   request=ReleaseSerializer, responses={200: ReceiptSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        receipt = self.get_object()
        data = self.parse(ReleaseSerializer)
        allocation = receipt.allocations.filter(pk=data["allocation"]).select_related("line__order").first()
        if allocation is None:
            raise InputError({"allocation": [_("No such allocation on this receipt.")]})
        services.allocation_release(allocation=allocation, by=request.user, version=data["version"],
                                    reason=data["reason"])
        return self.respond(receipt)

    @extend_schema(summary="Pay money back to the customer out of the receipt's unallocated rest",
                   request=RefundInputSerializer, responses={200: ReceiptSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        receipt = self.get_object()
        data = self.parse(RefundInputSerializer)
        services.refund_record(receipt=receipt, by=request.user, **data)
        return self.respond(receipt)


class ScheduleLineSerializer(serializers.ModelSerializer):
    received = serializers.DecimalField(**AMOUNT, read_only=True)
    open = serializers.DecimalField(**AMOUNT, read_only=True)

    class Meta:
        model = ScheduleLine
        fields = ["id", "kind", "amount", "currency", "due_after", "due_days", "due_date", "received", "open"]
        read_only_fields = fields


class GateAnswerSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    exception = serializers.IntegerField(allow_null=True, help_text="The exception that lets it through, if one does.")


class GateExceptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = GateException
        fields = ["id", "gate", "reason", "expires_on", "granted_by", "granted_at", "revoked_at"]
        read_only_fields = ["id", "granted_by", "granted_at", "revoked_at"]


class OrderMoneySerializer(serializers.Serializer):
    order = serializers.IntegerField()
    schedule = ScheduleLineSerializer(many=True)
    production = GateAnswerSerializer()
    shipment = GateAnswerSerializer()
    exceptions = GateExceptionSerializer(many=True)


def _answer(answer: gates.Answer) -> dict:
    return {"allowed": answer.allowed, "reason": answer.reason,
            "exception": answer.exception.pk if answer.exception else None}


class OrderMoneyView(NegotiatedLanguage, APIView):
    """An order's payment schedule and gates, for whoever may see the order."""

    def _order(self, request, pk):
        return get_object_or_404(order_list_visible_to(user=request.user), pk=pk)

    def _data(self, order) -> dict:
        lines = schedule_of(order)
        return OrderMoneySerializer({
            "order": order.pk, "schedule": lines, "production": _answer(gates.may_start_production(order, lines=lines)),
            "shipment": _answer(gates.may_ship(order, lines=lines)), "exceptions": order.gate_exceptions.all()}).data

    @extend_schema(summary="An order's payment schedule, what arrived, and whether production and shipment may go",
                   responses={200: OrderMoneySerializer, **errors(401, 404)})
    def get(self, request, pk):
        return Response(self._data(self._order(request, pk)))

    @extend_schema(summary="Let one gate open without the money (finance or the general manager)",
                   request=GateExceptionSerializer, responses={201: OrderMoneySerializer, **errors(400, 401, 403, 404)})
    def post(self, request, pk):
        order = self._order(request, pk)
        if not request.user.has_perm("finance.add_gateexception"):
            raise PermissionDenied
        serializer = GateExceptionSerializer(data=request.data)
        if not serializer.is_valid():
            raise InputError(serializer.errors)
        services.gate_exception_grant(order=order, by=request.user, **serializer.validated_data)
        return Response(self._data(order), status=status.HTTP_201_CREATED)


class AgingRowSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="customer.pk")
    customer_code = serializers.CharField(source="customer.code")
    currency = serializers.CharField()
    not_due = serializers.DecimalField(**AMOUNT)
    days_1_30 = serializers.DecimalField(source="1_30", **AMOUNT)
    days_31_60 = serializers.DecimalField(source="31_60", **AMOUNT)
    days_61_90 = serializers.DecimalField(source="61_90", **AMOUNT)
    over_90 = serializers.DecimalField(**AMOUNT)
    total = serializers.DecimalField(**AMOUNT)


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)


class ReceivablesView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Receivables aging per customer and currency as of a day (finance, general manager)",
                   parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD; today when left out")],
                   responses={200: AgingRowSerializer(many=True), **errors(400, 401, 403)})
    def get(self, request):
        if not request.user.has_perm("finance.view_receipt"):
            raise PermissionDenied
        query = AsOfSerializer(data=request.query_params)
        if not query.is_valid():
            raise InputError(query.errors)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        return Response(AgingRowSerializer(aging_by_customer(as_of), many=True).data)



# ---------------------------------------------------------------- expenses, refund rates, profit


class ExpenseSerializer(serializers.ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(queryset=SalesOrder.objects.all())
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), required=False, allow_null=True)
    amount = serializers.DecimalField(**AMOUNT)
    rate_to_cny = serializers.DecimalField(max_digits=12, decimal_places=6, coerce_to_string=True)
    amount_cny = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True, read_only=True)

    class Meta:
        model = Expense
        fields = ["id", "order", "kind", "amount", "currency", "rate_to_cny", "amount_cny", "incurred_on", "supplier",
                  "payee", "reference", "note", "recorded_by", "recorded_at", "voided_by", "voided_at", "void_reason",
                  "version"]
        read_only_fields = ["id", "amount_cny", "recorded_by", "recorded_at", "voided_by", "voided_at", "void_reason",
                            "version"]


class VoidSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=300)


@extend_schema_view(
    list=extend_schema(summary="Expenses on orders (finance, sales managers, the general manager)",
                       responses={200: ExpenseSerializer, **errors(400, 401, 403)}),
    retrieve=extend_schema(summary="An expense", responses={200: ExpenseSerializer, **errors(401, 403, 404)}),
    create=extend_schema(summary="Record an expense on an order (finance), in its currency with the rate to CNY",
                         request=ExpenseSerializer, responses={201: ExpenseSerializer, **errors(400, 401, 403)}),
)
class ExpenseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, BaseViewSet):
    serializer_class = ExpenseSerializer
    filterset_class = ExpenseFilter
    required_perms = {"list": "finance.view_expense", "retrieve": "finance.view_expense",
                      "create": "finance.add_expense", "void": "finance.void_expense"}

    def get_queryset(self):
        return Expense.objects.select_related("order", "supplier").order_by("-incurred_on", "-pk")

    def create(self, request, *args, **kwargs):
        data = self.parse(ExpenseSerializer)
        if not order_list_visible_to(user=request.user).filter(pk=data["order"].pk).exists():
            raise InputError({"order": [_("No such order.")]})
        expense = services.expense_record(by=request.user, **data)
        return self.respond(expense, status.HTTP_201_CREATED)

    @extend_schema(summary="Void an expense with a reason (never deleted); it stops counting in the profit",
                   request=VoidSerializer, responses={200: ExpenseSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        expense = self.get_object()
        data = self.parse(VoidSerializer)
        services.expense_void(expense=expense, by=request.user, version=data["version"], reason=data["reason"])
        return self.respond(expense)


class RefundRateSerializer(serializers.ModelSerializer):
    hs_prefix = serializers.CharField(max_length=13, help_text="An HS code or its first digits; dots are ignored.")
    refund_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = RefundRate
        fields = ["id", "hs_prefix", "refund_rate", "vat_rate", "valid_from", "valid_to", "note", "version"]
        read_only_fields = ["id", "version"]


class RefundRateUpdateSerializer(RefundRateSerializer):
    version = serializers.IntegerField(min_value=0)

    class Meta(RefundRateSerializer.Meta):
        read_only_fields = ["id"]


@extend_schema_view(
    list=extend_schema(summary="Export VAT refund rates by HS code, with their validity",
                       responses={200: RefundRateSerializer, **errors(400, 401, 403)}),
    retrieve=extend_schema(summary="A refund rate", responses={200: RefundRateSerializer, **errors(401, 403, 404)}),
    create=extend_schema(summary="Add a refund rate (finance)", request=RefundRateSerializer,
                         responses={201: RefundRateSerializer, **errors(400, 401, 403)}),
)
class RefundRateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, BaseViewSet):
    serializer_class = RefundRateSerializer
    required_perms = {"list": "finance.view_refundrate", "retrieve": "finance.view_refundrate",
                      "create": "finance.add_refundrate", "partial_update": "finance.change_refundrate"}

    def get_queryset(self):
        return RefundRate.objects.order_by("hs_prefix", "-valid_from")

    def create(self, request, *args, **kwargs):
        rate = services.refund_rate_save(by=request.user, **self.parse(RefundRateSerializer))
        return self.respond(rate, status.HTTP_201_CREATED)

    @extend_schema(summary="Change a refund rate (send `version`)", request=RefundRateUpdateSerializer,
                   responses={200: RefundRateSerializer, **errors(400, 401, 403, 404, 409)})
    def partial_update(self, request, pk=None):
        rate = self.get_object()
        data = {**RefundRateSerializer(rate).data, **request.data}
        data.pop("id", None)
        values = self.parse(RefundRateUpdateSerializer, data=data, instance=rate)
        services.refund_rate_save(by=request.user, rate=rate, **values)
        return self.respond(rate)


class VatRefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = VatRefund
        fields = ["method", "base_cny", "estimated_cny", "non_creditable_cny", "unrated_lines", "estimated_at",
                  "declared_cny", "declared_on", "received_cny", "received_on", "note", "version"]
        read_only_fields = fields


CNY_AMOUNT = {"max_digits": 20, "decimal_places": 2, "coerce_to_string": True}


class OrderProfitSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    currency = serializers.CharField()
    total_amount = serializers.DecimalField(**AMOUNT)
    revenue_cny = serializers.DecimalField(**CNY_AMOUNT)
    purchase_cny = serializers.DecimalField(**CNY_AMOUNT)
    expenses_cny = serializers.DecimalField(**CNY_AMOUNT)
    charges_cny = serializers.DecimalField(**CNY_AMOUNT, help_text="The receipts' bank charges, by allocation")
    refund_cny = serializers.DecimalField(**CNY_AMOUNT, help_text="Received, else declared, else estimated")
    non_creditable_cny = serializers.DecimalField(**CNY_AMOUNT, help_text="A manufacturer's, a cost")
    profit_cny = serializers.DecimalField(**CNY_AMOUNT)
    rate_known = serializers.BooleanField(help_text="False when the unpaid part's currency has no rate yet")
    vat_refund = VatRefundSerializer(allow_null=True)
    expenses = ExpenseSerializer(many=True)


class OrderProfitView(NegotiatedLanguage, APIView):
    """What an order earns in CNY, part by part (the profit page's arithmetic), with its expenses and refund."""

    @extend_schema(summary="An order's profit in CNY (finance, sales managers, the general manager)",
                   responses={200: OrderProfitSerializer, **errors(401, 403, 404)})
    def get(self, request, pk):
        order = get_object_or_404(order_list_visible_to(user=request.user), pk=pk)
        if not request.user.has_perm("finance.view_profit"):
            raise PermissionDenied
        return Response(OrderProfitSerializer(order_profit(order)).data)  # its vat_refund and expenses as related
# ---------------------------------------------------------------- credit


class CreditApprovalSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    amount = serializers.DecimalField(**AMOUNT, read_only=True)
    exposure = serializers.DecimalField(**AMOUNT, read_only=True)
    credit_limit = serializers.DecimalField(**AMOUNT, read_only=True)

    class Meta:
        model = CreditApproval
        fields = ["id", "order", "order_number", "status", "amount", "currency", "exposure", "credit_limit",
                  "limit_currency", "reason", "requested_by", "requested_at", "decided_by", "decided_at",
                  "decision_note", "version"]
        read_only_fields = fields


class OrderCreditSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    credit_limit = serializers.DecimalField(source="limit", **AMOUNT, allow_null=True,
                                            help_text="In `currency`; null when the customer has no limit.")
    currency = serializers.CharField(help_text="The credit limit's: the customer's default currency.")
    receivables = serializers.DecimalField(source="others.receivables", **AMOUNT,
                                           help_text="Open on the customer's other confirmed orders' schedules.")
    unscheduled = serializers.DecimalField(source="others.unscheduled", **AMOUNT,
                                           help_text="Open orders without a payment schedule, at their total.")
    this_order = serializers.DecimalField(**AMOUNT, help_text="0 when the order is in another currency.")
    exposure = serializers.DecimalField(**AMOUNT)
    over_limit = serializers.BooleanField(source="over")
    needs_approval = serializers.BooleanField(help_text="Confirming is refused until credit is approved.")
    reason = serializers.CharField(source="reason_text")
    approval = serializers.IntegerField(allow_null=True,
                                        help_text="The approved credit approval that covers the order's total.")
    approvals = CreditApprovalSerializer(many=True)


class CreditRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CreditDecisionSerializer(VersionSerializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="Required when rejecting.")


def _credit_data(order) -> dict:
    check = credit_check(order)
    return OrderCreditSerializer({
        "order": order, "limit": check.limit, "currency": check.currency, "others": check.others,
        "this_order": check.this_order, "exposure": check.exposure, "over": check.over,
        "needs_approval": check.needs_approval, "reason_text": check.reason(),
        "approval": check.approval.pk if check.approval else None,
        "approvals": order.credit_approvals.all()}).data


class OrderCreditView(NegotiatedLanguage, APIView):
    """The credit check of an order, for whoever may see it; a credit approval requested by whoever may change or
    confirm it."""

    def _order(self, request, pk):
        return get_object_or_404(order_list_visible_to(user=request.user), pk=pk)

    @extend_schema(summary="An order's credit check: the customer's exposure, the limit, and the approvals",
                   responses={200: OrderCreditSerializer, **errors(401, 404)})
    def get(self, request, pk):
        return Response(_credit_data(self._order(request, pk)))

    @extend_schema(summary="Request a credit approval to confirm the order past the customer's limit",
                   request=CreditRequestSerializer, responses={201: OrderCreditSerializer,
                                                               **errors(400, 401, 403, 404)})
    def post(self, request, pk):
        order = self._order(request, pk)
        serializer = CreditRequestSerializer(data=request.data)
        if not serializer.is_valid():
            raise InputError(serializer.errors)
        services.credit_approval_request(order=order, by=request.user, **serializer.validated_data)
        return Response(_credit_data(order), status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Credit approvals, newest first (`status=requested` for those waiting)",
                       parameters=[OpenApiParameter("status", str, enum=CreditApprovalStatus.values)],
                       responses={200: CreditApprovalSerializer, **errors(400, 401, 403)}),
    retrieve=extend_schema(summary="A credit approval", responses={200: CreditApprovalSerializer,
                                                                  **errors(401, 403, 404)}),
)
class CreditApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = CreditApprovalSerializer
    required_perms = {"list": "finance.view_creditapproval", "retrieve": "finance.view_creditapproval",
                      "approve": "finance.approve_credit", "reject": "finance.approve_credit"}

    def get_queryset(self):
        rows = CreditApproval.objects.select_related("order").order_by("-requested_at", "-pk")
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted:
            if wanted not in CreditApprovalStatus.values:
                raise InputError({"status": [_("Choose one of: %(values)s.") % {
                    "values": ", ".join(CreditApprovalStatus.values)}]})
            rows = rows.filter(status=wanted)
        return rows

    def _decide(self, request, approve: bool):
        approval = self.get_object()
        data = self.parse(CreditDecisionSerializer)
        services.credit_approval_decide(approval=approval, by=request.user, approve=approve, **data)
        return self.respond(approval)

    @extend_schema(summary="Approve: the order may be confirmed up to the amount (sales manager, general manager)",
                   request=CreditDecisionSerializer,
                   responses={200: CreditApprovalSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(summary="Reject, saying why (sales manager, general manager)", request=CreditDecisionSerializer,
                   responses={200: CreditApprovalSerializer, **errors(400, 401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, False)
