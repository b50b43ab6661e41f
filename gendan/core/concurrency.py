from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gendan.core.errors import ConcurrentChange
from gendan.core.records import save_record


def take_version(obj, version: int) -> None:
    """Advance obj's version only if it is still `version`: the loser of two parallel edits is told."""
    won = type(obj).objects.filter(pk=obj.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not won:
        raise ConcurrentChange(obj)
    obj.version = version + 1


def save_first_version(record, version: int, *, by, **fields):
    """Save a record that did not exist yet as version 1. `version` is what the user's page showed: 0 for "not
    there yet". A page that showed a version is stale, and so is a second user saving the same new record at
    the same moment (the database refuses the second row): both are told to reload."""
    if version != 0:
        raise ConcurrentChange(record)
    record.version = 1
    try:
        with transaction.atomic():
            return save_record(record, by=by, **fields)
    except IntegrityError:
        raise ConcurrentChange(record) from None
