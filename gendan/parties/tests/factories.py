import factory
from factory.django import DjangoModelFactory

from gendan.accounts.tests.factories import UserFactory
from gendan.parties.models import Contact, Customer, Supplier


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name_en = factory.Sequence(lambda n: f"Customer {n} Ltd")
    name_zh = factory.Sequence(lambda n: f"客户{n}")
    country = "US"
    currency = "USD"
    incoterm = "FOB"
    incoterm_place = "Ningbo"
    owner = factory.SubFactory(UserFactory)


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = Supplier

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name_zh = factory.Sequence(lambda n: f"供应商{n}")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Faker("name")
    email = factory.Faker("email")
