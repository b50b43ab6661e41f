from django.db.models import QuerySet

from gendan.catalog.models import CustomerItem, Product
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_list_visible_to


def product_list_visible_to(*, user) -> QuerySet[Product]:
    if not user.has_perm("catalog.view_product"):
        return Product.objects.none()
    return Product.objects.select_related("default_supplier")


def item_customers_for(*, user) -> QuerySet[Customer]:
    """The customers whose item numbers the user may see, search and edit: exactly the customers they may see
    (a customer's item numbers tell who buys what, as much as the customer's own page does)."""
    return customer_list_visible_to(user=user)


def customer_items_visible_to(*, user) -> QuerySet[CustomerItem]:
    return CustomerItem.objects.filter(customer__in=item_customers_for(user=user).values("pk"))
