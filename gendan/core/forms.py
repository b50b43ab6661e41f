from django.forms.renderers import TemplatesSetting


class GendanFormRenderer(TemplatesSetting):
    """Render every form with Tabler (Bootstrap 5) markup and field-level errors."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
