import ipaddress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class CompanyLanguageMiddleware(LocaleMiddleware):
    """Chinese first: the language is the one the user chose (their profile; before logging in, the cookie
    the language switch sets), else the company's default — never guessed from the browser, whose language
    on a shop-floor PC says little about its user. Runs after authentication."""

    def process_request(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreMiddleware:
    """Pages shown to a logged-in user and every API answer carry `Cache-Control: no-store`, so no browser
    cache, shared proxy or the back button of a shop-floor PC keeps orders, prices or tokens after logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


def client_address(request) -> str | None:
    """The address of the client behind our proxies (used by the login lockouts and the API throttle).

    REMOTE_ADDR, unless settings name a header our own proxy writes (GENDAN_TRUSTED_PROXY_HEADER). Each of the
    GENDAN_TRUSTED_PROXY_COUNT proxies appends the address it was reached from, so the client is the entry that
    many places from the right; anything further left was written by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR")
    header = settings.GENDAN_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    entries = [entry.strip() for entry in request.META.get(_meta_key(header), "").split(",") if entry.strip()]
    if not entries:
        return remote  # reached us without passing the proxy (a health check on the host itself)
    candidate = entries[-min(settings.GENDAN_TRUSTED_PROXY_COUNT, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")
