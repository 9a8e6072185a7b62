"""The application services: each change of state checks, saves, records and notifies."""

import datetime as dt
import time
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from intake import services
from intake.models import Application, Status
from intake.uploads import UploadRefused
from notifications.models import Message
from portal.models import AuditEvent
from portal.storage import private_storage
from tests.factories import ApplicationFactory, OrganisationFactory
from tests.factories.applications import applicant, call_with_questions, fill_in, pdf_bytes, question, upload

pytestmark = pytest.mark.django_db


def submitted(call, **organisation_fields):
    user = applicant(OrganisationFactory(**organisation_fields))
    application = fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user)
    services.submit_application(application, user, declaration=True, privacy_accepted=True)
    application.refresh_from_db()
    return application, user


def test_references_follow_a_sequence_per_call():
    call = call_with_questions(reference_prefix="PS2")
    other_call = call_with_questions(reference_prefix="OTH")
    first, _ = submitted(call)
    second, _ = submitted(call)
    elsewhere, _ = submitted(other_call)
    year = dt.datetime.now(zoneinfo.ZoneInfo("Europe/Brussels")).year
    assert (first.reference, second.reference) == (f"PS2-{year}-0001", f"PS2-{year}-0002")
    assert elsewhere.reference == f"OTH-{year}-0001"


def test_calls_sharing_a_prefix_never_share_a_reference():
    first, _ = submitted(call_with_questions(reference_prefix="PS2"))
    second, _ = submitted(call_with_questions(reference_prefix="PS2"))
    assert first.reference != second.reference
    assert (first.number, second.number) == (1, 2)


def test_reference_year_is_the_year_of_submission_in_the_calls_time_zone():
    new_year_in_brussels = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 January
    call = call_with_questions(
        opens_at=new_year_in_brussels - dt.timedelta(days=5),
        closes_at=new_year_in_brussels + dt.timedelta(days=5),
    )
    with time_machine.travel(new_year_in_brussels, tick=False):
        application, _ = submitted(call)
    assert application.reference == "PS2-2027-0001"


def test_withdrawn_drafts_keep_their_place_in_the_sequence():
    call = call_with_questions()
    first, user = submitted(call)
    services.withdraw_application(first, user)
    second, _ = submitted(call)
    assert second.number == 2


def test_submission_records_its_transition_audit_event_and_confirmation():
    call = call_with_questions()
    application, user = submitted(call, name="<b>Evil</b> & Co")
    transition = application.transitions.get(to_status=Status.SUBMITTED)
    assert (transition.from_status, transition.by) == (Status.DRAFT, user)
    event = AuditEvent.objects.get(action="application.submitted")
    assert event.after["reference"] == application.reference
    assert event.actor == user
    message = Message.objects.get(kind="submission_confirmation")
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in message.body_html
    assert "<b>Evil</b>" not in message.body_html
    assert "<b>Evil</b> & Co" in message.body_text  # plain text is not HTML


def test_submitting_twice_sends_one_confirmation():
    call = call_with_questions()
    application, user = submitted(call)
    with pytest.raises(services.ApplicationRefused):
        services.submit_application(application, user, declaration=True, privacy_accepted=True)
    assert Message.objects.filter(kind="submission_confirmation").count() == 1


def test_submit_without_declaration_or_privacy_is_refused_with_every_reason():
    call = call_with_questions()
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    with pytest.raises(services.ApplicationRefused) as refused:
        services.submit_application(application, user)
    problems = " ".join(refused.value.problems)
    assert "Declare" in problems and "privacy notice" in problems and "missing" in problems
    assert [item.question.key for item in refused.value.missing] == [
        "motivation",
        "officers",
        "efus_member",
        "english",
        "letter",
    ]


def test_applicant_cannot_withdraw_once_the_review_has_started():
    call = call_with_questions()
    application, user = submitted(call)
    application.transition_to(Status.IN_REVIEW, by=None)
    with pytest.raises(services.ApplicationRefused, match="review has started"):
        services.withdraw_application(application, user)
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_submitted_application_takes_no_more_answers_or_files():
    call = call_with_questions()
    application, user = submitted(call)
    with pytest.raises(services.ApplicationRefused):
        services.save_answers(
            application, [services.AnswerChange(question(call, "motivation"), "late")], by=user
        )
    with pytest.raises(services.ApplicationRefused):
        services.add_document(
            application, question(call, "annexes"), upload("late.pdf", pdf_bytes()), by=user
        )
    with pytest.raises(services.ApplicationRefused):
        services.remove_document(application.documents.get(), by=user)


def test_one_application_per_organisation_and_call():
    call = call_with_questions()
    user = applicant()
    organisation = user.organisations.get()
    first, created = services.start_application(call, organisation, by=user)
    again, created_again = services.start_application(call, organisation, by=user)
    assert (created, created_again) == (True, False)
    assert first == again
    assert Application.objects.count() == 1


def test_saving_the_same_value_again_changes_nothing():
    call = call_with_questions()
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    change = services.AnswerChange(question(call, "motivation"), "Same")
    services.save_answers(application, [change], by=user)
    result = services.save_answers(application, [change], by=user)
    assert result.saved == [] and [q.key for q in result.unchanged] == ["motivation"]
    assert application.answers.get().revision == 1


def test_a_file_question_of_another_call_is_refused():
    call, other_call = call_with_questions(), call_with_questions()
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    with pytest.raises(services.ApplicationRefused):
        services.add_document(
            application, question(other_call, "letter"), upload("a.pdf", pdf_bytes()), by=user
        )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_distinct_numbers():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot be shared by threads that write")
    call = call_with_questions()
    drafts = []
    for _ in range(4):
        user = applicant()
        drafts.append(
            (fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user), user)
        )

    def submit(pair):
        from django.db import connections

        try:
            services.submit_application(pair[0], pair[1], declaration=True, privacy_accepted=True)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(submit, drafts))
    assert sorted(call.applications.values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_straddling_the_deadline_are_judged_by_when_they_arrived():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot be shared by threads that write")
    closes_at = timezone.now() + dt.timedelta(seconds=2)
    call = call_with_questions(opens_at=closes_at - dt.timedelta(days=3), closes_at=closes_at)
    arrivals = {
        "0.30 s before": closes_at - dt.timedelta(seconds=0.3),
        "0.02 s before": closes_at - dt.timedelta(seconds=0.02),
        "0.01 s after": closes_at + dt.timedelta(seconds=0.01),
    }
    drafts = {}
    for label in arrivals:
        user = applicant()
        drafts[label] = (
            fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user),
            user,
        )
    # Every request is handled after the deadline, as a saturated portal would.
    while timezone.now() <= closes_at:
        time.sleep(0.05)

    def submit(label):
        application, user = drafts[label]
        try:
            services.submit_application(
                application, user, declaration=True, privacy_accepted=True, arrived_at=arrivals[label]
            )
            return label, "accepted"
        except services.ApplicationRefused:
            return label, "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = dict(pool.map(submit, arrivals))

    assert outcomes == {"0.30 s before": "accepted", "0.02 s before": "accepted", "0.01 s after": "refused"}
    accepted = call.applications.filter(status=Status.SUBMITTED)
    assert sorted(accepted.values_list("number", flat=True)) == [1, 2]
    assert all(application.submitted_at < closes_at for application in accepted)


def test_a_submission_said_to_arrive_in_the_future_counts_as_arriving_now():
    call = call_with_questions(closes_at=timezone.now() + dt.timedelta(seconds=30))
    user = applicant()
    application = fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user)
    later = timezone.now() + dt.timedelta(days=1)
    submitted = services.submit_application(
        application, user, declaration=True, privacy_accepted=True, arrived_at=later
    )
    assert submitted.submitted_at < later


def test_a_refused_upload_leaves_no_file_in_storage(settings, files_in_the_tests_storage):
    settings.UPLOAD_MAX_FILES = 1
    call = call_with_questions()
    user = applicant()
    application = fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user)
    before = private_storage().listdir(f"applications/{call.pk}")[1]

    with pytest.raises(UploadRefused, match="at most 1 files"):
        services.add_document(
            application, question(call, "annexes"), upload("annex.pdf", pdf_bytes()), by=user
        )

    assert private_storage().listdir(f"applications/{call.pk}")[1] == before
    assert application.documents.count() == 1
