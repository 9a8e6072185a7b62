"""Reads of the evaluation that span intake and reviews: what pages and services look up.

Views and services fetch through these (and the models' QuerySet methods); none of them
changes anything.
"""

from django.db.models import Q

from intake.models import Question, QuestionKind

from .conflicts import conflicts_for_call, is_conflicted
from .models import (
    REVIEWABLE_STATUSES,
    Assignment,
    CallEvaluator,
    Criterion,
    Review,
    ReviewSettings,
    Visibility,
)

# The signed letter of commitment is held by the call's file question whose key mentions
# "commitment" or "letter" (``commitment_letter`` in the PACTESUR 2 call).
LETTER_KEY_MARKS = ("commitment", "letter")


def screening_prefill(application):
    """What the application's data answers of the checklist (None where it cannot tell)."""
    call = application.call
    organisation = application.organisation
    review_settings = ReviewSettings.objects.for_call(call)
    letter_questions = Question.objects.filter(section__call=call, kind=QuestionKind.FILE).filter(
        Q(key__icontains=LETTER_KEY_MARKS[0]) | Q(key__icontains=LETTER_KEY_MARKS[1])
    )
    letter = None
    if letter_questions.exists():
        letter = application.documents.filter(question__in=letter_questions).exists()
    on_time = None if application.submitted_at is None else application.submitted_at <= call.closes_at
    countries = {code.upper() for code in call.eligible_countries or []}
    return {
        "eligible_country": organisation.country.upper() in countries,
        "eligible_organisation_type": organisation.kind in (call.eligible_kinds or []),
        "letter_of_commitment": letter,
        "submitted_on_time": on_time,
        "not_consortium_member": not review_settings.is_consortium_member(organisation),
    }


def language_ok(evaluator_languages, application_language):
    return not evaluator_languages or not application_language or application_language in evaluator_languages


def suggest_replacement(application):
    """The least-loaded active evaluator who may take the application, or None."""
    call = application.call
    taken = set(Assignment.objects.filter(application=application).values_list("evaluator_id", flat=True))
    loads = Assignment.objects.loads(call)
    conflicts = conflicts_for_call(call)
    language = application_language(application)
    country = application.organisation.country
    best = None
    for evaluator in CallEvaluator.objects.active().filter(call=call).select_related("user"):
        uid = evaluator.user_id
        load = loads.get(uid, 0)
        if uid in taken or (evaluator.max_load is not None and load >= evaluator.max_load):
            continue
        if uid in conflicts and conflicts[uid].covers(application.pk, application.organisation_id, country):
            continue
        if not language_ok(evaluator.languages, language):
            continue
        if best is None or (load, uid) < best[0]:
            best = ((load, uid), evaluator.user)
    return best[1] if best else None


def application_language(application):
    creator = getattr(application, "created_by", None)
    return getattr(creator, "language", "") or ""


def criteria_of(call):
    return list(Criterion.objects.filter(call=call).order_by("order", "pk"))


def visible_other_reviews(application, evaluator, *, review_settings=None, own_review=None):
    """Other evaluators' submitted reviews this evaluator may read, per the call's setting.

    ``review_settings`` and ``own_review`` spare a query each when the caller has them.
    """
    review_settings = review_settings or ReviewSettings.objects.for_call(application.call_id)
    others = (
        Review.objects.submitted()
        .filter(application=application)
        .exclude(evaluator=evaluator)
        .prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    if review_settings.review_visibility == Visibility.ALWAYS:
        return others
    if review_settings.review_visibility == Visibility.AFTER_OWN:
        if own_review is not None:
            own_submitted = own_review.is_submitted
        else:
            own_submitted = (
                Review.objects.submitted().filter(application=application, evaluator=evaluator).exists()
            )
        return others if own_submitted else Review.objects.none()
    return Review.objects.none()


def assignment_for_evaluator(user, application_id):
    """The evaluator's current assignment to an application they may see; None otherwise.

    Not assigned, declined, conflicted, or an application no longer under review: None,
    and the views answer 404.
    """
    assignment = (
        Assignment.objects.current()
        .filter(evaluator=user, application_id=application_id, application__status__in=REVIEWABLE_STATUSES)
        .select_related("application__call", "application__organisation", "application__created_by")
        .first()
    )
    if assignment is None or is_conflicted(user, assignment.application):
        return None
    return assignment
