"""Every URL that names an object, requested by every role: whoever may not see it gets a 404.

Two calls, A and B, are built alike: coordinators, evaluators (assigned and cleared, not
assigned, conflicted), two applicant cities, an application with a document, a review,
a decision with its letter, messages in the outbox and invitations. Then every URL pattern
that takes an id, slug, token or code is requested with call A's objects as each role. A
refused request answers exactly as for an object that does not exist (404; a visitor who is
not logged in is sent to log in either way), and changes nothing. A pattern missing from
the table below fails the sweep, so a new page cannot skip it.
"""

import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from intake import services as intake_services
from intake.models import Application, Document, FaqEntry, Invitation, Status, outbox_scope
from intake.receipts import subject_key
from notifications.models import IssuedDocument, Message, MessageStatus
from partners.models import (
    Attendance,
    ChecklistItem,
    ItemKind,
    Participant,
    ParticipantStatus,
    Partner,
    SignedAgreement,
)
from portal import roles
from portal.models import AuditEvent
from reviews.letters import LETTER_KIND
from reviews.models import (
    CallEvaluator,
    ConflictDeclaration,
    ConflictScope,
    Decision,
    Outcome,
    Response,
    Review,
)
from tests.factories import (
    MembershipFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
    with_authenticator,
)
from tests.factories.partners import (
    ActivityFactory,
    ChecklistItemFactory,
    ParticipantFactory,
    PartnerFactory,
    partner_with_member,
)
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
    submitted_review,
)

pytestmark = pytest.mark.django_db

MISSING = 10**7  # an id no object has
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

ROLES = (
    "anonymous",
    "applicant_a",
    "applicant_a2",
    "applicant_b",
    "evaluator_assigned",
    "evaluator_unassigned",
    "evaluator_conflicted",
    "evaluator_b",
    "coordinator_a",
    "project_coordinator_a",
    "coordinator_b",
    "project_coordinator_b",
    "partner_other_city",
    "partner_of_project_b",
    "not_selected_city",
)


def build_call(letter):
    call = ClosedCallFactory(slug=f"call-{letter.lower()}", title_en=f"Call {letter}")
    criteria = five_criteria(call)
    section = SectionFactory(call=call, order=1)
    file_question = QuestionFactory(section=section, key="letter", kind="file", max_files=1)
    faq_entry = FaqEntry.objects.create(call=call, question_en=f"Who applies to {letter}?", answer_en="Any.")
    coordinator = coordinator_of(call, verified=True)
    project_coordinator = UserFactory(role=roles.COORDINATOR, verified=True)
    call.project.coordinators.add(project_coordinator)
    city, other_city = MembershipFactory(), MembershipFactory()
    application = InReviewApplicationFactory(call=call, organisation=city.organisation)
    other_application = InReviewApplicationFactory(call=call, organisation=other_city.organisation)
    document = Document(application=application, question=file_question, original_name="letter.pdf")
    document.content_type = "application/pdf"
    document.size = 20
    document.file.save("letter", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    cleared = evaluator_of(call, verified=True)
    assignment = assigned(application, cleared)
    review = submitted_review(assignment, criteria, [4, 4, 3, 3, 4])
    unassigned = evaluator_of(call, verified=True)
    conflicted = evaluator_of(call, verified=True)
    conflicted_assignment = assigned(application, conflicted, confirmed=False)
    ConflictDeclaration.objects.create(
        evaluator=conflicted, call=call, scope=ConflictScope.APPLICATION, application=application
    )

    Application.objects.filter(pk=application.pk).update(status=Status.SELECTED)
    decision = Decision.objects.create(application=application, outcome=Outcome.SELECTED, rank=1)
    letter_document = IssuedDocument(
        kind=LETTER_KIND,
        subject_key=subject_key(application),
        language="en",
        title="Decision letter",
        filename="letter.pdf",
        sha256="0" * 64,
        size=15,
    )
    letter_document.file.save("letter.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    message = Message.objects.create(
        kind="decision",
        scope=outbox_scope(call.pk),
        to_email=city.user.email,
        subject=f"Decision of call {letter}",
        body_text="Your application was selected.",
        body_html="<p>Your application was selected.</p>",
        status=MessageStatus.FAILED,
        last_error="550 No such mailbox",
        idempotency_key=f"sweep:{letter}:decision",
    )
    colleague = intake_services.invite_to_organisation(
        city.organisation, f"colleague-{letter}@example.org", by=city.user
    )
    staff = intake_services.invite_staff(f"expert-{letter}@example.org", roles.COORDINATOR, call=call)
    partnership = build_partnership(call, application, city.organisation, letter)
    return SimpleNamespace(
        **partnership,
        call=call,
        coordinator=coordinator,
        project_coordinator=project_coordinator,
        applicant=city.user,
        other_applicant=other_city.user,
        organisation=city.organisation,
        application=application,
        other_application=other_application,
        document=document,
        letter=letter_document,
        cleared=cleared,
        unassigned=unassigned,
        conflicted=conflicted,
        assignment=assignment,
        conflicted_assignment=conflicted_assignment,
        review=review,
        decision=decision,
        call_evaluator=CallEvaluator.objects.get(call=call, user=cleared),
        section=section,
        question=file_question,
        faq_entry=faq_entry,
        criterion=criteria[0],
        message=message,
        invitation=colleague,
        staff_invitation=staff,
    )


def build_partnership(call, application, organisation, letter):
    """City A accepted its place: its partnership, onboarding files, a participant with a
    certificate; another city of the same project is a partner too; a third was not selected."""
    project = call.project
    project.is_public = True
    project.save()
    Decision.objects.filter(application=application).update(response=Response.ACCEPTED)
    partner = PartnerFactory(
        project=project, organisation=organisation, application=application, public_consent=True
    )
    partner.logo.save("logo", ContentFile(PNG_BYTES), save=False)
    partner.logo_content_type = "image/png"
    partner.save()
    _other_partner, other_member = partner_with_member(project)
    item = ChecklistItemFactory(project=project, kind=ItemKind.AGREEMENT, title_en="Agreement")
    signed = SignedAgreement(partner=partner, original_name="signed.pdf", content_type="application/pdf")
    signed.size, signed.sha256 = 15, "0" * 64
    signed.file.save("signed", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    activity = ActivityFactory(project=project)
    participant = ParticipantFactory(partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED)
    Attendance.objects.create(participant=participant, day=activity.days()[0])
    for kind, subject in (
        ("partnership_agreement", f"partner:{partner.pk}"),
        ("attendance_certificate", f"participant:{participant.pk}"),
    ):
        document = IssuedDocument(
            kind=kind,
            subject_key=subject,
            language="en",
            title=kind,
            filename=f"{kind}.pdf",
            sha256="0" * 64,
            size=15,
        )
        document.file.save("doc.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    not_selected = MembershipFactory()
    InReviewApplicationFactory(call=call, organisation=not_selected.organisation, status=Status.NOT_SELECTED)
    return {
        "project": project,
        "partner": partner,
        "partner_other_city": other_member,
        "not_selected_city": not_selected.user,
        "item": item,
        "signed": signed,
        "activity": activity,
        "participant": participant,
    }


@pytest.fixture
def world():
    roles.ensure_groups()
    a, b = build_call("A"), build_call("B")
    people = {
        "anonymous": None,
        "applicant_a": a.applicant,
        "applicant_a2": a.other_applicant,
        "applicant_b": b.applicant,
        "evaluator_assigned": a.cleared,
        "evaluator_unassigned": a.unassigned,
        "evaluator_conflicted": a.conflicted,
        "evaluator_b": b.cleared,
        "coordinator_a": a.coordinator,
        "project_coordinator_a": a.project_coordinator,
        "coordinator_b": b.coordinator,
        "project_coordinator_b": b.project_coordinator,
        "partner_other_city": a.partner_other_city,
        "partner_of_project_b": b.applicant,
        "not_selected_city": a.not_selected_city,
    }
    return SimpleNamespace(a=a, b=b, people=people)


# A project's coordinators coordinate every call of the project.
COORDINATOR_A = {"coordinator_a", "project_coordinator_a"}
CITY_A = {"applicant_a"}
EVALUATORS_OF_A = {"evaluator_assigned", "evaluator_unassigned", "evaluator_conflicted"}
# Partners see their own partnership; the project's coordinators see every partner.
PROJECT_A = {"project_coordinator_a"}
PARTNER_A = CITY_A | PROJECT_A


def targets(a):
    """URL name -> (arguments naming call A's objects, roles that may open it, methods).

    ``methods`` lists what the view answers to; a refused role is tried with GET and POST.
    """
    slug = a.call.slug
    pk = a.application.pk
    project, partner, participant = a.project.slug, a.partner.pk, a.participant.pk
    return {
        # The applicant's journey.
        "intake:organisation_detail": ([a.organisation.pk], CITY_A, "get"),
        "intake:organisation_edit": ([a.organisation.pk], CITY_A, "get"),
        "intake:organisation_invite": ([a.organisation.pk], CITY_A, "post"),
        "intake:invitation_cancel": ([a.organisation.pk, a.invitation.pk], CITY_A, "post"),
        "intake:application_detail": ([pk], CITY_A | COORDINATOR_A | {"evaluator_assigned"}, "get"),
        "intake:application_step": ([pk, 1], CITY_A, "get"),
        "intake:application_autosave": ([pk, 1], CITY_A, "post"),
        "intake:application_summary": ([pk], CITY_A, "get"),
        "intake:application_submit": ([pk], CITY_A, "get"),
        "intake:application_withdraw": ([pk], CITY_A, "get"),
        "intake:document_download": ([a.document.pk], CITY_A | COORDINATOR_A | {"evaluator_assigned"}, "get"),
        "intake:issued_document_download": ([pk, a.letter.pk], CITY_A | COORDINATOR_A, "get"),
        # The evaluator's pages.
        "reviews:evaluator_application": ([pk], {"evaluator_assigned"}, "get"),
        "reviews:evaluator_review_total": ([pk], {"evaluator_assigned"}, "post"),
        "reviews:evaluator_review_autosave": ([pk], {"evaluator_assigned"}, "post"),
        "reviews:evaluator_confirm_no_conflict": (
            [pk],
            {"evaluator_assigned", "evaluator_conflicted"},
            "post",
        ),
        "reviews:evaluator_conflict": ([pk], {"evaluator_assigned", "evaluator_conflicted"}, "post"),
        "reviews:evaluator_decline": ([pk], {"evaluator_assigned", "evaluator_conflicted"}, "post"),
        "reviews:evaluator_conflicts": ([slug], EVALUATORS_OF_A, "get"),
        # The coordinator's pages and exports.
        "reviews:call_overview": ([slug], COORDINATOR_A, "get"),
        "reviews:coordinator_applications": ([slug], COORDINATOR_A, "get"),
        "reviews:screening_list": ([slug], COORDINATOR_A, "get"),
        "reviews:call_evaluators": ([slug], COORDINATOR_A, "get"),
        "reviews:review_settings": ([slug], COORDINATOR_A, "get"),
        "reviews:call_audit": ([slug], COORDINATOR_A, "get"),
        "reviews:auto_assign": ([slug], COORDINATOR_A, "get"),
        "reviews:application_evaluation": ([pk], COORDINATOR_A, "get"),
        "reviews:screening": ([pk], COORDINATOR_A, "get"),
        "reviews:assignment_add": ([pk], COORDINATOR_A, "post"),
        "reviews:assignment_remove": ([a.conflicted_assignment.pk], COORDINATOR_A, "post"),
        "reviews:review_reopen": ([a.review.pk], COORDINATOR_A, "post"),
        "reviews:evaluator_active": ([a.call_evaluator.pk], COORDINATOR_A, "post"),
        "reviews:ranking": ([slug], COORDINATOR_A, "get"),
        "reviews:ranking_sheet": ([slug, pk], COORDINATOR_A, "get"),
        "reviews:consensus": ([slug, pk], COORDINATOR_A, "post"),
        "reviews:selection": ([slug], COORDINATOR_A, "get"),
        "reviews:selection_override": ([slug, pk], COORDINATOR_A, "post"),
        "reviews:selection_finalise": ([slug], COORDINATOR_A, "post"),
        "reviews:decision_decline": ([slug, pk], COORDINATOR_A, "post"),
        "reviews:sensitivity": ([slug], COORDINATOR_A, "get"),
        "reviews:robustness_compute": ([slug], COORDINATOR_A, "post"),
        "reviews:robustness_progress": ([slug], COORDINATOR_A, "get"),
        "reviews:lottery_announce": ([slug], COORDINATOR_A, "post"),
        "reviews:lottery_draw": ([slug], COORDINATOR_A, "post"),
        "reviews:call_dashboard": ([slug], COORDINATOR_A, "get"),
        "reviews:exports": ([slug], COORDINATOR_A, "get"),
        "reviews:export_download": ([slug, "ranking.csv"], COORDINATOR_A, "get"),
        # The partnership: a selected city's answer, the partner space, the coordinators'.
        "partners:reply": ([pk], CITY_A, "get"),
        "partners:partner_home": ([partner], PARTNER_A, "get"),
        "partners:onboarding_item": ([partner, a.item.pk], PARTNER_A, "get"),
        "partners:agreement_download": ([partner], PARTNER_A, "get"),
        "partners:signed_agreement_download": ([partner, a.signed.pk], PARTNER_A, "get"),
        "partners:logo_download": ([partner], PARTNER_A, "get"),
        "partners:activity": ([partner, a.activity.pk], PARTNER_A, "get"),
        "partners:participant_edit": ([partner, participant], PARTNER_A, "get"),
        "partners:participant_withdraw": ([partner, participant], CITY_A, "post"),
        "partners:certificate_download": ([partner, participant], PARTNER_A, "get"),
        "partners:call_replies": ([slug], COORDINATOR_A, "get"),
        "partners:call_reply_record": ([slug, pk], COORDINATOR_A, "post"),
        "partners:project_home": ([project], PROJECT_A, "get"),
        "partners:settings": ([project], PROJECT_A, "get"),
        "partners:checklist": ([project], PROJECT_A, "get"),
        "partners:checklist_item": ([project, a.item.pk], PROJECT_A, "get"),
        "partners:checklist_move": ([project, a.item.pk], PROJECT_A, "post"),
        "partners:checklist_item_delete": ([project, a.item.pk], PROJECT_A, "post"),
        "partners:project_partner": ([project, partner], PROJECT_A, "get"),
        "partners:activities": ([project], PROJECT_A, "get"),
        "partners:activity_new": ([project], PROJECT_A, "get"),
        "partners:activity_participants": ([project, a.activity.pk], PROJECT_A, "get"),
        "partners:activity_edit": ([project, a.activity.pk], PROJECT_A, "get"),
        "partners:attendance": ([project, a.activity.pk], PROJECT_A, "post"),
        "partners:sign_in_sheet": (
            [project, a.activity.pk, a.activity.days()[0].isoformat()],
            PROJECT_A,
            "get",
        ),
        "partners:certificates_send": ([project, a.activity.pk], PROJECT_A, "post"),
        "partners:participant_decide": ([project, participant], PROJECT_A, "post"),
        "partners:participant_export": ([project, participant], PROJECT_A, "get"),
        "partners:participant_erase": ([project, participant], PROJECT_A, "post"),
        "partners:participation": ([project], PROJECT_A, "get"),
        "partners:participation_export": ([project, "csv"], PROJECT_A, "get"),
        # The call builder.
        "builder:overview": ([slug], COORDINATOR_A, "get"),
        "builder:call_copy": ([slug], COORDINATOR_A, "get"),
        "builder:publish": ([slug], COORDINATOR_A, "get"),
        "builder:unpublish": ([slug], COORDINATOR_A, "post"),
        "builder:texts": ([slug], COORDINATOR_A, "get"),
        "builder:texts_preview": ([slug], COORDINATOR_A, "post"),
        "builder:basics": ([slug], COORDINATOR_A, "get"),
        "builder:letters": ([slug], COORDINATOR_A, "get"),
        "builder:form": ([slug], COORDINATOR_A, "get"),
        "builder:section_add": ([slug], COORDINATOR_A, "get"),
        "builder:section_edit": ([slug, a.section.pk], COORDINATOR_A, "get"),
        "builder:section_move": ([slug, a.section.pk], COORDINATOR_A, "post"),
        "builder:section_delete": ([slug, a.section.pk], COORDINATOR_A, "get"),
        "builder:question_add": ([slug, a.section.pk], COORDINATOR_A, "get"),
        "builder:question_edit": ([slug, a.question.pk], COORDINATOR_A, "get"),
        "builder:question_move": ([slug, a.question.pk], COORDINATOR_A, "post"),
        "builder:question_delete": ([slug, a.question.pk], COORDINATOR_A, "get"),
        "builder:faq": ([slug], COORDINATOR_A, "get"),
        "builder:faq_add": ([slug], COORDINATOR_A, "get"),
        "builder:faq_edit": ([slug, a.faq_entry.pk], COORDINATOR_A, "get"),
        "builder:faq_move": ([slug, a.faq_entry.pk], COORDINATOR_A, "post"),
        "builder:faq_delete": ([slug, a.faq_entry.pk], COORDINATOR_A, "post"),
        "builder:evaluation": ([slug], COORDINATOR_A, "get"),
        "builder:criterion_add": ([slug], COORDINATOR_A, "get"),
        "builder:criterion_edit": ([slug, a.criterion.pk], COORDINATOR_A, "get"),
        "builder:criterion_move": ([slug, a.criterion.pk], COORDINATOR_A, "post"),
        "builder:criterion_delete": ([slug, a.criterion.pk], COORDINATOR_A, "post"),
        "builder:selection": ([slug], COORDINATOR_A, "get"),
        "builder:messages": ([slug], COORDINATOR_A, "get"),
        "builder:message_edit": ([slug, "decision_selected"], COORDINATOR_A, "get"),
        "builder:message_preview": ([slug, "decision_selected"], COORDINATOR_A, "get"),
        "builder:team": ([slug], COORDINATOR_A, "get"),
        "builder:coordinator_remove": ([slug, a.coordinator.pk], COORDINATOR_A, "post"),
        "builder:invitation_cancel": ([slug, a.staff_invitation.pk], COORDINATOR_A, "post"),
        # People's data: a call's coordinators for the call, administrators for everyone.
        "privacy:call_people": ([slug], COORDINATOR_A, "get"),
        "privacy:call_person": ([slug, a.applicant.pk], COORDINATOR_A, "get"),
        "privacy:call_person_export": ([slug, a.applicant.pk], COORDINATOR_A, "get"),
        "privacy:call_person_erase": ([slug, a.applicant.pk], COORDINATOR_A, "post"),
        "privacy:person": ([a.applicant.pk], set(), "get"),
        "privacy:person_export": ([a.applicant.pk], set(), "get"),
        "privacy:person_erase": ([a.applicant.pk], set(), "post"),
        # The outbox.
        "notifications:message_detail": ([a.message.pk], COORDINATOR_A, "get"),
        "notifications:message_html": ([a.message.pk], COORDINATOR_A, "get"),
        "notifications:message_resend": ([a.message.pk], COORDINATOR_A, "post"),
    }


# Patterns that take a value but name nothing private: public pages, the token links
# (whose secrecy is tested where they are made), and the Django admin (administrators only,
# tested below).
PUBLIC = {
    "intake:call_detail",  # a published call's public page
    "intake:apply",  # starts an application for the visitor's own organisation
    "intake:invitation_accept",  # a token only its addressee holds; see test_invitation_secrets
    "notifications:verify",  # the public verification of a letter by its code
    "partners:project_page",  # a public project's page
    "partners:project_map",  # its map
    "partners:public_logo",  # the logos partners allowed on the public pages
    None,  # the second spelling of /verify/<code>
    "account_confirm_email",
    "account_reset_password_from_key",
}


def parametrised_patterns():
    """Every named URL pattern outside the admin that takes a value."""
    found = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and (
                pattern.pattern.converters or pattern.pattern.regex.groups
            ):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                found.add(name)

    walk(get_resolver().url_patterns)
    return found


def swapped_ids(args):
    """The same URL with every id replaced by one that does not exist (slugs likewise)."""
    return [MISSING if isinstance(value, int) else f"missing-{value}" for value in args]


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def answer(client, method, url):
    response = getattr(client, method)(url)
    location = response.get("Location", "")
    # A login redirect carries the requested URL; compare answers without it.
    return response.status_code, re.sub(r"\?next=.*", "", location)


def state(world):
    # Allowed roles do download files and export data: those records of reading are expected.
    return {
        "audit": AuditEvent.objects.changes().count(),
        "messages": list(Message.objects.order_by("pk").values_list("status", "attempts")),
        "applications": list(Application.objects.order_by("pk").values_list("status", flat=True)),
        "reviews": list(Review.objects.order_by("pk").values_list("status", flat=True)),
        "invitations": Invitation.objects.count(),
        "evaluators": list(CallEvaluator.objects.order_by("pk").values_list("is_active", flat=True)),
        "decisions": list(Decision.objects.order_by("pk").values_list("outcome", "response")),
        "partners": list(Partner.objects.order_by("pk").values_list("status", flat=True)),
        "participants": list(Participant.objects.order_by("pk").values_list("status", "name")),
        "attendances": Attendance.objects.count(),
        "checklist": list(ChecklistItem.objects.order_by("pk").values_list("order", "is_active")),
    }


def test_every_url_pattern_that_names_an_object_is_swept(world):
    assert parametrised_patterns() - set(targets(world.a)) - PUBLIC == set()


def test_every_refusal_is_a_404_and_changes_nothing(world):
    table = targets(world.a)
    before = state(world)
    checked = refused = 0
    for name, (args, allowed, methods) in table.items():
        url = reverse(name, args=args)
        missing = reverse(name, args=swapped_ids(args))
        for role in ROLES:
            client = client_for(world.people[role])
            if role in allowed:
                # The sweep means something only if the allowed roles do get in.
                # (A page may send them on, e.g. to the summary of a submitted application.)
                if methods == "get":
                    status, location = answer(client, "get", url)
                    assert status == 200 or (status == 302 and "/login/" not in location), (
                        name,
                        role,
                        status,
                    )
                checked += 1
                continue
            for method in ("get", "post"):
                got, expected = answer(client, method, url), answer(client, method, missing)
                assert got == expected, (name, role, method, got, expected)
                if role == "anonymous":
                    assert got[0] in (302, 401, 404, 405), (name, method, got)
                else:
                    assert got[0] in (404, 405), (name, role, method, got)
                checked += 1
                refused += 1
    assert state(world) == before
    print(
        f"access sweep: {len(table)} URL patterns × {len(ROLES)} roles, {checked} requests, {refused} refused"
    )


@pytest.mark.parametrize("who", ["coordinator", "project_coordinator"])
def test_a_coordinator_of_another_call_sees_nothing_of_call_a_in_lists(world, who):
    client = client_for(getattr(world.b, who))
    a = world.a
    pages = [
        reverse("notifications:outbox"),
        reverse("notifications:outbox") + f"?scope={outbox_scope(a.call.pk)}",
        reverse("reviews:coordinator_home"),
        reverse("reviews:call_overview", args=[world.b.call.slug]),
        reverse("reviews:call_audit", args=[world.b.call.slug]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert a.message.subject not in page, url
        assert a.call.title not in page, url
        assert a.organisation.name not in page, url
    progress = client.get(reverse("notifications:progress"), {"scope": outbox_scope(a.call.pk)})
    assert progress.status_code == 404


def test_an_administrator_reads_every_call_and_every_message(world):
    admin = MembershipFactory().user
    admin.is_superuser = admin.is_staff = True
    admin.save()
    with_authenticator(admin)
    client = client_for(admin)
    for message in (world.a.message, world.b.message):
        assert client.get(reverse("notifications:message_detail", args=[message.pk])).status_code == 200
    assert client.get(reverse("reviews:call_overview", args=[world.a.call.slug])).status_code == 200


def test_admin_pages_are_for_administrators_only(world):
    admin_urls = [
        reverse("admin:index"),
        reverse("admin:notifications_message_change", args=[world.a.message.pk]),
        reverse("admin:intake_application_change", args=[world.a.application.pk]),
    ]
    for role in ROLES:
        client = client_for(world.people[role])
        for url in admin_urls:
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], (role, url)
