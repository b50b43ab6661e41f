"""Saving a business record the one way every service does: fields set, model validation, the author
recorded in its history."""

from django.core.exceptions import ValidationError
from django.db import models


def save_record(record: models.Model, *, by, **fields) -> models.Model:
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record._history_user = by
    record.save()
    return record


def check_fields(record: models.Model, names) -> None:
    """The model's own checks of the named fields (required, length, choices, validators), as a form makes
    them, for services that set fields themselves: a caller that skips the forms cannot store what a form
    would refuse. Relations and unique constraints are left to the database (checking them here costs a
    query each). Raises ValidationError naming each field."""
    names = set(names)
    record.clean_fields(exclude=[f.name for f in record._meta.concrete_fields
                                 if f.name not in names or f.is_relation])


def field_errors(record: models.Model, names) -> dict:
    """`check_fields` as a dict of messages per field (empty when all is well), for services that add their own
    rules' messages before raising once."""
    try:
        check_fields(record, names)
    except ValidationError as error:
        return dict(error.message_dict)
    return {}
