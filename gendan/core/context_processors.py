from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language


def _company_name() -> str:
    from gendan.core.selectors import company_profile

    return company_profile().name_in(get_language() or "zh-hans")


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        # read only where a page shows it, and once (a lazy() proxy would read it again at every use)
        "company_name": SimpleLazyObject(_company_name) if signed_in else "",
    }
