"""Account emails (verification, password reset) share the portal's layout, text and HTML."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_in_the_tests_storage")]


def html_of(email):
    return next(content for content, mimetype in email.alternatives if mimetype == "text/html")


def test_signup_confirmation_is_styled_text_and_html(client, django_capture_on_commit_callbacks):
    # Account emails go through the outbox, delivered once the sign-up commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "New Applicant",
                "email": "new.applicant@example.org",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
        )

    assert response.status_code == 302
    email = mail.outbox[-1]
    assert "Confirm your email address" in email.subject
    assert "/accounts/confirm-email/" in email.body
    html = html_of(email)
    assert 'class="button"' in html
    assert "/accounts/confirm-email/" in html
    assert "This message was sent automatically by the call portal" in html


def test_password_reset_email_is_styled_text_and_html(client, django_capture_on_commit_callbacks):
    user = UserFactory(full_name="Anne <b>Martin</b>", verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})

    email = mail.outbox[-1]
    assert "Reset your password" in email.subject
    assert "/accounts/password/reset/key/" in email.body
    html = html_of(email)
    assert "Choose a new password" in html
    assert "Anne &lt;b&gt;Martin&lt;/b&gt;" in html
    assert "<b>Martin</b>" not in html
