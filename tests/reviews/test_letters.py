"""Decision letters: what they say, read back from the PDF, and how they reach the emails."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from intake.models import Status
from notifications.models import IssuedDocument, Message
from notifications.services import queue_message
from portal.models import AuditEvent
from reviews import letters, services
from reviews.models import Decision, Outcome
from reviews.services.decisions import tell_decision
from tests.factories.applications import applicant
from tests.factories.reviews import InReviewApplicationFactory
from tests.factories.selection import scored_call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_in_the_tests_storage")]

HOSTILE = (
    '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd"> http://169.254.169.254/'
)


def decision_for(outcome=Outcome.SELECTED, *, city="Lyon", contact_language="en", **fields):
    application = InReviewApplicationFactory(
        organisation__name=city, organisation__country="FR", organisation__address="1 place Bellecour"
    )
    application.submitted_by = applicant(
        application.organisation, full_name="Anne Martin", language=contact_language
    )
    application.status = {
        Outcome.SELECTED: Status.SELECTED,
        Outcome.RESERVE: Status.RESERVE,
        Outcome.NOT_SELECTED: Status.NOT_SELECTED,
    }[outcome]
    application.save()
    return Decision.objects.create(application=application, outcome=outcome, **fields)


def read(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def stored(document):
    with document.file.open("rb") as handle:
        return handle.read()


def test_acceptance_letter_names_the_city_reference_activities_and_funding():
    decision = decision_for()

    document = letters.issue_decision_letter(decision)

    reader, text = read(stored(document))
    assert "Lyon" in text
    assert "Anne Martin" in text
    assert decision.application.reference in text
    assert "Funded by the European Union's Internal Security Fund – Police" in text
    assert "Nice, Madrid and Turin" in text
    assert "Liège and Nice" in text
    assert "Brussels" in text
    assert document.display_code in text
    assert reader.metadata.title.startswith("Acceptance letter")
    assert reader.metadata.author == "European Forum for Urban Security (Efus)"


def test_a_contact_without_a_name_is_greeted_formally_never_by_their_address():
    decision = decision_for()
    contact = decision.application.submitted_by
    contact.full_name = ""
    contact.save()

    _reader, text = read(stored(letters.issue_decision_letter(decision)))

    assert "Dear Madam, Dear Sir," in text
    assert contact.email not in text


def test_letter_is_written_in_the_contacts_language():
    decision = decision_for(contact_language="fr")

    document = letters.issue_decision_letter(decision)

    reader, text = read(stored(document))
    assert document.language == "fr"
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert "Nice, Madrid et Turin" in text
    assert "Financé par le Fonds pour la sécurité intérieure" in text
    assert "Our reference" not in text


def test_reserve_and_not_selected_letters_say_so():
    reserve = letters.issue_decision_letter(decision_for(Outcome.RESERVE, city="Gent", reserve_position=2))
    refused = letters.issue_decision_letter(
        decision_for(Outcome.NOT_SELECTED, city="Porto", reasons="The commitment letter was unsigned.")
    )

    _reader, reserve_text = read(stored(reserve))
    _reader, refused_text = read(stored(refused))
    assert "reserve list" in reserve_text and "position 2" in reserve_text
    assert "The commitment letter was unsigned." in refused_text
    assert "not been selected" in refused_text


def test_typed_markup_in_the_letter_loads_nothing_from_the_file_system():
    decision = decision_for(Outcome.NOT_SELECTED, city=HOSTILE, reasons=HOSTILE)

    content = stored(letters.issue_decision_letter(decision))

    reader, text = read(content)
    assert b"root:x:0:0" not in content
    assert not reader.attachments
    assert "file:///etc/passwd" in text


def test_reissuing_keeps_the_earlier_letter_and_records_each_on_the_calls_audit_log():
    decision = decision_for()
    first = letters.issue_decision_letter(decision)
    again = letters.issue_decision_letter(decision)
    forced = letters.issue_decision_letter(decision, force=True)

    assert again == first
    assert forced.version == 2
    assert IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() == 2
    versions = IssuedDocument.objects.for_subject(
        letters.LETTER_KIND, f"application:{decision.application_id}"
    )
    assert list(versions.values_list("version", "sha256")) == [(2, forced.sha256), (1, first.sha256)]
    events = AuditEvent.objects.filter(action="letter.issued", call_id=decision.application.call_id)
    assert sorted(events.values_list("after__version", flat=True)) == [1, 2]
    assert letters.current_letter(decision.application) == forced


def test_verification_page_shows_city_decision_date_and_fingerprint_only(client):
    decision = decision_for()
    document = letters.issue_decision_letter(decision)

    page = client.get(reverse("notifications:verify", args=[document.verification_code])).content.decode()

    assert "Lyon" in page and "Selected" in page and document.sha256 in page
    assert decision.application.reference not in page
    assert "Anne Martin" not in page


@pytest.mark.usefixtures("test_templates")
def test_decision_emails_wait_for_the_letter_a_worker_renders(django_capture_on_commit_callbacks):
    decision = decision_for()
    application = decision.application
    colleague = applicant(application.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        for member in (application.submitted_by, colleague):
            queue_message(
                kind="decision",
                to=member,
                template="testapp/emails/city_notice",
                context={"city": "Lyon", "contact": "Anne"},
                idempotency_key=f"application:{application.pk}:decision:{member.pk}",
                attachments_from=[letters.attachment_task(decision)],
            )
        assert mail.outbox == []

    document = letters.current_letter(application)
    assert IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() == 1
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [application.submitted_by.email, colleague.email]
    )
    assert all([a.filename for a in email.attachments] == [document.filename] for email in mail.outbox)


def test_letters_of_a_call_are_issued_in_parallel_tasks(django_capture_on_commit_callbacks):
    decisions = [decision_for(city=f"City {n}") for n in range(3)]
    for decision in decisions[1:]:
        decision.application.call = decisions[0].application.call
        decision.application.save()

    with django_capture_on_commit_callbacks(execute=True):
        count = letters.issue_letters_for_call(decisions[0].application.call)

    assert count == 3
    assert IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() == 3


def test_render_letter_command_writes_the_current_letter(tmp_path):
    decision = decision_for()
    issued = letters.issue_decision_letter(decision)
    output = tmp_path / "letter.pdf"

    call_command("render_letter", decision.application.reference, "--output", str(output))

    _reader, text = read(output.read_bytes())
    assert "Lyon" in text
    assert issued.display_code in text
    assert IssuedDocument.objects.count() == 1


def test_render_letter_command_refuses_an_unknown_reference(tmp_path):
    with pytest.raises(CommandError):
        call_command("render_letter", "NOPE-1", "--output", str(tmp_path / "x.pdf"))


def test_emails_and_letters_are_wholly_in_the_readers_language_whoever_finalised_in_french(
    client, django_capture_on_commit_callbacks
):
    setup = scored_call(places=1, reserve_size=0, threshold=3)
    setup.criteria[0].name_fr = "Pertinence des enjeux"
    setup.criteria[0].save()
    setup.city("Nice", "FR", (5, 5, 5), (5, 5, 5), (5, 5, 5))
    turin = setup.city("Turin", "IT", (2, 4, 4), (2, 4, 4), (2, 4, 4))
    member = turin.organisation.members.get()
    member.language = "en"
    member.save()
    turin.submitted_by = member
    turin.save()

    with translation.override("fr"):
        services.finalise_selection(setup.call, by=setup.coordinator)

    decision = turin.decision
    email = Message.objects.get(kind="decision", recipient=member)
    assert "Criterion A" in email.body_text and "Pertinence" not in email.body_text
    assert "below the threshold" in email.body_text
    assert "Criterion A" in decision.reasons and "Pertinence" not in decision.reasons
    assert "Pertinence des enjeux" in decision.reasons_in("fr")
    _reader, letter = read(stored(letters.issue_decision_letter(decision)))
    assert "Criterion A" in letter and "Pertinence" not in letter


def test_the_selected_citys_email_says_where_and_by_when_to_answer(django_capture_on_commit_callbacks):
    decision = decision_for()
    call = decision.application.call
    call.reply_deadline = call.closes_at + dt.timedelta(days=40)
    call.save()

    with django_capture_on_commit_callbacks(execute=True):
        tell_decision(decision)

    email = mail.outbox[-1]
    page = reverse("intake:application_detail", args=[decision.application.pk])
    deadline = date_format(timezone.localtime(call.reply_deadline, call.tzinfo), "j F Y")
    assert f"Please accept or decline the place on the application's page by {deadline}:" in email.body
    assert page in email.body
    assert page in email.alternatives[0][0]


def test_the_reserve_email_links_the_page_with_its_letter(django_capture_on_commit_callbacks):
    decision = decision_for(Outcome.RESERVE, reserve_position=1)

    with django_capture_on_commit_callbacks(execute=True):
        tell_decision(decision)

    assert reverse("intake:application_detail", args=[decision.application.pk]) in mail.outbox[-1].body
    assert "accept or decline" not in mail.outbox[-1].body
