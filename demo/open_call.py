"""The open demo call: the project, the call, cities and their applications in every state
before the decision, built through the same service functions as real use."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from demo.accounts import applicant_email, ascii_slug, ensure_user
from demo.data.call import CALL_SLUG, CALL_TEXTS, FAQ, LETTER_FIELDS, PROJECT, PROJECT_SLUG, SECTIONS
from demo.data.cities import CITIES, FRENCH_SPEAKING
from demo.data.people import DEMO_PHONE, DEMO_TOTP_SECRETS, FICTITIOUS, STAFF
from demo.documents import commitment_letter_pdf
from intake import services
from intake.models import (
    Application,
    Call,
    FaqEntry,
    Organisation,
    Project,
    Question,
    QuestionKind,
    Section,
    default_eligible_countries,
)
from portal import roles


@dataclass
class SeedResult:
    call: Call
    created: dict = field(default_factory=dict)

    def count(self, what):
        self.created[what] = self.created.get(what, 0) + 1


def fill_letter_texts(call):
    """A demo call made before calls carried their letters' texts gets them now."""
    Call.objects.filter(pk=call.pk, project_name="").update(
        **{field: CALL_TEXTS[field] for field in LETTER_FIELDS}
    )


def ensure_project():
    """The demo's project, PACTESUR 2, which both demo calls belong to."""
    project, _created = Project.objects.get_or_create(slug=PROJECT_SLUG, defaults=PROJECT)
    return project


def ensure_call():
    opens = timezone.now() - dt.timedelta(days=14)
    closes_local = (timezone.localtime(timezone.now()) + dt.timedelta(weeks=4)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    call, created = Call.objects.get_or_create(
        slug=CALL_SLUG,
        defaults={
            "project": ensure_project(),
            **CALL_TEXTS,
            "reference_prefix": "PS2",
            "timezone": "Europe/Brussels",
            "opens_at": opens,
            "closes_at": closes_local,
            "places": 11,
            "reserve_size": 5,
            "eligible_countries": default_eligible_countries(),
            "max_per_country": 1,
            "is_published": True,
        },
    )
    fill_letter_texts(call)
    for order, (q_en, q_fr, a_en, a_fr) in enumerate(FAQ, start=1):
        FaqEntry.objects.get_or_create(
            call=call,
            question_en=q_en,
            defaults={"order": order, "question_fr": q_fr, "answer_en": a_en, "answer_fr": a_fr},
        )
    for order, ((title_en, title_fr), (intro_en, intro_fr), questions) in enumerate(SECTIONS, start=1):
        section, _ = Section.objects.get_or_create(
            call=call,
            order=order,
            defaults={"title_en": title_en, "title_fr": title_fr, "intro_en": intro_en, "intro_fr": intro_fr},
        )
        for q_order, q in enumerate(questions, start=1):
            Question.objects.get_or_create(
                section=section,
                key=q.key,
                defaults={
                    "order": q_order,
                    "kind": q.kind,
                    "label_en": q.label_en,
                    "label_fr": q.label_fr,
                    "help_en": q.help_en,
                    "help_fr": q.help_fr,
                    "required": q.required,
                    "max_length": q.max_length,
                    "min_value": q.min_value,
                    "max_value": q.max_value,
                    "choices": q.choices,
                    "max_files": q.max_files,
                    "personal_data": q.personal_data,
                },
            )
    return call, created


def demo_answer(question, city, country, population, *, partial=False):
    """A plausible answer for ``question``, or None to leave it empty."""
    key = question.key
    texts = {
        "motivation": (
            f"{city} wants to learn from other European cities how to keep its squares and events open "
            f"and safe, and to train its officers with peers. (Fictitious demo answer.)"
        ),
        "challenges": (
            f"Crowded pedestrian streets in the centre of {city}, a busy railway station and seasonal "
            f"markets that are hard to protect against vehicle attacks. (Fictitious demo answer.)"
        ),
        "current_practices": (
            "A security plan for every large event, temporary barriers, joint briefings with the "
            "national police and video protection in the main squares. (Fictitious demo answer.)"
        ),
        "public_private_cooperation": (
            "Regular meetings with the security staff of shopping centres and event organisers; a "
            "shared radio channel during the summer festival. (Fictitious demo answer.)"
        ),
        "major_events_details": f"The summer festival of {city} draws about 80,000 people over three days.",
        "share_with_peers": (
            "Our crowd-management checklist for open-air events and a site visit of our control "
            "room. (Fictitious demo answer.)"
        ),
        "contact_name": f"Demo contact of {city}",
        "contact_role": "Head of the municipal police",
        "contact_email": applicant_email(city),
        "contact_phone": DEMO_PHONE,
    }
    if partial and question.section.order > 2:
        return None
    if key in texts:
        return texts[key]
    if key == "police_officers":
        return max(10, population // 1500)
    if key == "major_events":
        return ["sports", "concerts", "markets"]
    if key == "commitment":
        return True
    if key == "english_level":
        return "B2"
    if key == "letter_signed_on":
        return (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    return None


def create_organisation(applicant, **fields):
    return services.create_organisation(by=applicant, **fields)


def start(call, organisation, applicant):
    return services.start_application(call, organisation, by=applicant)[0]


def save_answers(application, values, applicant):
    """``values`` maps questions to values; saved as the applicant's form would save them."""
    changes = [services.AnswerChange(question, value) for question, value in values.items()]
    services.save_answers(application, changes, by=applicant)


def upload(application, question, content, *, name, by):
    uploaded = SimpleUploadedFile(name, content, "application/pdf")
    return services.add_document(application, question, uploaded, by=by)


def submit(application, by):
    return services.submit_application(application, by, declaration=True, privacy_accepted=True)


def withdraw(application, by):
    return services.withdraw_application(application, by, note="Withdrawn in the demo data.")


def build_application(call, organisation, applicant, plan, *, population):
    """Start the organisation's application, fill it and take it to the state ``plan`` names."""
    application = start(call, organisation, applicant)
    partial = plan == "draft"
    questions = list(Question.objects.filter(section__call=call).select_related("section"))
    values = {}
    for question in questions:
        if question.kind != QuestionKind.FILE:
            value = demo_answer(
                question, organisation.name, organisation.country, population, partial=partial
            )
            if value is not None:
                values[question] = value
    save_answers(application, values, applicant)
    if partial:
        return application
    letter = next(question for question in questions if question.key == "commitment_letter")
    upload(
        application,
        letter,
        commitment_letter_pdf(organisation.name, organisation.country),
        name=f"letter-of-commitment-{ascii_slug(organisation.name)}.pdf",
        by=applicant,
    )
    application = submit(application, applicant)
    if plan == "withdrawn":
        application = withdraw(application, applicant)
    return application


def ensure_city(call, city, country, kind, population, efus_member, plan, result):
    applicant = ensure_user(
        applicant_email(city),
        f"Demo applicant for {city}",
        role=roles.APPLICANT,
        language="fr" if country in FRENCH_SPEAKING else "en",
        result=result,
    )
    organisation = Organisation.objects.filter(name=city, country=country).first()
    if organisation is None:
        organisation = create_organisation(
            applicant,
            name=city,
            country=country,
            kind=kind,
            population=population,
            efus_member=efus_member,
            address=f"{FICTITIOUS}: not the city's real address.",
        )
        result.count("organisations")
    if not Application.objects.filter(call=call, organisation=organisation).exists():
        build_application(call, organisation, applicant, plan, population=population)
        result.count("applications")
    return organisation


def seed_intake_demo():
    """Create (or find) the demo call, its staff and its cities; returns a ``SeedResult``."""
    roles.ensure_groups()
    with transaction.atomic():
        call, created = ensure_call()
        result = SeedResult(call=call)
        if created:
            result.count("calls")
        for email, name, role, language in STAFF:
            user = ensure_user(
                email, name, role=role, language=language, result=result, totp_secret=DEMO_TOTP_SECRETS[email]
            )
            if role == roles.COORDINATOR:
                call.coordinators.add(user)
        for city in CITIES:
            ensure_city(call, *city, result=result)
    return result


def planned_cities(plan):
    """Names of the demo cities whose application the demo takes to ``plan``."""
    return [city for city, *_, city_plan in CITIES if city_plan == plan]
