"""One JSON shape for every API error, whoever raised it (DRF, Django, or a service).

    {"detail": "<one human sentence>", "code": "<machine code>"}                  # 401 403 404 405 409 429
    {"detail": "Invalid input.", "code": "invalid", "errors": {"<field>": ["…"]}}  # 400

`errors` is flat: a nested field is named by its path, e.g. ``lines.1.quantity`` for the second line's
quantity; errors that belong to no single field are under ``non_field_errors``. Services raise Django's
``ValidationError`` keyed by model field, and the API's field names are the model's, so a service rule
and a serializer check name the same field the same way.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from gendan.core.errors import ConcurrentChange, InvalidTransition


class Conflict(exceptions.APIException):
    """The request was understood but clashes with the record's current state or version."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record has changed; reload it and try again.")
    default_code = "conflict"


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": str(_("Invalid input.")), "code": "invalid", "errors": flatten_errors(exc.detail)}
    else:
        response.data = {"detail": _first_message(exc.detail), "code": _first_code(exc)}
    return response


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        # Keep the service's own sentence ("You cannot change this order.") instead of DRF's generic one.
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, InvalidTransition):
        return Conflict(str(exc), code="invalid_transition")
    if isinstance(exc, ConcurrentChange):
        return Conflict(str(exc), code="concurrent_change")
    return exc


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """{"lines": [{}, {"quantity": ["…"]}]} → {"lines.1.quantity": ["…"]}; Django's "__all__" → non_field_errors."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    errors: dict[str, list[str]] = {}

    def add(name: str, messages: list[str]) -> None:
        errors.setdefault(name or non_field, []).extend(messages)

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                if key in (non_field, "__all__"):
                    walk(value, path)  # errors about a nested object as a whole belong to that object
                else:
                    walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            if all(not isinstance(item, (dict, list)) for item in node):
                add(path, [str(item) for item in node])
            else:
                for index, item in enumerate(node):
                    if item:
                        walk(item, f"{path}.{index}" if path else str(index))
        else:
            add(path, [str(node)])

    walk(detail, prefix)
    return errors


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail)


def _first_code(exc) -> str:
    codes = exc.get_codes()
    while isinstance(codes, (dict, list)):
        codes = next(iter(codes.values()), None) if isinstance(codes, dict) else (codes[0] if codes else None)
    return codes or exc.default_code


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any /api/ path no endpoint matches (an id that is not a number, a typo) answers in the API's own
    JSON shape, not with Django's HTML page."""
    with translation.override(translation.get_language_from_request(request)):  # as NegotiatedLanguage
        error = exceptions.NotFound()
        return JsonResponse({"detail": str(error.detail), "code": error.default_code}, status=error.status_code)
