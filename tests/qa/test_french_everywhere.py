"""The demo in French, everywhere: every page as every role, every email, every PDF and
every export, for people who read French, whatever language the person who set things in
motion was using (the demo is seeded with English active). Any text that is the English of
the catalogue, or that reads as English, is reported with where it was seen.

Every named URL is either visited below or left out with the reason why.
"""

import csv
import datetime as dt
import io
import os
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import pre_save
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from demo.accounts import demo_password_hash
from demo.data.finished import FINISHED_EXPERTS, FINISHED_SLUG
from demo.data.people import COORDINATOR_EMAIL, EVALUATOR_EMAILS
from intake.messages import MESSAGES
from intake.models import Application, Call, Status
from notifications.models import IssuedDocument, Message
from partners.models import Activity, ChecklistItem, Participant, ParticipantStatus, Partner
from partners.services import attendance
from portal import roles
from portal.models import User
from reviews.views.ranking import EXPORTS
from tests.factories import with_authenticator
from tests.notifications.storage import follow_private_storage
from tests.qa.english import Inspector, calendar_texts, html_texts, pdf_texts, plain_texts

pytestmark = pytest.mark.django_db

# Named URLs not requested, and why.
EXCLUDED = {
    "portal:healthz": "a probe for the load balancer, no words",
    "intake:invitation_accept": "needs the secret token that only the invitation email holds",
    "intake:application_autosave": "POST only (htmx autosave)",
    "intake:document_download": "streams the applicant's own upload: their document, not the portal's",
    "intake:invitation_cancel": "POST only",
    "reviews:evaluator_review_total": "POST only (htmx total, numbers)",
    "reviews:evaluator_review_autosave": "POST only (htmx autosave)",
    "reviews:evaluator_confirm_no_conflict": "POST only",
    "reviews:evaluator_conflict": "POST only",
    "reviews:evaluator_decline": "POST only",
    "reviews:assignment_add": "POST only",
    "reviews:assignment_remove": "POST only",
    "reviews:review_reopen": "POST only",
    "reviews:evaluator_active": "POST only",
    "reviews:decision_decline": "POST only",
    "reviews:robustness_compute": "POST only",
    "reviews:lottery_announce": "POST only",
    "reviews:lottery_draw": "POST only",
    "partners:public_logo": "an image a partner uploaded",
    "partners:logo_download": "an image a partner uploaded",
    "partners:signed_agreement_download": "the PDF a partner uploaded",
    "partners:participant_withdraw": "POST only",
    "partners:call_reply_record": "POST only",
    "partners:checklist_move": "POST only",
    "partners:checklist_item_delete": "POST only",
    "partners:attendance": "POST only",
    "partners:certificates_send": "POST only",
    "partners:participant_decide": "POST only",
    "partners:participant_erase": "POST only",
    "partners:participant_export": "JSON for a data request: keys for machines",
    "builder:section_move": "POST only",
    "builder:question_move": "POST only",
    "builder:faq_move": "POST only",
    "builder:faq_delete": "POST only",
    "builder:criterion_move": "POST only",
    "builder:criterion_delete": "POST only",
    "builder:unpublish": "POST only",
    "builder:texts_preview": "POST only (htmx preview of what was typed)",
    "builder:coordinator_remove": "POST only",
    "builder:invitation_cancel": "POST only",
    "privacy:call_person_export": "JSON for a data request: keys for machines",
    "privacy:call_person_erase": "POST only",
    "privacy:person_export": "JSON for a data request: keys for machines",
    "privacy:person_erase": "POST only",
    "notifications:message_resend": "POST only",
    None: "the second spelling of /verify/<code>",
    "set_language": "POST only: the switcher itself",
    "account_confirm_email": "needs the secret key of a confirmation email",
    "account_reset_password_from_key": "needs the secret key of a reset email",
    "account_reset_password_from_key_done": "reached after a reset only",
    "account_confirm_login_code": "login by code is turned off",
    "account_request_reauthentication_code": "login by code is turned off",
    "account_confirm_reauthentication_code": "login by code is turned off",
    "account_set_password": "demo accounts have a password (the page sends them on)",
    "mfa_authenticate": "reached in the middle of a login only",
    "mfa_reauthenticate": "reached when a staff page asks for the code again only",
    "mfa_activate_totp": "demo staff have their authenticator already (the page sends them on)",
    "mfa_deactivate_totp": "shown after a fresh code only",
    "mfa_view_recovery_codes": "shown after a fresh code only",
    "mfa_generate_recovery_codes": "shown after a fresh code only",
    "mfa_download_recovery_codes": "a text file of codes",
    "account_reauthenticate": "shown when a staff page asks for the password again only",
}
# What the Django admin shows in English whatever the language, that the portal cannot
# change: the search icon's text in Django's template, and allauth's own fields.
ADMIN_ENGLISH = {"Search", "Created at", "Last used at"}
# The pages that show the audit log, with the names of objects as they were recorded.
SHOW_THE_LOG = {"reviews:call_audit", "reviews:call_overview", "reviews:application_evaluation"}
# The Django admin: its index and every list are visited; its other pages are Django's
# own forms, in Django's French, with the same field names as the lists.
ADMIN_VISITED = ("index", "_changelist")


def named_urls():
    found = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                found.add(f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name)

    walk(get_resolver().url_patterns)
    return found


def french_reader(sender, instance, **kwargs):
    """Everyone the demo creates reads French."""
    if instance._state.adding:
        instance.language = "fr"


def seed():
    roles.ensure_groups()
    for model in (User, Participant):
        pre_save.connect(french_reader, sender=model, dispatch_uid=f"french-{model.__name__}")
    try:
        # Whoever sets things in motion works in English; the emails and letters they cause
        # must still reach their French readers in French.
        with translation.override("en"), TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
            world = people()
            certificates(world)
    finally:
        for model in (User, Participant):
            pre_save.disconnect(sender=model, dispatch_uid=f"french-{model.__name__}")
    return world


def people():
    """One person per role, and per state of an application of each call."""
    calls = SimpleNamespace(
        open=Call.objects.exclude(slug=FINISHED_SLUG).get(), closed=Call.objects.get(slug=FINISHED_SLUG)
    )
    project = calls.closed.project
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    project_coordinator = User.objects.create(email="project@demo.example", full_name="Pia Projet")
    roles.grant(project_coordinator, roles.COORDINATOR)
    with_authenticator(project_coordinator)
    project.coordinators.add(project_coordinator)
    administrator = User.objects.create(
        email="admin@demo.example", full_name="Ada Admin", is_staff=True, is_superuser=True
    )
    with_authenticator(administrator)
    applicants = {}
    for application in Application.objects.order_by("pk").select_related("call"):
        key = f"applicant ({application.call.slug}, {application.status})"
        if key not in applicants:
            applicants[key] = (application.organisation.members.order_by("pk").first(), application)
    partner = Partner.objects.order_by("pk").first()
    return SimpleNamespace(
        calls=calls,
        project=project,
        applicants=applicants,
        people={
            "anonymous": None,
            "evaluator": User.objects.get(email=EVALUATOR_EMAILS[0]),
            "expert": User.objects.get(email=FINISHED_EXPERTS[0][0]),
            "coordinator": coordinator,
            "project coordinator": project_coordinator,
            "partner": partner.organisation.members.order_by("pk").first(),
            "administrator": administrator,
            **{key: user for key, (user, _application) in applicants.items()},
        },
        partner=partner,
        coordinator=coordinator,
    )


def certificates(world):
    """A finished activity with attendees, their certificates sent: the demo's programme lies
    ahead, so the certificate email and PDF need one day in the past."""
    activity = Activity.objects.filter(project=world.project).order_by("starts_at").first()
    shift = activity.ends_at - activity.starts_at
    activity.starts_at = timezone.now() - shift - dt.timedelta(days=2)
    activity.ends_at = activity.starts_at + shift
    activity.registration_deadline = activity.starts_at - dt.timedelta(days=10)
    activity.save()
    confirmed = Participant.objects.filter(activity=activity, status=ParticipantStatus.CONFIRMED)
    assert confirmed, "the demo confirms participants of its first activity"
    day = activity.days()[0]
    attendance.record_attendance(activity, by=world.coordinator, present={p.pk: [day] for p in confirmed})
    attendance.issue_certificates(activity, by=world.coordinator)
    world.past_activity = activity
    world.attendee = confirmed.first()


def visits(world):
    """(URL name, role, arguments): every page a person of each role reaches."""
    open_call, closed = world.calls.open.slug, world.calls.closed.slug
    everyone = list(world.people)
    found = []

    def visit(name, who, *args, query=""):
        for role in [who] if isinstance(who, str) else who:
            found.append((name, role, args, query))

    visit("portal:home", everyone)
    visit("portal:privacy", everyone)
    visit("intake:call_list", everyone)
    for slug in (open_call, closed):
        visit("intake:call_detail", everyone, slug)
    visit("partners:project_page", everyone, world.project.slug)
    visit("partners:project_map", "anonymous", world.project.slug)
    letter = IssuedDocument.objects.filter(kind="decision_letter").order_by("pk").first()
    visit("notifications:verify", "anonymous", letter.verification_code)
    for name in ("account_login", "account_signup", "account_reset_password", "account_reset_password_done"):
        visit(name, "anonymous")
    visit("account_inactive", "anonymous")
    visit("account_email_verification_sent", "anonymous")
    signed_in = [role for role in everyone if role != "anonymous"]
    for name in (
        "portal:dashboard",
        "portal:profile",
        "account_email",
        "account_change_password",
        "mfa_index",
    ):
        visit(name, signed_in)
    visit("account_logout", signed_in)

    # The applicants, one per state of an application of each call.
    for role, (_user, application) in world.applicants.items():
        organisation = application.organisation
        visit("intake:dashboard", role)
        visit("intake:organisation_detail", role)
        visit("intake:organisation_detail", role, organisation.pk)
        visit("intake:organisation_edit", role, organisation.pk)
        visit("intake:organisation_invite", role, organisation.pk)
        visit("intake:application_detail", role, application.pk)
        visit("intake:application_summary", role, application.pk)
        if application.status == Status.DRAFT:
            visit("intake:organisation_create", role)
            visit("intake:apply", role, application.call.slug)
            visit("intake:application_submit", role, application.pk)
            for step in range(1, application.call.sections.count() + 1):
                visit("intake:application_step", role, application.pk, step)
        if application.status in (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW):
            visit("intake:application_withdraw", role, application.pk)
        for document in IssuedDocument.objects.filter(subject_key=f"application:{application.pk}"):
            visit("intake:issued_document_download", role, application.pk, document.pk)
        if application.status in (Status.SELECTED, Status.RESERVE):
            visit("partners:reply", role, application.pk)

    # The evaluators.
    for role, slug in (("evaluator", open_call), ("expert", closed)):
        visit("reviews:evaluator_home", role)
        visit("reviews:evaluator_conflicts", role, slug)
        for assignment in world.people[role].assignments.order_by("pk")[:4]:
            visit("reviews:evaluator_application", role, assignment.application_id)

    # The coordinator of both calls.
    staff = ["coordinator"]
    visit("reviews:coordinator_home", staff)
    visit("builder:home", staff)
    visit("builder:call_create", staff)
    visit("notifications:outbox", staff)
    visit("notifications:progress", staff)
    for call in (world.calls.open, world.calls.closed):
        slug = call.slug
        for name in (
            "call_overview",
            "coordinator_applications",
            "screening_list",
            "call_evaluators",
            "review_settings",
            "call_audit",
            "auto_assign",
            "ranking",
            "selection",
            "sensitivity",
            "call_dashboard",
            "exports",
            "robustness_progress",
        ):
            visit(f"reviews:{name}", staff, slug)
        for export in EXPORTS:
            visit("reviews:export_download", staff, slug, export)
        for status in Status:
            application = call.applications.filter(status=status).order_by("pk").first()
            if application is None or status == Status.DRAFT:
                continue
            visit("reviews:application_evaluation", staff, application.pk)
            visit("reviews:screening", staff, application.pk)
            visit("reviews:ranking_sheet", staff, slug, application.pk)
            visit("intake:application_detail", staff, application.pk)
        visit("partners:call_replies", staff, slug)
        for name in ("overview", "call_copy", "publish", "texts", "basics", "letters", "form", "section_add"):
            visit(f"builder:{name}", staff, slug)
        for name in ("faq", "faq_add", "evaluation", "criterion_add", "selection", "messages", "team"):
            visit(f"builder:{name}", staff, slug)
        section = call.sections.order_by("order").first()
        question = section.questions.order_by("order").first()
        visit("builder:section_edit", staff, slug, section.pk)
        visit("builder:section_delete", staff, slug, section.pk)
        visit("builder:question_add", staff, slug, section.pk)
        visit("builder:question_edit", staff, slug, question.pk)
        visit("builder:question_delete", staff, slug, question.pk)
        for faq in call.faq_entries.order_by("pk")[:1]:
            visit("builder:faq_edit", staff, slug, faq.pk)
        visit("builder:criterion_edit", staff, slug, call.criteria.order_by("pk").first().pk)
        for kind, message in MESSAGES.items():
            visit("builder:message_edit", staff, slug, kind)
            visit("builder:message_preview", staff, slug, kind)
            for part in ("pdf",) if message.is_letter else ("html", "text"):
                visit("builder:message_preview", staff, slug, kind, query=f"?preview=fr-{part}")
        visit("privacy:call_people", staff, slug)
        person = world.applicants[next(k for k in world.applicants if call.slug in k)][0]
        visit("privacy:call_person", staff, slug, person.pk)
    for kind in Message.objects.values_list("kind", flat=True).distinct():
        message = Message.objects.filter(kind=kind).order_by("pk").first()
        visit("notifications:message_detail", staff, message.pk)
        visit("notifications:message_html", staff, message.pk)

    # The project's coordinator.
    project = world.project.slug
    lead = "project coordinator"
    for name in ("project_home", "settings", "checklist", "activities", "activity_new", "participation"):
        visit(f"partners:{name}", lead, project)
    for item in ChecklistItem.objects.filter(project=world.project):
        visit("partners:checklist_item", lead, project, item.pk)
    for partner in Partner.objects.filter(project=world.project).order_by("pk")[:3]:
        visit("partners:project_partner", lead, project, partner.pk)
    for activity in Activity.objects.filter(project=world.project):
        visit("partners:activity_participants", lead, project, activity.pk)
        visit("partners:activity_edit", lead, project, activity.pk)
    past = world.past_activity
    visit("partners:sign_in_sheet", lead, project, past.pk, past.days()[0].isoformat())
    for fmt in ("csv", "xlsx"):
        visit("partners:participation_export", lead, project, fmt)

    # A partner city.
    partner = world.partner
    visit("partners:my_partnerships", "partner")
    visit("partners:partner_home", "partner", partner.pk)
    visit("partners:agreement_download", "partner", partner.pk)
    for item in ChecklistItem.objects.filter(project=world.project):
        visit("partners:onboarding_item", "partner", partner.pk, item.pk)
    for activity in Activity.objects.filter(project=world.project):
        visit("partners:activity", "partner", partner.pk, activity.pk)
    for participant in partner.participants.order_by("pk")[:2]:
        visit("partners:participant_edit", "partner", partner.pk, participant.pk)
    attendee = world.attendee
    visit("partners:certificate_download", "partner", attendee.partner_id, attendee.pk)
    visit("partners:partner_home", "partner", attendee.partner_id)

    # The administrator.
    visit("privacy:everyone", "administrator")
    visit("privacy:person", "administrator", world.people["partner"].pk)
    visit("notifications:outbox", "administrator")
    for name in named_urls():
        if name and name.startswith("admin:") and name.endswith(ADMIN_VISITED):
            visit(name, "administrator")
    return found


def answers(world):
    """(URL name, role, arguments, data) of forms sent: the page after it says what happened.
    Sent after every page was read, so what they change is seen by none of them."""
    call = world.calls.open
    application = call.applications.filter(status=Status.IN_REVIEW).order_by("pk").first()
    return [
        ("reviews:selection_override", "coordinator", (call.slug, application.pk), {}),
        (
            "reviews:selection_override",
            "coordinator",
            (call.slug, application.pk),
            {"action": "include", "justification": "Vu en comité."},
        ),
        ("reviews:selection_finalise", "coordinator", (call.slug,), {}),
        ("reviews:consensus", "coordinator", (call.slug, application.pk), {}),
    ]


def texts_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return pdf_texts(content)
    if kind.startswith("text/csv"):
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        cells = [book.sheetnames]
        for sheet in book.worksheets:
            cells.extend(value for row in sheet.iter_rows(values_only=True) for value in row)
        return [str(cell) for cell in cells if isinstance(cell, str)]
    if kind.startswith("text/plain"):
        return plain_texts(content.decode())
    if kind.startswith("image/svg"):
        return html_texts(content.decode().replace("<svg", "<div").replace("</svg>", "</div>"))
    return html_texts(content.decode())


def client_for(user):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    if user is not None:
        client.force_login(user)
    return client


def crawl(world):
    inspector = Inspector()
    clients = {role: client_for(user) for role, user in world.people.items()}
    refused = []
    # The outbox's filter and the admin's list give the kinds of message by their stored
    # names (the outbox knows no domain app's words for them).
    kinds = set(Message.objects.values_list("kind", flat=True))
    world.visits = visits(world)
    for name, role, args, query in world.visits:
        url = reverse(name, args=args) + query
        response = clients[role].get(url, follow=True)
        if response.status_code != 200:
            refused.append((name, role, url, response.status_code))
            continue
        admin = name.startswith("admin:")
        allowed = kinds | ADMIN_ENGLISH if admin else kinds if name == "notifications:outbox" else ()
        # The call builder and the admin show what coordinators wrote in both languages.
        bilingual = name.startswith(("builder:", "admin:"))
        log = name in SHOW_THE_LOG
        inspector.read(f"{role} {url}", texts_of(response), allowed=allowed, bilingual=bilingual, log=log)
    world.answers = answers(world)
    for name, role, args, data in world.answers:
        url = reverse(name, args=args)
        response = clients[role].post(url, data, follow=True)
        assert response.status_code == 200, (name, role, url, response.status_code)
        inspector.read(f"{role} POST {url}", texts_of(response))
    for message in Message.objects.order_by("pk"):
        where = f"email {message.kind} to {message.to_email} ({message.language})"
        texts = [message.subject, *plain_texts(message.body_text), *html_texts(message.body_html)]
        inspector.read(where, texts)
        for attachment in message.attachments.all():
            content = attachment.file.read()
            texts = pdf_texts(content) if content.startswith(b"%PDF") else calendar_texts(content.decode())
            inspector.read(f"{where}: {attachment.filename}", texts)
    for document in IssuedDocument.objects.order_by("pk"):
        with document.file.open("rb") as handle:
            inspector.read(f"PDF {document.kind} {document.filename}", pdf_texts(handle.read()))
    return SimpleNamespace(inspector=inspector, refused=refused)


@pytest.fixture(scope="module")
def french(django_db_setup, django_db_blocker, tmp_path_factory):
    location = str(tmp_path_factory.mktemp("french-demo-media"))
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}
    storages = {**settings.STORAGES, "default": storage, "private": storage}
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_password_hash.cache_clear()
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PASSWORD_HASHERS=hashers, MEDIA_ROOT=location),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        follow_private_storage(patch)
        world = seed()
        result = crawl(world)
        result.world = world
        yield result
        transaction.set_rollback(True)
    demo_password_hash.cache_clear()


def test_every_named_url_is_visited_or_left_out_for_a_reason(french):
    visited = {name for name, *_rest in [*french.world.visits, *french.world.answers]}
    admin = {name for name in named_urls() if name and name.startswith("admin:")}
    assert named_urls() - visited - set(EXCLUDED) - admin == set()
    assert not visited & set(EXCLUDED)


def test_every_visit_opens_its_page(french):
    assert french.refused == []


def test_no_english_on_any_french_page_email_or_pdf(french):
    inspector = french.inspector
    documents = inspector.documents
    pages = sum(1 for where in documents if not where.startswith(("email", "PDF")))
    emails = sum(1 for where in documents if where.startswith("email") and ".pdf" not in where)
    pdfs = len(documents) - pages - emails
    print(f"French everywhere: {pages} pages, {emails} emails, {pdfs} PDFs and attachments read")
    if os.environ.get("FRENCH_REPORT"):
        Path(os.environ["FRENCH_REPORT"]).write_text(inspector.report())
    assert inspector.findings == {}, f"{len(inspector.findings)} English texts:\n{inspector.report()}"


def test_every_email_and_document_was_written_for_a_french_reader(french):
    assert set(Message.objects.values_list("language", flat=True)) == {"fr"}
    assert set(IssuedDocument.objects.values_list("language", flat=True)) == {"fr"}
    kinds = set(IssuedDocument.objects.values_list("kind", flat=True))
    assert {"decision_letter", "submission_receipt", "partnership_agreement"} <= kinds
    assert "attendance_certificate" in kinds
