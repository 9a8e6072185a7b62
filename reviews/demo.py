"""The reviews app's demo data, labelled fictitious.

``seed_review_demo`` gives a call the illustrative PACTESUR 2 criteria and settings;
``add_demo_evaluators`` registers evaluators on a call; ``seed_finished_call`` builds a
closed PACTESUR 2 call run to its end, so every evaluation and selection page has data.
"""

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from intake import demo as intake_demo
from intake.models import (
    Application,
    Call,
    Organisation,
    OrganisationKind,
    Question,
    Section,
    Status,
    default_eligible_countries,
)
from portal import roles

from . import services
from .models import (
    Assignment,
    AssignmentStatus,
    CallEvaluator,
    ConflictDeclaration,
    ConflictScope,
    ConsensusScore,
    Criterion,
    Decision,
    EligibilityScreening,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
)
from .scoring import weighted_total

ILLUSTRATIVE_EN = "Illustrative criterion for the demo; the real call's criteria are set by Efus."
ILLUSTRATIVE_FR = "Critère donné à titre d'illustration ; les critères de l'appel réel sont fixés par l'Efus."

# (weight, English name, French name, English guidance, French guidance)
PACTESUR_CRITERIA = [
    (
        25,
        "Relevance of the city's challenges to the project",
        "Pertinence des enjeux de la ville pour le projet",
        "How closely the city's public-space security challenges match the project's themes.",
        "Dans quelle mesure les enjeux de sécurité des espaces publics de la ville "
        "correspondent aux thèmes du projet.",
    ),
    (
        20,
        "Experience and practices in protecting public spaces",
        "Expérience et pratiques de protection des espaces publics",
        "Measures, plans and lessons the city already has and can share.",
        "Mesures, plans et enseignements dont la ville dispose déjà et qu'elle peut partager.",
    ),
    (
        20,
        "Public–private cooperation experience and potential",
        "Expérience et potentiel de coopération public–privé",
        "Work with operators of venues, transport, retail and private security, now or planned.",
        "Travail avec les exploitants de lieux, de transports, de commerces et la sécurité privée, "
        "existant ou prévu.",
    ),
    (
        20,
        "Commitment and capacity to take part in the activities",
        "Engagement et capacité à participer aux activités",
        "Staff named for the police academies and workshops, signed commitment, availability.",
        "Personnel désigné pour les académies de police et les ateliers, engagement signé, disponibilité.",
    ),
    (
        15,
        "Added value for exchange and dissemination",
        "Valeur ajoutée pour l'échange et la diffusion",
        "What other cities would learn from this city, and how it would spread the results.",
        "Ce que d'autres villes apprendraient de cette ville, et comment elle diffuserait les résultats.",
    ),
]


def seed_review_demo(call):
    """Give ``call`` the illustrative PACTESUR 2 criteria and settings; safe to repeat.

    Weights 25/20/20/20/15, a threshold of 3 out of 5 on each criterion, 60/100 overall,
    tie-breaks in the order of the criteria.
    """
    settings, _created = ReviewSettings.objects.get_or_create(call=call)
    settings.overall_threshold = Decimal(60)
    settings.scale_max = Decimal(5)
    settings.scale_step = Decimal("0.5")
    settings.save()
    criteria = []
    for position, (weight, name_en, name_fr, guidance_en, guidance_fr) in enumerate(PACTESUR_CRITERIA, 1):
        criterion, _created = Criterion.objects.update_or_create(
            call=call,
            name_en=name_en,
            defaults={
                "order": position,
                "name_fr": name_fr,
                "guidance_en": f"{guidance_en}\n\n{ILLUSTRATIVE_EN}",
                "guidance_fr": f"{guidance_fr}\n\n{ILLUSTRATIVE_FR}",
                "weight": Decimal(weight),
                "threshold": Decimal(3),
                "tie_break_priority": position,
            },
        )
        criteria.append(criterion)
    return criteria


def add_demo_evaluators(call, users, *, countries=()):
    """Make ``users`` evaluators of ``call`` (grants the role); safe to repeat.

    ``countries`` gives each evaluator their own country, in order, for the own-country
    conflict rule; languages are left open (any).
    """
    records = []
    for index, user in enumerate(users):
        country = countries[index] if index < len(countries) else ""
        record, _created = CallEvaluator.objects.get_or_create(
            call=call, user=user, defaults={"country": country}
        )
        roles.grant(user, roles.EVALUATOR)
        records.append(record)
    return records


# ======================================================================================
# The finished call: a closed PACTESUR 2 call whose selection is final
# ======================================================================================
#
# Everything goes through the services, as a coordinator, evaluators and cities would
# have done it, so the transitions, audit events and emails are the real ones. Only the
# times are then moved into the past (``Backdate``), phase by phase, so the audit log and
# the pages read like a call that ran for months and closed weeks ago.

FINISHED_SLUG = "pactesur-2-closed"
FINISHED_PREFIX = "PS2C"
FINISHED_SEED = 20260918  # the automatic assignment's seed, shown in the audit log

FINISHED_TEXTS = {
    "title_en": "PACTESUR 2 – call for associated cities (closed demo call)",
    "title_fr": "PACTESUR 2 – appel à villes associées (appel de démonstration clos)",
    "summary_en": (
        "Fictitious demo data: a closed copy of the PACTESUR 2 call, with every review done and "
        "the selection of the 11 associated cities and the reserve list final, to show the "
        "evaluation and the selection from start to end."
    ),
    "summary_fr": (
        "Données de démonstration fictives : une copie close de l'appel PACTESUR 2, dont toutes "
        "les évaluations sont faites et la sélection des 11 villes associées et la liste de "
        "réserve arrêtées, pour présenter l'évaluation et la sélection de bout en bout."
    ),
}

# Partners of the project cannot apply (illustrative list, fictitious demo data).
FINISHED_CONSORTIUM = ["Liège"]

# The three demo evaluators' own countries on this call, then the external experts.
FINISHED_EVALUATOR_COUNTRIES = ("FR", "BE", "IT")
FINISHED_EXPERTS = [
    ("expert.es@demo.example", "Elena Demo (external expert)", "ES"),
    ("expert.pl@demo.example", "Piotr Demo (external expert)", "PL"),
    ("expert.de@demo.example", "Jonas Demo (external expert)", "DE"),
]
# Fictitious authenticator secrets of the experts, like intake_demo.DEMO_TOTP_SECRETS.
EXPERT_TOTP_SECRETS = {
    "expert.es@demo.example": "DEMOTOTPEXPERTSPAINFICTITIOUSAAA",
    "expert.pl@demo.example": "DEMOTOTPEXPERTPOLANDFICTITIOUSAA",
    "expert.de@demo.example": "DEMOTOTPEXPERTGERMANYFICTITIOUSA",
}


def demo_totp_secrets():
    """Every demo staff account's authenticator secret, by email address."""
    return {**intake_demo.DEMO_TOTP_SECRETS, **EXPERT_TOTP_SECRETS}


@dataclass(frozen=True)
class DemoCity:
    name: str
    country: str
    kind: str
    population: int
    efus_member: bool
    quality: float  # the level the reviews score around, on the 0-5 scale
    plan: str = "in_review"  # or "withdrawn", "ineligible"
    ineligible_reason: str = ""
    disagreement: float = 0.0  # one evaluator scores this much higher (or lower) on every criterion


def _cities():
    muni, metro, police = (
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.METROPOLITAN_REGIONAL,
        OrganisationKind.LOCAL_POLICE,
    )
    return [
        DemoCity("Bologna", "IT", muni, 390000, True, 4.4),
        DemoCity("Florence", "IT", muni, 360000, True, 4.1),
        DemoCity("Genoa", "IT", muni, 560000, True, 3.8),
        DemoCity("Naples", "IT", police, 910000, False, 3.6, disagreement=-2.0),
        DemoCity("Valencia", "ES", muni, 800000, True, 4.3),
        DemoCity("Bilbao", "ES", police, 346000, False, 4.0),
        DemoCity("Xàbia", "ES", muni, 29000, True, 3.4),
        DemoCity("Seville", "ES", muni, 680000, False, 3.1),
        DemoCity("Gdańsk", "PL", muni, 486000, True, 4.2),
        DemoCity("Wrocław", "PL", muni, 674000, False, 3.8),
        DemoCity("Poznań", "PL", muni, 540000, False, 3.0),
        DemoCity("Kraków", "PL", muni, 800000, False, 3.9, plan="withdrawn"),
        DemoCity("Strasbourg", "FR", metro, 290000, True, 3.9),
        DemoCity("Bordeaux", "FR", muni, 260000, True, 3.1),
        DemoCity("Leipzig", "DE", muni, 620000, True, 4.0),
        DemoCity("Düsseldorf", "DE", muni, 630000, False, 3.5),
        DemoCity("Ghent", "BE", police, 265000, False, 3.7, disagreement=-2.0),
        DemoCity("Brussels", "BE", muni, 196000, True, 3.3),
        DemoCity(
            "Liège",
            "BE",
            muni,
            197000,
            True,
            3.8,
            plan="ineligible",
            ineligible_reason="Liège is a partner of the project consortium and cannot be an associated "
            "city. (Fictitious demo data.)",
        ),
        DemoCity("Lisbon", "PT", muni, 545000, True, 4.0),
        DemoCity("Kordelió-Évosmos", "GR", muni, 101000, True, 3.6),
        DemoCity("Thessaloniki", "GR", muni, 319000, False, 2.6),
        DemoCity("Budapest", "HU", muni, 1700000, False, 3.2),
        DemoCity("Riga", "LV", muni, 605000, True, 3.8),
        DemoCity("Tallinn", "EE", muni, 454000, False, 2.8),
        DemoCity("Vilnius", "LT", muni, 590000, True, 3.7),
        DemoCity("Vienna", "AT", metro, 2000000, False, 3.4, disagreement=1.75),
        DemoCity("Rotterdam", "NL", muni, 670000, True, 4.1),
        DemoCity("Cluj-Napoca", "RO", muni, 290000, False, 3.0),
        DemoCity("Ljubljana", "SI", muni, 295000, False, 3.75),
        DemoCity("Zagreb", "HR", muni, 767000, False, 2.7),
        DemoCity("Malmö", "SE", muni, 360000, False, 3.9),
        DemoCity("Helsinki", "FI", muni, 675000, False, 3.3),
        DemoCity("Brno", "CZ", muni, 400000, False, 2.9),
        DemoCity("Cork", "IE", muni, 225000, False, 3.1, disagreement=1.75),
        DemoCity("Esch-sur-Alzette", "LU", muni, 37000, True, 3.6),
        DemoCity("Bratislava", "SK", muni, 475000, False, 2.5),
        DemoCity(
            "Aarhus",
            "DK",
            muni,
            360000,
            False,
            3.7,
            plan="ineligible",
            ineligible_reason="Denmark does not take part in the Internal Security Fund – Police, so "
            "Danish cities cannot be funded by the project. (Fictitious demo data.)",
        ),
    ]


# Consensus scores the coordinator sets after discussing a disagreement: (city, criterion
# position, justification).
FINISHED_CONSENSUS = [
    (
        "Ghent",
        2,
        "Discussed with the three evaluators: the city's practices are well documented in the annex "
        "the harsher review had not opened; agreed on the middle score. (Fictitious demo data.)",
    ),
    (
        "Ghent",
        4,
        "The signed commitment names two officers for every academy; the low score read an earlier "
        "draft. Agreed after a call with the evaluators. (Fictitious demo data.)",
    ),
    (
        "Vienna",
        3,
        "The public–private cooperation described concerns the regional government, not the city; "
        "the evaluators agreed the generous score overstated it. (Fictitious demo data.)",
    ),
]

# Days before today when each phase happened (fictional times, Europe/Brussels).
DAYS_OPENED = 120
DAYS_SUBMISSIONS = (100, 71)  # first and last day of the submissions
DAYS_CLOSED = 70
DAYS_SCREENED = 67
DAYS_ASSIGNED = 65
DAYS_REVIEWS = (62, 50)
DAYS_REOPENED = 48
DAYS_REVIEW_DEADLINE = 42
DAYS_CONSENSUS = 38
DAYS_FINALISED = 30
DAYS_DECLINED = 16

CRITERION_ASPECTS = [
    "the city's challenges",
    "its practices in protecting public spaces",
    "its public–private cooperation",
    "its commitment and capacity",
    "its value for exchange with peers",
]


class Backdate:
    """Moves the times written during a block of seeding to a moment in the past.

    Every row whose timestamp falls inside the block's real window is shifted by the same
    amount, so what happened together stays together and in order. Meant for demo data
    seeded while nobody else writes (the outbox is left alone: its times drive delivery).
    """

    STAMPS = (
        ("portal", "User", ("date_joined",)),
        ("portal", "AuditEvent", ("at",)),
        ("intake", "Call", ("created_at", "updated_at")),
        ("intake", "Organisation", ("created_at",)),
        ("intake", "Membership", ("joined_at",)),
        (
            "intake",
            "Application",
            ("created_at", "updated_at", "submitted_at", "declaration_accepted_at", "privacy_accepted_at"),
        ),
        ("intake", "ApplicationTransition", ("at",)),
        ("intake", "Answer", ("updated_at",)),
        ("intake", "Document", ("uploaded_at",)),
        ("reviews", "ReviewSettings", ("finalised_at",)),
        ("reviews", "EligibilityScreening", ("decided_at",)),
        ("reviews", "CallEvaluator", ("added_at",)),
        ("reviews", "ConflictDeclaration", ("declared_at",)),
        ("reviews", "NoConflictConfirmation", ("confirmed_at",)),
        ("reviews", "Assignment", ("assigned_at", "declined_at")),
        ("reviews", "Review", ("created_at", "updated_at", "submitted_at", "reopened_at")),
        ("reviews", "ConsensusScore", ("set_at",)),
        ("reviews", "Decision", ("decided_at", "responded_at")),
    )

    @contextmanager
    def to(self, moment):
        start = timezone.now()
        yield
        end = timezone.now()
        delta = moment - start
        for app_label, model_name, fields in self.STAMPS:
            model = apps.get_model(app_label, model_name)
            for name in fields:
                model.objects.filter(**{f"{name}__range": (start, end)}).update(**{name: F(name) + delta})


def _days_ago(days, hour=10, minute=0):
    """A moment ``days`` before today, at ``hour`` in Brussels."""
    local = timezone.localtime(timezone.now(), ZoneInfo("Europe/Brussels")) - dt.timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _half_points(value):
    return Decimal(str(max(0.0, min(5.0, round(value * 2) / 2))))


def demo_score(city, evaluator_email, position):
    """The score ``evaluator_email`` gives ``city`` on the criterion at ``position`` (1-based).

    The city's level, its own profile across the criteria, the evaluator's habit and a
    little noise; each drawn from its own seeded generator so a score never depends on the
    order the reviews are written in.
    """
    profile = random.Random(f"{city.name}|profile|{position}").uniform(-0.4, 0.4)
    habit = random.Random(f"{evaluator_email}|habit").uniform(-0.2, 0.2)
    noise = random.Random(f"{city.name}|{evaluator_email}|{position}").choice((-0.5, -0.25, 0, 0, 0.25, 0.5))
    return _half_points(city.quality + profile + habit + noise)


def _comment(criterion, position, value):
    aspect = CRITERION_ASPECTS[(position - 1) % len(CRITERION_ASPECTS)]
    if criterion.threshold is not None and value < criterion.threshold:
        return (
            f"Below what the project needs on {aspect}: the application stays general and gives no example."
        )
    if value >= 4:
        return f"Convincing on {aspect}, with concrete examples."
    return f"Adequate on {aspect}; more detail would have helped."


def _recommendation(total):
    if total >= 80:
        return Recommendation.STRONGLY_RECOMMEND
    if total >= 68:
        return Recommendation.RECOMMEND
    if total >= 58:
        return Recommendation.RESERVATIONS
    return Recommendation.NOT_RECOMMEND


def seed_finished_call(coordinator, evaluators, *, letters=True):
    """A closed PACTESUR 2 call run to its end: returns the call; safe to repeat.

    37 cities apply (one withdraws, a Danish city and a consortium partner are screened
    out), three evaluators review each application (assigned automatically, with a fixed
    seed), a few reviews disagree and the coordinator sets two cities' consensus scores,
    the 11 cities and the reserve list are finalised, one selected city declines and a
    reserve city takes its place. ``letters`` also issues every decision's PDF letter
    (when the letter machinery is installed). A call already finalised is returned as is.
    """
    call = Call.objects.filter(slug=FINISHED_SLUG).first()
    if call is None or not ReviewSettings.objects.for_call(call).is_finalised:
        with transaction.atomic():
            call = _run_finished_call(coordinator, list(evaluators))
    if letters:
        _issue_letters(call, coordinator)
    return call


def _run_finished_call(coordinator, evaluators):
    backdate = Backdate()
    cities = _cities()
    by_name = {city.name: city for city in cities}

    # The call, open while the cities apply; closed afterwards.
    with backdate.to(_days_ago(DAYS_OPENED + 5)):
        call = _ensure_finished_call(coordinator)
        criteria = seed_review_demo(call)
        experts = [
            intake_demo.ensure_user(
                email, name, role=roles.EVALUATOR, language="en", totp_secret=EXPERT_TOTP_SECRETS[email]
            )
            for email, name, _country in FINISHED_EXPERTS
        ]
        team = [*evaluators, *experts]
        add_demo_evaluators(
            call,
            team,
            countries=[*FINISHED_EVALUATOR_COUNTRIES[: len(evaluators)], *(c for *_, c in FINISHED_EXPERTS)],
        )

    first, last = DAYS_SUBMISSIONS
    if not Application.objects.filter(call=call).exists():
        for index, city in enumerate(cities):
            days = first - (first - last) * index / max(1, len(cities) - 1)
            hour = 9 + random.Random(f"{city.name}|hour").randrange(8)
            with backdate.to(_days_ago(int(days), hour=hour, minute=index % 60)):
                plan = "withdrawn" if city.plan == "withdrawn" else "submitted"
                intake_demo.ensure_city(
                    call,
                    city.name,
                    city.country,
                    city.kind,
                    city.population,
                    city.efus_member,
                    plan,
                    result=intake_demo.SeedResult(call=call),
                )
    closes_at = _days_ago(DAYS_CLOSED, hour=17)
    if call.closes_at > closes_at:
        Call.objects.filter(pk=call.pk).update(closes_at=closes_at)
        call.refresh_from_db()

    # The rules of the evaluation and the eligibility screening.
    with backdate.to(_days_ago(DAYS_SCREENED, hour=11)):
        services.change_review_settings(
            call,
            by=coordinator,
            changes={
                "evaluators_per_application": 3,
                "conflict_with_own_country": True,
                "consortium_members": FINISHED_CONSORTIUM,
                "review_deadline": _days_ago(DAYS_REVIEW_DEADLINE, hour=18),
            },
        )
        submitted = (
            Application.objects.filter(call=call, status=Status.SUBMITTED)
            .select_related("organisation")
            .order_by("number")
        )
        for application in submitted:
            city = by_name[application.organisation.name]
            ineligible = city.plan == "ineligible"
            services.decide_eligibility(
                application,
                by=coordinator,
                decision=EligibilityScreening.Decision.INELIGIBLE
                if ineligible
                else EligibilityScreening.Decision.ELIGIBLE,
                reason=city.ineligible_reason,
            )

    # Conflicts, then the automatic assignment with a fixed seed; one evaluator declines one.
    with backdate.to(_days_ago(DAYS_ASSIGNED + 1, hour=15)):
        rotterdam = Organisation.objects.filter(name="Rotterdam", country="NL").first()
        if rotterdam and team and not ConflictDeclaration.objects.filter(call=call).exists():
            services.declare_conflict(
                team[0],
                call,
                scope=ConflictScope.ORGANISATION,
                organisation=rotterdam,
                note="I advised Rotterdam's security department last year. (Fictitious demo data.)",
            )
    with backdate.to(_days_ago(DAYS_ASSIGNED, hour=9)):
        services.apply_assignments(call, seed=FINISHED_SEED, by=coordinator)
    with backdate.to(_days_ago(DAYS_ASSIGNED - 1, hour=14)):
        if not Assignment.objects.for_call(call).filter(status=AssignmentStatus.DECLINED).exists():
            _decline_one_assignment(call, team, coordinator)

    # The reviews, spread over the review period.
    assignments = list(
        Assignment.objects.for_call(call)
        .current()
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .select_related("application__organisation", "application__call", "evaluator")
        .order_by("application__number", "evaluator__email")
    )
    start, end = DAYS_REVIEWS
    for index, assignment in enumerate(assignments):
        days = start - (start - end) * index / max(1, len(assignments) - 1)
        with backdate.to(_days_ago(int(days), hour=9 + index % 9, minute=(index * 7) % 60)):
            _write_review(assignment, criteria, by_name)

    # A coordinator reopens one review; its evaluator corrects a score.
    with backdate.to(_days_ago(DAYS_REOPENED, hour=10)):
        reopened = _reopen_one_review(call, coordinator)
    if reopened is not None:
        with backdate.to(_days_ago(DAYS_REOPENED - 1, hour=16)):
            _correct_reopened(reopened, criteria)

    # Consensus scores where the evaluators disagreed.
    with backdate.to(_days_ago(DAYS_CONSENSUS, hour=15)):
        for name, position, justification in FINISHED_CONSENSUS:
            _set_consensus(call, name, criteria[position - 1], coordinator, justification)

    # The selection, final; then one selected city declines and a reserve city moves up.
    with backdate.to(_days_ago(DAYS_FINALISED, hour=12)):
        services.finalise_selection(
            call,
            by=coordinator,
            note="Decided by the PACTESUR 2 selection committee. (Fictitious demo data.)",
        )
    with backdate.to(_days_ago(DAYS_DECLINED, hour=11)):
        declining = (
            Decision.objects.filter(application__call=call, application__status=Status.SELECTED)
            .select_related("application")
            .order_by("-rank")
            .first()
        )
        services.record_decline(
            declining.application,
            by=coordinator,
            note="The city council cannot release officers for the police academies next year. "
            "(Fictitious demo data.)",
        )
    return call


def _ensure_finished_call(coordinator):
    opens_at = _days_ago(DAYS_OPENED, hour=9)
    call, created = Call.objects.get_or_create(
        slug=FINISHED_SLUG,
        defaults={
            **intake_demo.CALL_TEXTS,
            **FINISHED_TEXTS,
            "reference_prefix": FINISHED_PREFIX,
            "timezone": "Europe/Brussels",
            "opens_at": opens_at,
            # Open while the demo cities apply; closed weeks ago once they have.
            "closes_at": timezone.now() + dt.timedelta(days=1),
            "places": 11,
            "reserve_size": 5,
            "eligible_countries": default_eligible_countries(),
            "max_per_country": 1,
            "is_published": True,
        },
    )
    if coordinator is not None:
        call.coordinators.add(coordinator)
    intake_demo.fill_letter_texts(call)
    if created:
        for order, ((title_en, title_fr), (intro_en, intro_fr), questions) in enumerate(
            intake_demo.SECTIONS, start=1
        ):
            section = Section.objects.create(
                call=call,
                order=order,
                title_en=title_en,
                title_fr=title_fr,
                intro_en=intro_en,
                intro_fr=intro_fr,
            )
            for q_order, q in enumerate(questions, start=1):
                Question.objects.create(
                    section=section,
                    key=q.key,
                    order=q_order,
                    kind=q.kind,
                    label_en=q.label_en,
                    label_fr=q.label_fr,
                    help_en=q.help_en,
                    help_fr=q.help_fr,
                    required=q.required,
                    max_length=q.max_length,
                    min_value=q.min_value,
                    max_value=q.max_value,
                    choices=q.choices,
                    max_files=q.max_files,
                )
    return call


def _decline_one_assignment(call, team, coordinator):
    """The last evaluator gives back their first assignment; the suggested colleague takes it."""
    assignment = (
        Assignment.objects.for_call(call)
        .filter(evaluator=team[-1], status=AssignmentStatus.ACTIVE)
        .select_related("application__call", "application__organisation")
        .order_by("application__number")
        .first()
    )
    if assignment is None:
        return
    replacement = services.decline_assignment(
        assignment,
        by=assignment.evaluator,
        reason="On mission abroad for most of the review period. (Fictitious demo data.)",
    )
    if replacement is not None:
        services.assign_evaluator(assignment.application, replacement, by=coordinator)


def _write_review(assignment, criteria, by_name):
    application = assignment.application
    city = by_name[application.organisation.name]
    evaluator = assignment.evaluator
    shift = 0.0
    if city.disagreement:
        first = (
            Assignment.objects.current()
            .filter(application=application)
            .order_by("evaluator__email")
            .values_list("evaluator_id", flat=True)
            .first()
        )
        shift = city.disagreement if first == evaluator.pk else 0.0
    values, comments = {}, {}
    for position, criterion in enumerate(criteria, 1):
        value = _half_points(float(demo_score(city, evaluator.email, position)) + shift)
        values[criterion.pk] = value
        comments[criterion.pk] = _comment(criterion, position, value)
    total = weighted_total(values, criteria, Decimal(5))
    services.confirm_no_conflict(evaluator, application)
    services.save_review(
        assignment,
        by=evaluator,
        values=values,
        comments=comments,
        overall_comment=(
            f"{city.name}: a weighted total of {total:.0f} out of 100 in this review. "
            "(Fictitious demo review.)"
        ),
        recommendation=_recommendation(total),
        submit=True,
    )


def _reopen_one_review(call, coordinator):
    if Review.objects.for_call(call).filter(reopened_at__isnull=False).exists():
        return None
    review = (
        Review.objects.for_call(call)
        .submitted()
        .filter(application__organisation__name="Riga")
        .select_related("application__call", "application__organisation", "evaluator")
        .order_by("evaluator__email")
        .first()
    )
    if review is None:
        return None
    return services.reopen_review(
        review,
        by=coordinator,
        note="Your comment on public–private cooperation praises the city but the score is low; "
        "please check it. (Fictitious demo data.)",
    )


def _correct_reopened(review, criteria):
    scores = {score.criterion_id: score for score in review.scores.all()}
    values = {pk: score.value for pk, score in scores.items()}
    comments = {pk: score.comment for pk, score in scores.items()}
    corrected = criteria[2].pk
    values[corrected] = min(Decimal(5), values[corrected] + Decimal(1))
    comments[corrected] = "Corrected: the joint control room with the port operator is a strong example."
    services.save_review(
        review.assignment,
        by=review.evaluator,
        values=values,
        comments=comments,
        overall_comment=review.overall_comment,
        recommendation=review.recommendation,
        submit=True,
    )


def _set_consensus(call, city_name, criterion, coordinator, justification):
    application = Application.objects.filter(call=call, organisation__name=city_name).first()
    if (
        application is None
        or ConsensusScore.objects.filter(application=application, criterion=criterion).exists()
    ):
        return
    scores = sorted(
        Score.objects.filter(
            review__application=application, review__status=ReviewStatus.SUBMITTED, criterion=criterion
        ).values_list("value", flat=True)
    )
    if not scores:
        return
    services.set_consensus_score(
        application, criterion, by=coordinator, value=scores[len(scores) // 2], justification=justification
    )


def _issue_letters(call, coordinator):
    """The letter of every decision that has none yet, dated today (a letter is dated when issued)."""
    try:
        from .letters import issue_decision_letter, load_decision
    except ImportError:
        return
    waiting = Decision.objects.filter(application__call=call, letters__isnull=True).order_by("pk")
    for decision_id in waiting.values_list("pk", flat=True):
        issue_decision_letter(load_decision(decision_id), by=coordinator)
