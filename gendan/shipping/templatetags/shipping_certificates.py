"""The certificates card reads its own data, so the shipment page includes it with one line."""

from django import template

from gendan.shipping.certificate_views import certificates_card_context

register = template.Library()


@register.simple_tag(takes_context=True)
def certificates_card(context, shipment) -> dict:
    return certificates_card_context(context["request"].user, shipment)
