import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from gendan.accounts.models import User

PASSWORD = "Gendan-test-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, roles, **kwargs):
        self.save()
        for role in roles or ():
            self.groups.add(Group.objects.get(name=role))
