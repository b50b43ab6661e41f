"""Documents in the API: list and read them, download their PDF or XLSX, make an order's PI or sales contract
and a customer's statement, send one by email, record the customer's answer — on the same services, selectors
and permissions as the pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as InputError
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.views import BaseViewSet, NegotiatedLanguage, errors
from gendan.core.trade import DocumentLanguage
from gendan.core.uploads import file_response
from gendan.documents import services
from gendan.documents.choices import Response as Answer
from gendan.documents.filters import DocumentFilter
from gendan.documents.models import Document
from gendan.documents.selectors import document_list_visible_to
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.selectors import order_list_visible_to


class DocumentSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=16, decimal_places=3, coerce_to_string=True, allow_null=True)
    has_xlsx = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "number", "version", "language", "order", "customer", "period_start", "as_of",
                  "total", "currency", "has_xlsx", "generated_by", "generated_at", "rendered_at", "sent_to", "sent_at",
                  "sent_by", "response", "response_note", "responded_at", "responded_by"]
        read_only_fields = fields

    def get_has_xlsx(self, document) -> bool:
        return bool(document.xlsx)


class SendSerializer(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.CharField(max_length=254), allow_empty=False, max_length=20)
    subject = serializers.CharField(max_length=200)
    message = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class AnswerSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=[Answer.CONFIRMED.value, Answer.DISPUTED.value])
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class SalesDocumentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[k.value for k in services.SALES_DOCUMENTS])
    language = serializers.ChoiceField(choices=DocumentLanguage.choices, required=False, default="")


class StatementSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    as_of = serializers.DateField()
    currency = serializers.CharField(max_length=3, required=False, default="")
    language = serializers.ChoiceField(choices=DocumentLanguage.choices, required=False, default="")


FILE = {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), **errors(401, 404)}


@extend_schema_view(
    list=extend_schema(summary="Documents you may see (those of orders and customers you see), newest first",
                       responses={200: DocumentSerializer, **errors(400, 401)}),
    retrieve=extend_schema(summary="One version of a document", responses={200: DocumentSerializer,
                                                                            **errors(401, 404)}),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    required_perms = {"list": "documents.view_document", "retrieve": "documents.view_document",
                      "pdf": "documents.view_document", "xlsx": "documents.view_document",
                      "send": "documents.send_document", "answer": "documents.record_response"}

    def get_queryset(self):
        return document_list_visible_to(user=self.request.user)

    @extend_schema(summary="The PDF as it was generated", responses=FILE)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        document = services.document_render(self.get_object())
        return file_response(document.pdf, filename=document.filename("pdf"))

    @extend_schema(summary="The XLSX (statements have one)", responses=FILE)
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        document = self.get_object()
        if not document.xlsx:
            raise Http404
        return file_response(document.xlsx, filename=document.filename("xlsx"))

    @extend_schema(summary="Email it, the file attached; logged on the order", request=SendSerializer,
                   responses={200: DocumentSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        document = self.get_object()
        services.document_send(document=document, by=request.user, **self.parse(SendSerializer))
        return self.respond(document)

    @extend_schema(summary="Record the customer's answer: confirmed, or disputed with a note",
                   request=AnswerSerializer, responses={200: DocumentSerializer, **errors(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        document = self.get_object()
        services.document_record_response(document=document, by=request.user, **self.parse(AnswerSerializer))
        return self.respond(document)


def _made(document: Document, made: bool) -> Response:
    return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED if made else status.HTTP_200_OK)


def _input(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InputError(serializer.errors)
    return dict(serializer.validated_data)


class OrderDocumentsView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Make the order's proforma invoice or sales contract: 201 with a new version, 200 with "
                           "the latest when nothing changed", request=SalesDocumentSerializer,
                   responses={201: DocumentSerializer, 200: DocumentSerializer, **errors(400, 401, 403, 404)})
    def post(self, request, pk):
        order = get_object_or_404(order_list_visible_to(user=request.user), pk=pk)
        document, made = services.sales_document_generate(order=order, by=request.user,
                                                          **_input(SalesDocumentSerializer, request.data))
        return _made(document, made)


class CustomerStatementsView(NegotiatedLanguage, APIView):
    @extend_schema(summary="Make the customer's statement of account for a period (finance, general manager)",
                   request=StatementSerializer,
                   responses={201: DocumentSerializer, 200: DocumentSerializer, **errors(400, 401, 403, 404)})
    def post(self, request, pk):
        customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=pk)
        if not request.user.has_perm("finance.view_receipt"):
            raise PermissionDenied
        document, made = services.statement_generate(customer=customer, by=request.user,
                                                     **_input(StatementSerializer, request.data))
        return _made(document, made)
