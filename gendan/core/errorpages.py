"""The 403 and 404 pages: inside the app's frame (menu, language, the way back), not Django's bare English
ones; inside a panel that htmx swaps, just the message."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def permission_denied(request, exception=None):
    return _error(request, 403, _("You may not do this"),
                  _("Your role does not allow this page or action. If you need it for your work, ask a manager "
                    "or the administrator."))


def page_not_found(request, exception=None):
    return _error(request, 404, _("Not found"),
                  _("There is nothing here, or it is not yours to see. The link may be old, or the record deleted."))


def _error(request, status: int, title: str, explanation: str):
    template = "includes/error_panel.html" if getattr(request, "htmx", False) else "error.html"
    return render(request, template, {"status": status, "title": title, "explanation": explanation}, status=status)
