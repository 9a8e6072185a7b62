"""Keep a logged-in person's language with their account."""

from django.conf import settings
from django.urls import reverse

from .translation import language_code


class UserLanguageMiddleware:
    """Saves the language chosen with the switcher to ``User.language``, and sets the
    language cookie when a login brought the account's language back (see the adapter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        chosen = None
        if request.method == "POST" and request.path == reverse("set_language"):
            chosen = request.POST.get("language")
            user = request.user
            if chosen in dict(settings.LANGUAGES) and user.is_authenticated and user.language != chosen:
                user.language = chosen
                user.save(update_fields=["language"])
        language = getattr(request, "portal_language_cookie", None)
        if language and not chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language_code(language),
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
