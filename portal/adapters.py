import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from django.utils.html import strip_tags

from notifications.services import queue_rendered_message

from . import roles
from .models import User
from .translation import language_code
from .validators import validate_email_length


class AccountAdapter(DefaultAccountAdapter):
    """Open sign-up makes applicants only; staff roles come by invitation."""

    def save_user(self, request, user, form, commit=True):
        # A new account keeps the language its owner signed up in.
        user.language = language_code(translation.get_language())
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            roles.grant(user, roles.APPLICANT)
        return user

    def clean_email(self, email):
        # Sign-up, adding an address and password resets all pass here.
        validate_email_length(email)
        return super().clean_email(email)

    def pre_login(self, request, user, **kwargs):
        # An invitation link opened in this browser proved the invited address (intake's
        # invitation view stashes it): logging in with that address needs no confirmation.
        if not kwargs.get("signup") and self.is_email_verified(request, user.email):
            address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
            if address is None:
                EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            elif not address.verified:
                address.verified = True
                address.save(update_fields=["verified"])
        return super().pre_login(request, user, **kwargs)

    def login(self, request, user):
        super().login(request, user)
        # Logging in brings back the person's language; the middleware sets the cookie.
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            request.portal_language_cookie = user.language

    def send_mail(self, template_prefix, email, context):
        """Account emails (address confirmation, password reset) go through the outbox like
        every other email: stored, retried by the delivery task, visible to operators."""
        user = context.get("user")
        if not (getattr(user, "pk", None) and user.email.lower() == email.lower()):
            # "An account already exists" goes to that account, in its language.
            user = User.objects.filter(email__iexact=email).first()
        language = language_code(getattr(user, "language", None) or translation.get_language())
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        with translation.override(language):
            rendered = self.render_mail(template_prefix, email, context)
        alternatives = getattr(rendered, "alternatives", ())
        html = next((body for body, mimetype in alternatives if mimetype == "text/html"), "")
        text = rendered.body
        if rendered.content_subtype == "html":  # allauth found an HTML template only
            html, text = text, strip_tags(text)
        name = template_prefix.rsplit("/", 1)[-1]
        queue_rendered_message(
            kind=f"account.{name}"[:64],
            to=user or email,
            subject=rendered.subject,
            text=text.strip() + "\n",
            html=html,
            # Every send is its own event: a second reset link is a new email.
            idempotency_key=f"account:{name}:{secrets.token_urlsafe(16)}",
            language=language,
            carries_secret=True,
        )
