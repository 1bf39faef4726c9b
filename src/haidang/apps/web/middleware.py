"""Choose the interface language: Vietnamese unless the person picked another one on the site."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language header.

    Many office computers run an English browser; the platform must still open in Vietnamese. Only
    the language cookie written by the language switch (Django's ``set_language`` view) counts.
    The API under /api/ keeps Django's behaviour, so a program may ask for English messages.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            # API clients are programs that ask explicitly; honour their Accept-Language.
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
