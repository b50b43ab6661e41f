from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.catalog.models import CustomerItem, Product
from gendan.catalog.selectors import item_customers_for
from gendan.core.concurrency import take_version
from gendan.core.permissions import require_perm
from gendan.core.records import save_record
from gendan.core.uploads import check_upload
from gendan.parties.models import Customer


@transaction.atomic
def product_create(*, by, **fields) -> Product:
    require_perm(by, "catalog.add_product")
    _check_image(fields.get("image"))
    return save_record(Product(), by=by, **fields)


@transaction.atomic
def product_update(*, product: Product, by, version: int, **changes) -> Product:
    require_perm(by, "catalog.change_product")
    take_version(product, version)
    _check_image(changes.get("image"))
    return save_record(product, by=by, **changes)


IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "webp"]


def _check_image(image) -> None:
    """A newly uploaded picture (not the one already stored) must be a raster image within the upload limit."""
    if isinstance(image, UploadedFile):
        check_upload(image, field="image", extensions=IMAGE_TYPES)


@transaction.atomic
def customer_item_set(*, product: Product, customer: Customer, item_no: str, by) -> CustomerItem | None:
    """Record (or clear, with an empty item_no) the customer's own number for a product."""
    require_perm(by, "catalog.change_product")
    if not item_customers_for(user=by).filter(pk=customer.pk).exists():
        # Worded as for an unknown customer: a customer the user may not see is one they need not learn of.
        raise ValidationError({"customer": _("Choose one of your own customers.")})
    item = CustomerItem.objects.filter(product=product, customer=customer).first()
    if not item_no:
        if item:
            item._history_user = by
            item.delete()
        return None
    return save_record(item or CustomerItem(product=product, customer=customer), by=by, item_no=item_no)
