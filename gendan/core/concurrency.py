from django.db.models import F
from django.utils import timezone

from gendan.core.errors import ConcurrentChange


def take_version(obj, version: int) -> None:
    """Advance obj's version only if it is still `version`: the loser of two parallel edits is told."""
    won = type(obj).objects.filter(pk=obj.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not won:
        raise ConcurrentChange(obj)
    obj.version = version + 1
