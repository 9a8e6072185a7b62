from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from . import roles
from .translation import language_code


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up makes applicants only; staff roles come by invitation."""

    def save_user(self, request, user, form, commit=True):
        # A new account keeps the language its owner signed up in.
        user.language = language_code(translation.get_language())
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            roles.grant(user, roles.APPLICANT)
        return user

    def login(self, request, user):
        super().login(request, user)
        # Logging in brings back the person's language; the middleware sets the cookie.
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            request.portal_language_cookie = user.language
