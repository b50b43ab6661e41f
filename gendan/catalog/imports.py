from django import forms

from gendan.catalog.forms import ProductForm
from gendan.catalog.services import product_create, product_update
from gendan.core.imports import Importer
from gendan.parties.models import Supplier


class ProductImportForm(ProductForm):
    default_supplier = forms.ModelChoiceField(queryset=Supplier.objects.all(), to_field_name="code", required=False)

    class Meta(ProductForm.Meta):
        fields = [f for f in ProductForm.Meta.fields if f not in ("image", "is_active")]


class ProductImporter(Importer):
    form_class = ProductImportForm
    code_fields = ("code", "hs_code", "default_supplier", "cost_currency")

    def initial_values(self, instance) -> dict:
        values = super().initial_values(instance)
        values["default_supplier"] = instance.default_supplier.code if instance.default_supplier else ""
        return values

    def may_update(self, instance) -> bool:
        return self.user.has_perm("catalog.change_product")

    def save_row(self, result) -> None:
        data = {k: v for k, v in result.form.cleaned_data.items() if k != "version"}
        if result.is_update:
            product_update(product=result.instance, by=self.user, version=result.instance.version, **data)
        else:
            product_create(by=self.user, **data)
