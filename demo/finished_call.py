"""The closed demo call, run to its final selection: screening, assignment, reviews, consensus,
finalisation, a declined place and the letters."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.accounts import ensure_user
from demo.backdate import Backdate, days_ago
from demo.data.call import CALL_TEXTS, SECTIONS
from demo.data.evaluation import CRITERION_ASPECTS
from demo.data.finished import (
    DAYS_ASSIGNED,
    DAYS_CLOSED,
    DAYS_CONSENSUS,
    DAYS_DECLINED,
    DAYS_FINALISED,
    DAYS_OPENED,
    DAYS_REOPENED,
    DAYS_REVIEW_DEADLINE,
    DAYS_REVIEWS,
    DAYS_SCREENED,
    DAYS_SUBMISSIONS,
    EXPERT_TOTP_SECRETS,
    FINISHED_CONSENSUS,
    FINISHED_CONSORTIUM,
    FINISHED_EVALUATOR_COUNTRIES,
    FINISHED_EXPERTS,
    FINISHED_PREFIX,
    FINISHED_SEED,
    FINISHED_SLUG,
    FINISHED_TEXTS,
    finished_cities,
)
from demo.evaluation import add_demo_evaluators, seed_review_demo
from demo.open_call import SeedResult, ensure_city, ensure_project, fill_letter_texts
from intake.models import (
    Application,
    Call,
    Organisation,
    Question,
    Section,
    Status,
    default_eligible_countries,
)
from intake.receipts import subject_key
from notifications.models import IssuedDocument
from portal import roles
from reviews import robustness, services
from reviews.letters import LETTER_KIND, issue_decision_letter, load_decision
from reviews.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictScope,
    ConsensusScore,
    Decision,
    EligibilityScreening,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
)
from reviews.scoring import weighted_total


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
    # How sure the 11 were: the model's probabilities and grey zone, stored for the pages.
    robustness.ensure_current(call, by=coordinator)
    if letters:
        _issue_letters(call, coordinator)
    return call


def _run_finished_call(coordinator, evaluators):
    backdate = Backdate()
    cities = finished_cities()
    by_name = {city.name: city for city in cities}

    # The call, open while the cities apply; closed afterwards.
    with backdate.to(days_ago(DAYS_OPENED + 5)):
        call = _ensure_finished_call(coordinator)
        criteria = seed_review_demo(call)
        experts = [
            ensure_user(
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
            with backdate.to(days_ago(int(days), hour=hour, minute=index % 60)):
                plan = "withdrawn" if city.plan == "withdrawn" else "submitted"
                ensure_city(
                    call,
                    city.name,
                    city.country,
                    city.kind,
                    city.population,
                    city.efus_member,
                    plan,
                    result=SeedResult(call=call),
                )
    closes_at = days_ago(DAYS_CLOSED, hour=17)
    if call.closes_at > closes_at:
        Call.objects.filter(pk=call.pk).update(closes_at=closes_at)
        call.refresh_from_db()

    # The rules of the evaluation and the eligibility screening.
    with backdate.to(days_ago(DAYS_SCREENED, hour=11)):
        services.change_review_settings(
            call,
            by=coordinator,
            changes={
                "evaluators_per_application": 3,
                "conflict_with_own_country": True,
                "consortium_members": FINISHED_CONSORTIUM,
                "review_deadline": days_ago(DAYS_REVIEW_DEADLINE, hour=18),
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
    with backdate.to(days_ago(DAYS_ASSIGNED + 1, hour=15)):
        rotterdam = Organisation.objects.filter(name="Rotterdam", country="NL").first()
        if rotterdam and team and not ConflictDeclaration.objects.filter(call=call).exists():
            services.declare_conflict(
                team[0],
                call,
                scope=ConflictScope.ORGANISATION,
                organisation=rotterdam,
                note="I advised Rotterdam's security department last year. (Fictitious demo data.)",
            )
    with backdate.to(days_ago(DAYS_ASSIGNED, hour=9)):
        services.apply_assignments(call, seed=FINISHED_SEED, by=coordinator)
    with backdate.to(days_ago(DAYS_ASSIGNED - 1, hour=14)):
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
        with backdate.to(days_ago(int(days), hour=9 + index % 9, minute=(index * 7) % 60)):
            _write_review(assignment, criteria, by_name)

    # A coordinator reopens one review; its evaluator corrects a score.
    with backdate.to(days_ago(DAYS_REOPENED, hour=10)):
        reopened = _reopen_one_review(call, coordinator)
    if reopened is not None:
        with backdate.to(days_ago(DAYS_REOPENED - 1, hour=16)):
            _correct_reopened(reopened, criteria)

    # Consensus scores where the evaluators disagreed.
    with backdate.to(days_ago(DAYS_CONSENSUS, hour=15)):
        for name, position, justification in FINISHED_CONSENSUS:
            _set_consensus(call, name, criteria[position - 1], coordinator, justification)

    # The selection, final; then one selected city declines and a reserve city moves up.
    with backdate.to(days_ago(DAYS_FINALISED, hour=12)):
        services.finalise_selection(
            call,
            by=coordinator,
            note="Decided by the PACTESUR 2 selection committee. (Fictitious demo data.)",
        )
    with backdate.to(days_ago(DAYS_DECLINED, hour=11)):
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
    opens_at = days_ago(DAYS_OPENED, hour=9)
    call, created = Call.objects.get_or_create(
        slug=FINISHED_SLUG,
        defaults={
            "project": ensure_project(),
            **CALL_TEXTS,
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
    fill_letter_texts(call)
    if created:
        for order, ((title_en, title_fr), (intro_en, intro_fr), questions) in enumerate(SECTIONS, start=1):
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
                    personal_data=q.personal_data,
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
    issued = set(
        IssuedDocument.objects.filter(
            kind=LETTER_KIND, subject_key__in=[subject_key(a) for a in call.applications.all()]
        ).values_list("subject_key", flat=True)
    )
    waiting = Decision.objects.filter(application__call=call).select_related("application").order_by("pk")
    for decision_id in [d.pk for d in waiting if subject_key(d.application) not in issued]:
        issue_decision_letter(load_decision(decision_id), by=coordinator)
