"""The partnership in French: every page of the partner and of the coordinator, the emails
and the PDFs. Each shows its key French words, and no sentence of the catalogue is left in
English (any English msgid of the catalogue found on a French page is a string that missed
its translation)."""

import datetime as dt
import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from notifications.models import Message
from partners import documents, reminders, services
from partners.models import Attendance, ItemKind, ParticipantStatus, PartnershipSettings
from tests.factories.partners import (
    ActivityFactory,
    ChecklistItemFactory,
    participant_values,
    project_coordinator,
    selected_application,
    standard_checklist,
)

pytestmark = pytest.mark.django_db


def english_sentences():
    """The catalogue's English texts that read as sentences or labels of several words, with
    a French translation different from them: none may show on a French page."""
    path = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    found = set()
    for msgid, msgstr in catalogue.items():
        if isinstance(msgid, tuple):
            msgid = msgid[0]
        if not isinstance(msgid, str) or not msgid or "\x04" in msgid or msgid == msgstr:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|<[^>]+>|\{[^}]*\}", msgid):
            piece = piece.strip(" .,:;()–—“”\"'")
            if len(piece) >= 14 and " " in piece:
                found.add(piece)
    assert len(found) > 1000, "the compiled catalogue should hold the portal's French"
    return found


ENGLISH = None


def assert_french(text, *expected, where=""):
    global ENGLISH
    ENGLISH = ENGLISH or english_sentences()
    for phrase in expected:
        assert phrase in text, (where, phrase)
    leftovers = sorted(sentence for sentence in ENGLISH if sentence in text)
    assert not leftovers, (where, leftovers)


@pytest.fixture
def partnership():
    """A partner midway through its onboarding, a nomination refused, a confirmed
    participant who attended; a French-speaking member and coordinator."""
    application = selected_application()
    member = application.organisation.members.get()
    member.language = "fr"
    member.save()
    partner = services.accept_place(application, by=member)
    project = partner.project
    project.is_public = True
    project.save()
    for item in standard_checklist(project):
        with translation.override("fr"):
            item.title_fr = str(ItemKind(item.kind).label)
        item.save()
    coordinator = project_coordinator(project)
    coordinator.language = "fr"
    coordinator.save()
    partner = services.accept_participant_privacy(partner, by=member)
    services.save_contact(
        partner, "focal_point", by=member, values={"name": "Ana", "email": "ana@city.example"}
    )
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.upload_signed_agreement(partner, pdf, by=member)
    activity = ActivityFactory(project=project, practical_info_fr="Arrivée la veille.")
    past = ActivityFactory(
        project=project,
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=2),
        registration_deadline=timezone.now() - dt.timedelta(days=20),
    )
    refused = services.nominate(partner, activity, by=member, values=participant_values(language="fr"))
    services.decide_nomination(refused, by=coordinator, status=ParticipantStatus.REFUSED, reason="Complet")
    confirmed = services.nominate(
        partner,
        past,
        by=member,
        values=participant_values(name="Luc Martin", language="fr"),
        by_coordinator=True,
    )
    services.decide_nomination(confirmed, by=coordinator, status=ParticipantStatus.CONFIRMED)
    Attendance.objects.create(participant=confirmed, day=past.days()[0], recorded_by=coordinator)
    return partner, member, coordinator, activity, past, refused, confirmed, application


def french_page(client, url):
    """The page as a French reader sees it, without what was typed in the English fields of
    the forms (an activity's English title is data, not a string of the portal)."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="fr">' in page, url
    page = re.sub(r'value="[^"]*"', "", page)
    return re.sub(r"(<textarea[^>]*>)[^<]*(</textarea>)", r"\1\2", page)


def test_every_page_of_the_partner_is_in_french(client, partnership):
    partner, member, _coordinator, activity, past, refused, confirmed, application = partnership
    client.force_login(member)
    client.cookies["django_language"] = "fr"
    items = {item.kind: item for item in partner.project.checklist_items.all()}
    pages = [
        (reverse("partners:partner_home", args=[partner.pk]), ["Intégration", "Vos contacts dans le projet"]),
        (reverse("partners:my_partnerships"), ["Intégration"]),
        (reverse("partners:reply", args=[application.pk]), ["Votre réponse à la décision"]),
        (reverse("partners:activity", args=[partner.pk, activity.pk]), ["Désigner un participant", "Places"]),
        (reverse("partners:activity", args=[partner.pk, past.pk]), ["Les inscriptions sont closes"]),
        (reverse("partners:participant_edit", args=[partner.pk, refused.pk]), ["Statut", "Refusé"]),
        (reverse("partners:participant_edit", args=[partner.pk, confirmed.pk]), ["Confirmé"]),
        (
            reverse("partners:onboarding_item", args=[partner.pk, items[ItemKind.AGREEMENT].pk]),
            ["Télécharger la convention de partenariat", "En attente de la vérification"],
        ),
        (
            reverse("partners:onboarding_item", args=[partner.pk, items[ItemKind.FOCAL_POINTS].pk]),
            ["Point focal suppléant", "Enregistrer les contacts"],
        ),
        (
            reverse("partners:onboarding_item", args=[partner.pk, items[ItemKind.POLICE_CONTACT].pk]),
            ["Contact police"],
        ),
        (
            reverse("partners:onboarding_item", args=[partner.pk, items[ItemKind.DATA_PROTECTION].pk]),
            ["Notice de confidentialité pour les participants", "Finalité"],
        ),
        (
            reverse("partners:onboarding_item", args=[partner.pk, items[ItemKind.PUBLIC_LISTING].pk]),
            ["Les pages publiques du projet peuvent-elles présenter votre ville"],
        ),
        (
            reverse("partners:onboarding_item", args=[partner.pk, items[ItemKind.CONFIRMATION].pk]),
            ["Marquer cette étape comme accomplie"],
        ),
        (reverse("partners:project_page", args=[partner.project.slug]), ["Villes associées", "Programme"]),
    ]
    for url, expected in pages:
        assert_french(french_page(client, url), *expected, where=url)


def test_a_refused_form_explains_itself_in_french(client, partnership):
    partner, member, _coordinator, activity, *_ = partnership
    client.force_login(member)
    client.cookies["django_language"] = "fr"
    page = client.post(
        reverse("partners:activity", args=[partner.pk, activity.pk]), {"name": ""}
    ).content.decode()
    assert_french(
        page, "Veuillez corriger les champs signalés.", "Ce champ est obligatoire.", where="nominate"
    )


def test_every_page_of_the_coordinator_is_in_french(client, partnership):
    partner, _member, coordinator, activity, past, _refused, _confirmed, application = partnership
    client.force_login(coordinator)
    client.cookies["django_language"] = "fr"
    slug = partner.project.slug
    item = ChecklistItemFactory(
        project=partner.project, title_en="Read the handbook", title_fr="Lire le guide"
    )
    pages = [
        (reverse("partners:project_home", args=[slug]), ["Partenaires et intégration", "Tous les pays"]),
        (reverse("partners:settings", args=[slug]), ["Paramètres du partenariat"]),
        (
            reverse("partners:checklist", args=[slug]),
            ["Liste de contrôle de l'intégration", "Ajouter une étape"],
        ),
        (
            reverse("partners:checklist_item", args=[slug, item.pk]),
            ["Supprimer cette étape", "Lire le guide"],
        ),
        (
            reverse("partners:project_partner", args=[slug, partner.pk]),
            ["Convention de partenariat", "Contacts"],
        ),
        (reverse("partners:activities", args=[slug]), ["Ajouter une activité", "Quand (heure du lieu)"]),
        (reverse("partners:activity_new", args=[slug]), ["Nouvelle activité", "Fuseau horaire du lieu"]),
        (reverse("partners:activity_edit", args=[slug, activity.pk]), ["Modifier"]),
        (
            reverse("partners:activity_participants", args=[slug, activity.pk]),
            ["Désignations", "Places par ville"],
        ),
        (
            reverse("partners:activity_participants", args=[slug, past.pk]),
            ["Présence", "Envoyer les attestations"],
        ),
        (reverse("partners:participation", args=[slug]), ["Villes × activités", "Par genre"]),
        (
            reverse("partners:call_replies", args=[application.call.slug]),
            ["Réponses des villes sélectionnées"],
        ),
    ]
    for url, expected in pages:
        assert_french(french_page(client, url), *expected, where=url)


def test_the_emails_to_partners_and_participants_are_in_french(partnership):
    partner, _member, coordinator, _activity, past, _refused, confirmed, application = partnership
    services.save_activity(
        partner.project,
        by=coordinator,
        values={"starts_at": past.starts_at + dt.timedelta(hours=1)},
        activity=past,
    )
    services.issue_certificates(past, by=coordinator)
    services.withdraw_participant(confirmed, by=coordinator, by_coordinator=True)
    # The reminders: a second selected city that has not answered, the onboarding deadline.
    waiting = selected_application(application.call)
    waiting.organisation.members.update(language="fr")
    application.call.reply_deadline = timezone.now() + dt.timedelta(days=1)
    application.call.save()
    PartnershipSettings.objects.filter(pk=PartnershipSettings.objects.for_project(partner.project).pk).update(
        onboarding_deadline=timezone.now() + dt.timedelta(days=2)
    )
    assert reminders.send_reply_reminders() == 1 and reminders.send_onboarding_reminders() == 1
    kinds = set()
    for message in Message.objects.filter(language="fr"):
        kinds.add(message.kind)
        assert_french(f"{message.subject}\n{message.body_text}\n{message.body_html}", where=message.kind)
    assert {
        "reply_reminder",
        "onboarding_reminder",
        "partner_welcome",
        "nomination_decision",
        "participant_invitation",
        "participant_update",
        "participant_cancellation",
        "attendance_certificate",
    } <= kinds
    invitation = Message.objects.get(kind="participant_invitation", to_email=confirmed.email)
    assert invitation.body_text.startswith("Bonjour Luc Martin,")
    assert "Votre participation à «\u00a0" in invitation.body_text
    assert f"L'équipe du projet {partner.project.acronym}" in invitation.body_text


def text_of(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_agreement_the_certificate_and_the_sign_in_sheet_are_in_french(partnership):
    partner, member, _coordinator, _activity, past, _refused, confirmed, _application = partnership
    agreement = documents.issue_agreement(partner, by=member)
    with agreement.file.open("rb") as handle:
        text = text_of(handle.read())
    assert_french(
        text,
        "Convention de partenariat",
        "Pour la ville",
        "Ce dont les parties conviennent",
        where="agreement",
    )
    certificate = documents.issue_certificate(documents.load_participant(confirmed.pk))
    with certificate.file.open("rb") as handle:
        text = text_of(handle.read())
    assert_french(
        text, "Attestation de présence", "Nous attestons que", "Jours de présence", where="certificate"
    )
    sheet = text_of(documents.sign_in_sheet(past, past.days()[0], language="fr"))
    assert_french(sheet, "Feuille d'émargement", "1 participant confirmé.", where="sign-in sheet")
