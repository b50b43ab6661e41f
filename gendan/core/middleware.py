from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class CompanyLanguageMiddleware(LocaleMiddleware):
    """Chinese first: the language is the one the user picked (cookie), else the company's default —
    never guessed from the browser, whose language on a shop-floor PC says little about its user."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
