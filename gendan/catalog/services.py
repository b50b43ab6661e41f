from django.db import transaction

from gendan.catalog.models import CustomerItem, Product
from gendan.core.concurrency import take_version
from gendan.core.permissions import require_perm
from gendan.core.records import save_record


@transaction.atomic
def product_create(*, by, **fields) -> Product:
    require_perm(by, "catalog.add_product")
    return save_record(Product(), by=by, **fields)


@transaction.atomic
def product_update(*, product: Product, by, version: int, **changes) -> Product:
    require_perm(by, "catalog.change_product")
    take_version(product, version)
    return save_record(product, by=by, **changes)


@transaction.atomic
def customer_item_set(*, product: Product, customer, item_no: str, by) -> CustomerItem | None:
    """Record (or clear, with an empty item_no) the customer's own number for a product."""
    require_perm(by, "catalog.change_product")
    item = CustomerItem.objects.filter(product=product, customer=customer).first()
    if not item_no:
        if item:
            item.delete()
        return None
    return save_record(item or CustomerItem(product=product, customer=customer), by=by, item_no=item_no)
