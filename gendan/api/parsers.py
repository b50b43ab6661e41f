"""The API reads JSON only: order lines and customer contacts are nested, and form or multipart
encodings cannot carry them (they were silently dropped), so those encodings get 415 instead.

A body nested deeper than any record we take is refused with 400 before it is walked, instead of
exhausting Python's recursion limit (a 500) in the decoder or the serializers.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # an order with lines is 3 levels deep


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("The JSON body is nested too deeply."))
        return data


def _depth_exceeds(data, limit: int) -> bool:
    """Walk without recursion, so the check itself cannot overflow."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False
