"""The partners' demo: after the closed call, its selected cities accept their places and
become PACTESUR 2's associated partners, part-way through their onboarding, with the
programme of activities and a first round of nominations. Seeded through the services;
safe to repeat."""

import datetime as dt
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from demo.data.partners import (
    CHECKLIST,
    CITY_COORDINATES,
    CONSORTIUM,
    CONTACTS,
    FICTITIOUS,
    FICTITIOUS_FR,
    FIRST_NAMES,
    LAST_NAMES,
    PROGRAMME,
)
from intake.models import Application, Status
from partners import documents, services
from partners.models import (
    Activity,
    ChecklistItem,
    ConsortiumMember,
    ContactRole,
    Participant,
    ParticipantCategory,
    ParticipantStatus,
    Partner,
    PartnershipSettings,
    ProjectContact,
)
from reviews.models import Decision, Response


def seed_partners_demo(call, coordinator):
    """Returns the project's partners."""
    project = call.project
    if coordinator is not None:
        project.coordinators.add(coordinator)
    _consortium(project)
    _checklist(project, coordinator)
    activities = _programme(project, coordinator)
    _settings(project, coordinator, activities)
    if call.reply_deadline is None:
        call.reply_deadline = timezone.now() + dt.timedelta(days=21)
        call.save(update_fields=["reply_deadline", "updated_at"])
    _accept_places(call)
    partners = list(
        Partner.objects.filter(project=project).select_related("organisation").order_by("organisation__name")
    )
    for index, partner in enumerate(partners):
        _onboard(partner, index, coordinator)
    _nominate(partners, activities, coordinator)
    return partners


def _consortium(project):
    for order, (name_en, name_fr, city, country, coordinates, website, lat, lon) in enumerate(CONSORTIUM, 1):
        ConsortiumMember.objects.get_or_create(
            project=project,
            name_en=name_en,
            defaults={
                "order": order,
                "name_fr": name_fr,
                "city": city,
                "country": country,
                "is_coordinator": coordinates,
                "website": website,
                "latitude": lat,
                "longitude": lon,
            },
        )
    for order, (name, role_en, role_fr, email, phone) in enumerate(CONTACTS, 1):
        ProjectContact.objects.get_or_create(
            project=project,
            email=email,
            defaults={"order": order, "name": name, "role_en": role_en, "role_fr": role_fr, "phone": phone},
        )


def _checklist(project, coordinator):
    if ChecklistItem.objects.filter(project=project).exists():
        return
    for order, (kind, title_en, title_fr, help_en, help_fr) in enumerate(CHECKLIST, 1):
        services.save_checklist_item(
            project,
            by=coordinator,
            values={"order": order, "kind": kind, "title_en": title_en, "title_fr": title_fr,
                    "help_en": help_en, "help_fr": help_fr, "is_active": True},
        )  # fmt: skip


def _programme(project, coordinator):
    existing = list(Activity.objects.filter(project=project).order_by("starts_at"))
    if existing:
        return existing
    first = (timezone.localdate() + dt.timedelta(days=35)).replace(day=1) + dt.timedelta(days=31)
    first = first.replace(day=1)
    activities = []
    for kind, title_en, title_fr, city, country, tz, venue, offset, days, seats, eligibility in PROGRAMME:
        zone = zoneinfo.ZoneInfo(tz)
        day = first + dt.timedelta(days=offset)
        starts = dt.datetime.combine(day, dt.time(9, 0), zone)
        ends = dt.datetime.combine(day + dt.timedelta(days=days - 1), dt.time(17, 30), zone)
        activities.append(
            services.save_activity(
                project,
                by=coordinator,
                values={
                    "kind": kind,
                    "title_en": title_en,
                    "title_fr": title_fr,
                    "description_en": f"{title_en}, hosted in {city}.{FICTITIOUS}",
                    "description_fr": f"{title_fr}, à {city}.{FICTITIOUS_FR}",
                    "venue": venue,
                    "host_city": city,
                    "country": country,
                    "timezone": tz,
                    "starts_at": starts,
                    "ends_at": ends,
                    "registration_deadline": starts - dt.timedelta(days=21),
                    "seats_per_partner": seats,
                    "seats_total": seats * 11,
                    "eligibility": eligibility,
                    "working_language": "English",
                    "practical_info_en": "Arrive the evening before; the project books travel and hotels "
                    "for those who ask.",
                    "practical_info_fr": "Arrivée la veille ; le projet réserve voyage et hôtel "
                    "pour qui le demande.",
                    "is_published": True,
                },
            )
        )
    return activities


def _settings(project, coordinator, activities):
    """The demo keeps participants' data 12 months after its (shifted) programme ends."""
    current = PartnershipSettings.objects.for_project(project)
    if current.onboarding_deadline:
        return
    last = max(activity.ends_at for activity in activities).date()
    months = (last.year - project.ends_on.year) * 12 + last.month - project.ends_on.month + 12
    services.change_partnership_settings(
        project,
        by=coordinator,
        onboarding_deadline=timezone.now() + dt.timedelta(days=30),
        retention_months=max(12, min(120, months)),
    )


def _accept_places(call):
    waiting = (
        Application.objects.filter(call=call, status=Status.SELECTED, decision__response=Response.PENDING)
        .select_related("call__project", "organisation")
        .order_by("decision__rank")
    )
    for application in waiting:
        member = application.submitted_by or application.organisation.members.order_by("pk").first()
        partner = services.accept_place(
            application, by=member, note="Accepted in the portal. (Fictitious demo data.)"
        )
        lat, lon = CITY_COORDINATES.get(application.organisation.name, (None, None))
        Partner.objects.filter(pk=partner.pk).update(latitude=lat, longitude=lon)
    # The city that declined earlier stays declined: its history is the closed call's.
    return Decision.objects.filter(application__call=call, response=Response.ACCEPTED).count()


def _member(partner):
    return partner.organisation.members.order_by("pk").first()


def _onboard(partner, index, coordinator):
    """Cities are at different points of the onboarding: the first ones nearly done."""
    if partner.contacts.exists() or partner.progress.exists():
        return
    member = _member(partner)
    slug = slugify(partner.organisation.name)
    if index < 8:
        for role, title in ((ContactRole.FOCAL_POINT, "International relations officer"),
                            (ContactRole.DEPUTY, "Deputy head of the security department")):  # fmt: skip
            services.save_contact(
                partner,
                role,
                by=member,
                values={"name": f"{FIRST_NAMES[index]} {LAST_NAMES[role == ContactRole.DEPUTY]}",
                        "position": title, "email": f"{role}.{slug}@demo.example",
                        "phone": "+00 000 000 000", "languages": "English, French"},
            )  # fmt: skip
    if index < 6:
        services.save_contact(
            partner,
            ContactRole.POLICE,
            by=member,
            values={"name": f"{FIRST_NAMES[-1 - index]} Demo", "position": "Chief inspector, local police",
                    "email": f"police.{slug}@demo.example", "languages": "English"},
        )  # fmt: skip
    if index < 9:
        services.accept_participant_privacy(partner, by=member)
    if index < 7:
        services.set_public_listing(partner, by=member, consent=True, public_name=partner.organisation.name)
    elif index < 9:
        services.set_public_listing(partner, by=member, consent=False)
    if index < 5:
        agreement = documents.issue_agreement(partner, by=member)
        with agreement.file.open("rb") as handle:
            signed = SimpleUploadedFile("signed-agreement.pdf", handle.read(), content_type="application/pdf")
        services.upload_signed_agreement(partner, signed, by=member)
        if index < 3:
            services.check_agreement(partner, by=coordinator, accepted=True)


def _nominate(partners, activities, coordinator):
    """A first round of nominations for the first two activities; the coordinator has
    confirmed most of the first one's."""
    if Participant.objects.filter(activity__in=activities).exists():
        return
    partners = list(Partner.objects.filter(pk__in=[p.pk for p in partners]).select_related("organisation"))
    counter = 0
    for activity in activities[:2]:
        for partner in partners:
            if not partner.has_current_privacy_acceptance():
                continue
            member = _member(partner)
            slug = slugify(partner.organisation.name)
            counter += 1
            participant = services.nominate(
                partner,
                activity,
                by=member,
                values={
                    "name": f"{FIRST_NAMES[counter % len(FIRST_NAMES)]} "
                    f"{LAST_NAMES[counter % len(LAST_NAMES)]}",
                    "role": "Inspector",
                    "unit": "Local police, events unit",
                    "email": f"participant{counter}.{slug}@demo.example",
                    "language": "en",
                    "languages": "English",
                    "category": ParticipantCategory.POLICE_OFFICER,
                    "gender": ["woman", "man", "not_said", ""][counter % 4],
                    "needs_travel": True,
                    "needs_accommodation": True,
                },
                by_coordinator=True,
            )
            if activity == activities[0] and counter % 5:
                services.decide_nomination(participant, by=coordinator, status=ParticipantStatus.CONFIRMED)
    return counter
