from django.utils.translation import gettext as _


class InvalidTransition(Exception):
    """A state change that is not in the record's table of allowed moves."""

    def __init__(self, obj, old, new):
        self.obj, self.old, self.new = obj, old, new
        labels = type(obj).status_labels()
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
