import django_filters
from django import forms
from django.utils.translation import gettext_noop

# django-filter ships no zh-hans catalogue; its sort-order label is translated in ours.
gettext_noop("%s (descending)")


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form carries Tabler classes (searchable selects, date pickers)."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                widget = field.widget
                if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                    widget.attrs["class"] = "form-select"
                    if isinstance(widget, forms.SelectMultiple) or len(getattr(field, "choices", ())) > 12:
                        widget.attrs["class"] += " searchable"
                elif isinstance(widget, forms.CheckboxInput):
                    widget.attrs["class"] = "form-check-input"
                else:
                    widget.attrs["class"] = "form-control"
                if isinstance(widget, forms.DateInput):
                    widget.input_type = "date"
            form._styled = True
        return form
