from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.core.trade import DocumentLanguage
from gendan.documents.choices import Response
from gendan.documents.services import SALES_DOCUMENTS


class GenerateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=[(k.value, k.label) for k in SALES_DOCUMENTS])
    language = forms.ChoiceField(label=_("Language"), choices=DocumentLanguage.choices)

class SendForm(StyledFormMixin, forms.Form):
    recipients = forms.CharField(label=_("To"), help_text=_("Email addresses, separated by commas"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea, required=False)

class ResponseForm(StyledFormMixin, forms.Form):
    response = forms.ChoiceField(label=_("Customer's answer"), choices=[
        (Response.CONFIRMED.value, Response.CONFIRMED.label), (Response.DISPUTED.value, Response.DISPUTED.label)])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    signed_copy = forms.FileField(label=_("Signed copy"), required=False)


class StatementForm(StyledFormMixin, forms.Form):
    period_start = forms.DateField(label=_("From"))
    as_of = forms.DateField(label=_("To"))
    currency = forms.ChoiceField(label=_("Currency"))
    language = forms.ChoiceField(label=_("Language"), choices=DocumentLanguage.choices)

    def __init__(self, *args, currencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]
