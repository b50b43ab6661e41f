from django.db import transaction

from gendan.core.records import save_record


@transaction.atomic
def profile_update(*, user, **fields):
    """A person changes their own details (name, phone, e-mail, language)."""
    return save_record(user, by=user, **fields)
