"""Saving a business record the one way every service does: fields set, model validation, the author
recorded in its history."""

from django.db import models


def save_record(record: models.Model, *, by, **fields) -> models.Model:
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record._history_user = by
    record.save()
    return record
