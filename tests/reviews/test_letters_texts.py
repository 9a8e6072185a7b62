"""The call's own texts in its decision letters: project, the associated city's part, signatory."""

import pytest

from demo.open_call import ensure_call
from intake.models import Call
from reviews import letters
from reviews.models import Outcome
from tests.reviews.test_letters import decision_for, read, stored

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_in_the_tests_storage")]


def configure_letters(call):
    call.project_name = "SAFECITIES 3"
    call.associated_role_en = "- a study visit to Tampere;\n- a closing conference in Lisbon."
    call.associated_role_fr = "- une visite d'étude à Tampere ;\n- une conférence de clôture à Lisbonne."
    call.signatory_name = "Jeanne Exemple"
    call.signatory_role_en = "Head of Programmes"
    call.signatory_role_fr = "Responsable des programmes"
    call.funding_statement_en = "Co-funded by the Example Fund."
    call.funding_statement_fr = "Cofinancé par le Fonds Exemple."
    call.save()


def test_acceptance_letter_carries_the_calls_signatory_and_associated_part_in_english():
    decision = decision_for()
    configure_letters(decision.application.call)

    _, text = read(stored(letters.issue_decision_letter(decision)))

    assert "SAFECITIES 3" in text
    assert "a study visit to Tampere" in text
    assert "a closing conference in Lisbon" in text
    assert "Jeanne Exemple" in text
    assert "Head of Programmes" in text
    assert "Co-funded by the Example Fund." in text
    assert "Nice, Madrid and Turin" not in text


def test_acceptance_letter_carries_the_calls_signatory_and_associated_part_in_french():
    decision = decision_for(contact_language="fr")
    configure_letters(decision.application.call)

    _, text = read(stored(letters.issue_decision_letter(decision)))

    assert "une visite d'étude à Tampere" in text
    assert "Jeanne Exemple" in text
    assert "Responsable des programmes" in text
    assert "Cofinancé par le Fonds Exemple." in text


def test_reserve_letter_uses_the_calls_texts_too():
    decision = decision_for(Outcome.RESERVE, reserve_position=1)
    configure_letters(decision.application.call)

    _, text = read(stored(letters.issue_decision_letter(decision)))

    assert "SAFECITIES 3" in text
    assert "a study visit to Tampere" in text


def test_empty_fields_keep_the_standard_texts():
    decision = decision_for()
    call = decision.application.call
    call.funding_statement_en = ""
    call.save()

    _, text = read(stored(letters.issue_decision_letter(decision)))

    assert "Nice, Madrid and Turin" in text
    assert "Executive Director" in text
    assert "Funded by the European Union's Internal Security Fund – Police" in text


def test_demo_call_made_before_the_letter_fields_gets_them():
    call, _created = ensure_call()
    Call.objects.filter(pk=call.pk).update(project_name="", signatory_name="")

    ensure_call()

    call.refresh_from_db()
    assert call.project_name == "PACTESUR 2"
    assert "Nice, Madrid and Turin" in call.associated_role_en
    assert "fictitious" in call.signatory_name
    assert call.signatory_role_fr == "Directrice exécutive"
