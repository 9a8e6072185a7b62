"""The open demo call: the project, the call, cities and their applications in every state
before the decision, built through the same service functions as real use."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from demo.accounts import applicant_email, ascii_slug, ensure_user
from demo.building import ensure_demo_call, ensure_faq, ensure_form, ensure_published
from demo.data.call import CALL_SLUG, CALL_TEXTS, FAQ, LETTER_FIELDS, PROJECT, PROJECT_SLUG, SECTIONS
from demo.data.cities import CITIES, FRENCH_SPEAKING
from demo.data.people import DEMO_PHONE, DEMO_TOTP_SECRETS, FICTITIOUS, STAFF
from demo.documents import commitment_letter_pdf
from demo.evaluation import EVALUATOR_COUNTRIES, add_demo_evaluators, seed_review_demo
from intake import services
from intake.models import (
    Application,
    Call,
    Organisation,
    Project,
    Question,
    QuestionKind,
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


def ensure_project(coordinator=None):
    """The demo's project, PACTESUR 2, which both demo calls belong to; the demo coordinator
    coordinates it, so it may add its calls."""
    project, _created = Project.objects.get_or_create(slug=PROJECT_SLUG, defaults=PROJECT)
    if coordinator is not None:
        project.coordinators.add(coordinator)
    return project


def ensure_staff(result=None):
    """The demo's coordinator and evaluators: ``(coordinator, [evaluators])``."""
    coordinator, evaluators = None, []
    for email, name, role, language in STAFF:
        user = ensure_user(
            email, name, role=role, language=language, result=result, totp_secret=DEMO_TOTP_SECRETS[email]
        )
        if role == roles.COORDINATOR:
            coordinator = user
        else:
            evaluators.append(user)
    return coordinator, evaluators


def ensure_call(result=None):
    """The open demo call, built through the call builder and published: ``(call, created)``.

    Its texts, form, FAQ and criteria go through the builder's services; its evaluators are
    the demo's three, so the check before publishing finds nothing to fix.
    """
    coordinator, evaluators = ensure_staff(result)
    closes_local = (timezone.localtime(timezone.now()) + dt.timedelta(weeks=4)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    call, created = ensure_demo_call(
        by=coordinator,
        project=ensure_project(coordinator),
        slug=CALL_SLUG,
        prefix="PS2",
        texts=CALL_TEXTS,
        opens_at=timezone.now() - dt.timedelta(days=14),
        closes_at=closes_local,
    )
    fill_letter_texts(call)
    ensure_faq(call, by=coordinator, entries=FAQ)
    ensure_form(call, by=coordinator, sections=SECTIONS)
    seed_review_demo(call, by=coordinator)
    add_demo_evaluators(call, evaluators, countries=EVALUATOR_COUNTRIES)
    ensure_published(call, by=coordinator)
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
        result = SeedResult(call=None)
        call, created = ensure_call(result)
        result.call = call
        if created:
            result.count("calls")
        for city in CITIES:
            ensure_city(call, *city, result=result)
    return result
