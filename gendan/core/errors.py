from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class InvalidTransition(Exception):
    """A state change that is not in the record's table of allowed moves."""

    def __init__(self, obj, old, new, field: str = "status"):
        self.obj, self.old, self.new = obj, old, new
        labels = dict(obj._meta.get_field(field).flatchoices)
        super().__init__(
            _("%(record)s cannot move from “%(old)s” to “%(new)s”.")
            % {"record": obj, "old": labels.get(old, old), "new": labels.get(new, new)}
        )


class ConcurrentChange(Exception):
    """Somebody else changed the record first; reload it and try again."""

    def __init__(self, obj):
        self.obj = obj
        super().__init__(
            _("%(record)s was changed by somebody else in the meantime. Reload it and try again.")
            % {"record": obj}
        )


def error_text(error: Exception) -> str:
    """A refusal as one message for the user: a ValidationError's messages (every field's), else the text."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(message for messages in error.message_dict.values() for message in messages)
        return " ".join(error.messages)
    return str(error) or _("You do not have permission to do this.")
