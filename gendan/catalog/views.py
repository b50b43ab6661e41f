from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.catalog.filters import ProductFilter
from gendan.catalog.forms import CustomerItemFormSet, ProductForm
from gendan.catalog.imports import ProductImporter
from gendan.catalog.selectors import customer_items_visible_to, product_list_visible_to
from gendan.catalog.services import customer_item_set, product_create, product_update
from gendan.core.errors import ConcurrentChange
from gendan.core.forms import apply_service_errors
from gendan.core.history import history_of
from gendan.core.listing import filtered_list
from gendan.core.uploads import file_response
from gendan.core.views import import_page, import_template

OPTIONS = 30  # products offered at a time by the searchable select
PRODUCT_COLUMNS = [
    (gettext_lazy("Code"), lambda p: p.code),
    (gettext_lazy("Name (English)"), lambda p: p.name_en),
    (gettext_lazy("Name (Chinese)"), lambda p: p.name_zh),
    (gettext_lazy("Specification"), lambda p: p.specification),
    (gettext_lazy("Material"), lambda p: p.material),
    (gettext_lazy("HS code"), lambda p: p.hs_code),
    (gettext_lazy("Unit"), lambda p: p.unit),
    (gettext_lazy("Default supplier"), lambda p: p.default_supplier.code if p.default_supplier else ""),
    (gettext_lazy("Units per carton"), lambda p: p.units_per_carton),
    (gettext_lazy("Carton L×W×H (cm)"), lambda p: p.carton_size),
    (gettext_lazy("CBM per carton"), lambda p: p.cbm_per_carton),
    (gettext_lazy("N.W. per carton (kg)"), lambda p: p.net_weight_kg),
    (gettext_lazy("G.W. per carton (kg)"), lambda p: p.gross_weight_kg),
]


@login_required
def product_list(request):
    if not request.user.has_perm("catalog.view_product"):
        raise PermissionDenied
    products = product_list_visible_to(user=request.user)
    context, export = filtered_list(request, products, ProductFilter, columns=PRODUCT_COLUMNS, filename="products")
    return export or render(request, "catalog/product_list.html", context)


@login_required
def product_options(request):
    """Active products matching what the user typed (code, names, or an item number of a customer they see), for
    the searchable product select of an order line. Each carries the words it was found by, so the select's own
    filtering keeps it."""
    text = request.GET.get("q", "").strip()[:100]
    products = product_list_visible_to(user=request.user).filter(is_active=True)
    items: dict[int, list[str]] = {}
    if text:
        for product_id, item_no in customer_items_visible_to(user=request.user).filter(
                item_no__icontains=text).values_list("product", "item_no"):
            items.setdefault(product_id, []).append(item_no)
        products = products.filter(Q(code__icontains=text) | Q(name_en__icontains=text)
                                   | Q(name_zh__icontains=text) | Q(pk__in=items))
    return JsonResponse({"results": [
        {"value": product.pk, "text": str(product),
         "search": " ".join([product.code, product.name_en, product.name_zh, *items.get(product.pk, [])])}
        for product in products.order_by("code")[:OPTIONS]]})


@login_required
def product_detail(request, pk):
    product = get_object_or_404(product_list_visible_to(user=request.user), pk=pk)
    items = customer_items_visible_to(user=request.user).filter(product=product).select_related("customer")
    return render(request, "catalog/product_detail.html", {
        "product": product, "items": items, "history": history_of(product),
    })


@login_required
def product_image(request, pk):
    """Product pictures are sent by the app to people who may see products, never from /media/."""
    product = get_object_or_404(product_list_visible_to(user=request.user).exclude(image=""), pk=pk)
    return file_response(product.image, filename=product.image.name.rsplit("/", 1)[-1])


@login_required
def product_form(request, pk=None):
    product = get_object_or_404(product_list_visible_to(user=request.user), pk=pk) if pk else None
    if not request.user.has_perm("catalog.change_product" if pk else "catalog.add_product"):
        raise PermissionDenied
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    items = CustomerItemFormSet(request.POST or None, instance=product, prefix="items", user=request.user)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            with transaction.atomic():
                if product:
                    product_update(product=product, by=request.user, version=form.cleaned_data["version"] or 0,
                                   **data)
                else:
                    product = product_create(by=request.user, **data)
                _save_items(items, product, request.user)
        except ConcurrentChange as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Product %(code)s saved.") % {"code": product.code})
            return redirect(product)
    return render(request, "catalog/product_form.html", {"form": form, "items": items, "product": product})


def _save_items(formset, product, by) -> None:
    """Clear, then set: a row moved to another customer, or two rows swapping customers, loses nothing."""
    cleared, numbers = set(), {}
    for form in formset.forms:
        if not form.has_changed():
            continue
        original, customer = form.original_customer, form.cleaned_data.get("customer")
        if formset._should_delete_form(form):
            cleared.add(original)
            continue
        if original and original != customer:
            cleared.add(original)
        if customer:
            numbers[customer] = form.cleaned_data["item_no"]
    for customer in cleared - {None} - numbers.keys():
        customer_item_set(product=product, customer=customer, item_no="", by=by)
    for customer, item_no in numbers.items():
        customer_item_set(product=product, customer=customer, item_no=item_no, by=by)


@login_required
@permission_required("catalog.import_products", raise_exception=True)
def product_import(request):
    return import_page(request, ProductImporter(user=request.user), title=_("Import products"),
                       template_url="catalog:product_import_template", success_url="catalog:product_list")


@login_required
@permission_required("catalog.import_products", raise_exception=True)
def product_import_template(request):
    return import_template(ProductImporter(user=request.user), "products")
