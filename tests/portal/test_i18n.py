"""Every page in English and French; a person's language stays with their account."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.models import OrganisationKind, Status
from portal.models import User
from tests.factories import DEFAULT_PASSWORD, CallFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(title_en="Protecting public spaces", title_fr="Protéger les espaces publics")


def detail_url(call):
    return reverse("intake:call_detail", args=[call.slug])


def switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_browser_asking_for_french_gets_the_call_page_in_french(client, call):
    text = client.get(detail_url(call), headers={"accept-language": "fr-BE,fr;q=0.9"}).text
    assert '<html lang="fr">' in text
    assert "Protéger les espaces publics" in text
    assert "Pays éligibles" in text
    assert "Eligible countries" not in text


def test_switcher_turns_the_call_page_into_french(client, call):
    response = switch(client, "fr", detail_url(call))
    assert response.status_code == 302
    text = client.get(detail_url(call)).text
    assert "Protéger les espaces publics" in text
    assert "Clôture dans" in text
    assert "Belgique" in text  # country names too


def test_switching_back_to_english(client, call):
    switch(client, "fr")
    switch(client, "en")
    text = client.get(detail_url(call)).text
    assert "Protecting public spaces" in text
    assert "Closes in" in text


def test_french_title_falls_back_to_english_when_missing(client):
    call = CallFactory(title_en="Only in English", title_fr="")
    switch(client, "fr")
    assert "Only in English" in client.get(detail_url(call)).text


def test_logged_in_switch_is_stored_on_the_account(client):
    user = UserFactory(language="en")
    client.force_login(user)
    switch(client, "fr")
    user.refresh_from_db()
    assert user.language == "fr"


def test_a_language_switch_refused_by_csrf_changes_nothing():
    # A page elsewhere posting to the switcher must not change the language of someone's
    # emails and letters.
    user = UserFactory(language="en")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_language_switch_with_its_csrf_token_is_stored():
    user = UserFactory(language="en")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get(reverse("intake:call_list"))
    token = page.context["csrf_token"]
    response = browser.post(
        reverse("set_language"), {"language": "fr", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"


def test_unknown_language_is_not_stored(client):
    user = UserFactory(language="en")
    client.force_login(user)
    switch(client, "xx")
    user.refresh_from_db()
    assert user.language == "en"


def test_logging_in_brings_back_the_account_language(client, call):
    UserFactory(email="maire@example.org", language="fr", verified=True)
    response = client.post(
        reverse("account_login"), {"login": "maire@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Protéger les espaces publics" in client.get(detail_url(call)).text


def test_account_pages_are_translated(client):
    text = client.get(reverse("account_login"), headers={"accept-language": "fr"}).text
    assert "Se connecter" in text
    assert "Pas encore de compte\u00a0?" in text
    text = client.get(reverse("account_signup"), headers={"accept-language": "fr"}).text
    assert "Créer un compte" in text


def test_states_and_organisation_types_are_translated():
    with translation.override("en"):
        english = {str(label) for label in [*Status.labels, *OrganisationKind.labels]}
    with translation.override("fr"):
        french = {str(label) for label in [*Status.labels, *OrganisationKind.labels]}
    assert not english & french


def test_sign_up_in_french_records_french(client):
    switch(client, "fr")
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Marie Curie",
            "email": "maire@example.org",
            "password1": "A-long-secret-99",
            "password2": "A-long-secret-99",
        },
    )
    assert User.objects.get(email="maire@example.org").language == "fr"


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    po = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
