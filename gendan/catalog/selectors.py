from django.db.models import QuerySet

from gendan.catalog.models import Product


def product_list_visible_to(*, user) -> QuerySet[Product]:
    if not user.has_perm("catalog.view_product"):
        return Product.objects.none()
    return Product.objects.select_related("default_supplier")
