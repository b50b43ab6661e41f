import copy

from django import forms
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.models import CompanyProfile
from gendan.core.uploads import check_upload


class GendanFormRenderer(TemplatesSetting):
    """Render every form with Tabler (Bootstrap 5) markup and field-level errors."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class RemoteSelect(forms.Select):
    """A searchable select whose options come from `url` (JSON {"results": [{"value", "text"}]}, `?q=` what the
    user typed) as the user types: the page carries the chosen option only, not a catalogue of thousands. The
    field still validates against its whole queryset."""

    def __init__(self, url: str, attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-search-url"] = reverse(self.url)
        return context

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if str(v).isdigit()]
        everything = self.choices
        self.choices = copy.copy(everything)
        self.choices.queryset = everything.queryset.filter(pk__in=chosen)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


class StyledFormMixin:
    """Give widgets Tabler classes and mark invalid fields, so templates stay plain `{{ form }}`."""

    wide_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") in (None, "10"):  # Django's default
                widget.attrs["rows"] = 3  # a form's own choice (a letter's text) stays
            if name in self.wide_fields or isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("col", "col-12")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            _label_empty_choice(field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


BLANK_CHOICE_LABEL = "---------"  # Django's


def _label_empty_choice(field) -> None:
    """A select's empty choice says what it means rather than Django's "---------": choose one, or none."""
    label = _("Choose…") if field.required else pgettext_lazy("empty choice", "None")
    if isinstance(field, forms.ModelChoiceField):  # its choices would be a query
        if field.empty_label == BLANK_CHOICE_LABEL:
            field.empty_label = label
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if choices and choices[0] == ("", BLANK_CHOICE_LABEL):
            field.choices = [("", label), *choices[1:]]


def apply_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form, field by field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    wide_fields = ("file",)

    def clean(self):
        if file := self.cleaned_data.get("file"):
            check_upload(file, field="file", extensions=["xlsx"], sniff=False)  # the workbook is checked on reading
        return self.cleaned_data


class CalendarYearForm(StyledFormMixin, forms.Form):
    """A year's days as pasted from the State Council's notice (or the simple table); checked line by line."""

    source = forms.CharField(label=_("Source"), max_length=200,
                             help_text=_("e.g. State Council notice 国办发明电〔2026〕7号"))
    days = forms.CharField(label=_("Holidays and adjusted working days"), widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)  # the year's, as the page showed it
    wide_fields = ("source", "days")

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["days"].widget.attrs.update(rows=16, spellcheck="false")
        self.notice = None

    def clean_days(self):
        from gendan.core.calendar_notice import parse_notice  # models: this module loads with the settings

        self.notice = parse_notice(self.cleaned_data["days"], self.year)
        if self.notice.errors:
            raise forms.ValidationError(self.notice.errors)
        return self.notice.days


class LogoInput(forms.ClearableFileInput):
    """The current logo links to the view that sends it: uploaded files are never served from /media/."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _Linked(value.name.rsplit("/", 1)[-1], reverse("core:company_logo"))
        return context


class _Linked(str):
    """A file name that knows where it is served."""

    def __new__(cls, name: str, url: str):
        linked = super().__new__(cls, name)
        linked.url = url
        return linked


class CompanyProfileForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)  # the profile's, as the page showed it
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")
    wide_fields = ("address_zh", "address_en", "logo")

    class Meta:
        model = CompanyProfile
        fields = ["name_zh", "name_en", "address_zh", "address_en", "phone", "email", "website", "tax_id",
                  "company_type", "logo", "tracking_shows_prices"]
        widgets = {"logo": LogoInput(attrs={"accept": ".png,.jpg,.jpeg"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo is not self.instance.logo and hasattr(logo, "content_type"):  # a new upload
            check_upload(logo, field="logo", extensions=["png", "jpg", "jpeg"])
        return logo
