"""Reads of the evaluation that span intake and reviews: what pages and services look up.

Views and services fetch through these (and the models' QuerySet methods); none of them
changes anything.
"""

import functools
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from intake.models import Answer, Application, Call, Document, Question, QuestionKind, Section, Status
from portal.formatting import country_name
from portal.models import AuditEvent, User

from .conflicts import conflicted_subqueries, conflicts_for_call
from .models import (
    Assignment,
    AssignmentStatus,
    CallEvaluator,
    ConflictDeclaration,
    ConsensusScore,
    Criterion,
    Decision,
    EligibilityScreening,
    NoConflictConfirmation,
    Outcome,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
    SelectionUncertainty,
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


def criteria_count(call):
    return call.criteria.count()


def stored_uncertainty(call):
    """The call's stored selection probabilities (or their computation under way), or None."""
    return SelectionUncertainty.objects.filter(call=call).first()


def visible_other_reviews(application, evaluator, *, review_settings=None, own_review=None):
    """Other evaluators' submitted reviews this evaluator may read, per the call's setting.

    ``review_settings`` and ``own_review`` spare a query each when the caller has them.
    """
    review_settings = review_settings or ReviewSettings.objects.for_call(application.call)
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


@functools.cache
def _evaluator_assignments():
    """Current assignments to applications under review, with whether their evaluator is
    conflicted or has confirmed "no conflict", and the call, its settings and the city.

    The subqueries read the evaluator from the assignment, so the queryset is the same for
    everyone and is built once a process: building it cost a millisecond a page. Filtering
    it makes a new queryset each time; this one is never evaluated.
    """
    declared, own_country = conflicted_subqueries()
    return (
        Assignment.objects.current()
        .filter(application__status__in=Status.reviewable())
        .select_related("application__call__review_settings", "application__organisation")
        .annotate(
            declared_conflict=declared,
            own_country_conflict=own_country,
            confirmed=Exists(
                NoConflictConfirmation.objects.filter(
                    evaluator_id=OuterRef("evaluator_id"), application_id=OuterRef("application_id")
                )
            ),
        )
        .order_by()  # one assignment per evaluator and application
    )


def assignment_for_evaluator(user, application_id):
    """The evaluator's current assignment to an application they may see; None otherwise.

    Not assigned, declined, conflicted, or an application no longer under review: None,
    and the views answer 404. One query: the conflicts, whether "no conflict" is confirmed
    (``assignment.confirmed``) and the call's settings come with the assignment.
    """
    if not getattr(user, "pk", None):
        return None
    assignment = next(
        iter(_evaluator_assignments().filter(evaluator_id=user.pk, application_id=application_id)[:1]), None
    )
    if assignment is None or assignment.declared_conflict or assignment.own_country_conflict:
        return None
    call = assignment.application.call
    try:
        review_settings = call.review_settings
    except ReviewSettings.DoesNotExist:
        review_settings = ReviewSettings(call_id=call.pk)
    ReviewSettings.objects.remember(call, review_settings)
    return assignment


# --- The coordinator's lists ---------------------------------------------------------------


def coordinator_calls(user):
    """The calls ``user`` coordinates, newest first, with what waits on each."""
    return (
        Call.objects.coordinated_by(user)
        .order_by("-closes_at")
        .annotate(
            submitted=Count("applications", filter=~Q(applications__status=Status.DRAFT)),
            to_screen=Count("applications", filter=Q(applications__status=Status.SUBMITTED)),
            in_review=Count("applications", filter=Q(applications__status=Status.IN_REVIEW)),
        )
    )


def applications_by_status(call):
    """``[(status, count)]`` for every status, drafts included (the overview says they exist)."""
    counts = dict(
        Application.objects.filter(call=call).values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(status, counts.get(status.value, 0)) for status in Status]


def evaluator_workloads(call):
    """The call's evaluators with their assigned, done and declined assignments."""
    of_call = Q(user__assignments__application__call=call)
    return (
        CallEvaluator.objects.filter(call=call)
        .select_related("user")
        .annotate(
            assigned=Count(
                "user__assignments", filter=of_call & ~Q(user__assignments__status=AssignmentStatus.DECLINED)
            ),
            done=Count(
                "user__assignments", filter=of_call & Q(user__assignments__status=AssignmentStatus.DONE)
            ),
            declined=Count(
                "user__assignments", filter=of_call & Q(user__assignments__status=AssignmentStatus.DECLINED)
            ),
        )
    )


def application_members(application):
    """The people who act for the applicant city (the coordinator finds their data from here)."""
    return list(application.organisation.members.order_by("full_name", "email", "pk"))


def call_evaluators(call):
    return CallEvaluator.objects.filter(call=call).select_related("user")


def declined_assignments(call, limit=20):
    return (
        Assignment.objects.for_call(call)
        .filter(status=AssignmentStatus.DECLINED)
        .select_related("application__organisation", "evaluator")
        .order_by("-declined_at")[:limit]
    )


def call_conflicts(call):
    return ConflictDeclaration.objects.filter(call=call).select_related(
        "evaluator", "application__organisation", "organisation"
    )


def call_events(call, action=""):
    """The call's audit log, newest first, optionally one action."""
    events = AuditEvent.objects.filter(call_id=call.pk).select_related("actor")
    return events.filter(action=action) if action else events


def call_event_actions(call):
    """The actions recorded on the call's audit log, for its filter."""
    return sorted(set(AuditEvent.objects.filter(call_id=call.pk).values_list("action", flat=True).order_by()))


def _count_of(model, **conditions):
    """A correlated count per application row: worked out for the rows of the page only."""
    rows = model.objects.filter(application=OuterRef("pk"), **conditions).order_by().values("application")
    return Coalesce(Subquery(rows.annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]), 0)


def coordinator_applications(call, *, status=None, country=None):
    """The coordinator's list of a call's applications (not drafts), with counts, in one query."""
    applications = (
        Application.objects.submitted_to(call)
        .select_related("organisation", "screening")
        .annotate(
            assignment_count=_count_of(
                Assignment, status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.DONE]
            ),
            submitted_review_count=_count_of(Review, status=ReviewStatus.SUBMITTED),
        )
        .order_by("number", "id")
    )
    if status:
        applications = applications.filter(status=status)
    if country:
        applications = applications.filter(organisation__country=country)
    return applications


def applications_to_screen(call, *, only_to_screen=False):
    """Submitted applications and those already screened, for the eligibility page."""
    statuses = [Status.SUBMITTED] if only_to_screen else Status.screenable()
    return (
        Application.objects.filter(call=call, status__in=statuses)
        .select_related("organisation", "screening", "screening__decided_by")
        .order_by("number", "id")
    )


def application_countries(call):
    """{code: name in the active language} of the countries the call's applications come from."""
    codes = (
        Application.objects.submitted_to(call)
        .values_list("organisation__country", flat=True)
        .distinct()
        .order_by()
    )
    return {code: country_name(code) for code in codes if code}


def decisions_by_application(call):
    """{application id: decision} of a call, with what the tables and letters show."""
    return {
        d.application_id: d
        for d in Decision.objects.filter(application__call=call).select_related(
            "application__organisation", "decided_by", "replaced_by__application__organisation"
        )
    }


# --- One application, as its coordinator follows it ----------------------------------------


def application_assignments(application):
    return list(
        Assignment.objects.filter(application=application)
        .select_related("evaluator", "review")
        .order_by("pk")
    )


def application_reviews(application):
    """{assignment id: review} with its scores."""
    return {
        r.assignment_id: r for r in Review.objects.filter(application=application).prefetch_related("scores")
    }


def screening_of(application):
    return EligibilityScreening.objects.filter(application=application).first()


def conflicts_covering(application):
    return ConflictDeclaration.objects.covering(application).select_related("evaluator")


def application_history(application, assignments, reviews, limit=50):
    """What the audit log holds about the application, its assignments and its reviews."""
    return (
        AuditEvent.objects.filter(call_id=application.call_id)
        .filter(
            Q(object_type="intake.application", object_id=str(application.pk))
            | Q(object_type="reviews.assignment", object_id__in=[str(a.pk) for a in assignments])
            | Q(object_type="reviews.review", object_id__in=[str(r.pk) for r in reviews])
        )
        .select_related("actor")[:limit]
    )


def offered_decisions(call):
    """The call's decisions that offered a place or a reserve place: selected first, then by rank."""
    decisions = Decision.objects.filter(application__call=call).exclude(outcome=Outcome.NOT_SELECTED)
    decisions = decisions.select_related(
        "application__organisation", "replaced_by__application__organisation"
    )
    return sorted(decisions, key=lambda d: (d.outcome != Outcome.SELECTED, d.rank or 0))


def decision_of(application):
    return Decision.objects.filter(application=application).first()


def consensus_score(application, criterion):
    return ConsensusScore.objects.filter(application=application, criterion=criterion).first()


def assignment_preview_names(call, application_ids):
    """The evaluators of a call and the applications of an automatic run's preview, by id."""
    evaluators = {user.pk: user for user in User.objects.filter(evaluations__call=call)}
    applications = {
        a.pk: a for a in Application.objects.filter(pk__in=application_ids).select_related("organisation")
    }
    return evaluators, applications


# --- The evaluator's pages ------------------------------------------------------------------


def evaluator_call_progress(user):
    """Per call the evaluator has assignments in: the call, how many, how many submitted (two queries)."""
    counts = (
        Assignment.objects.current()
        .filter(evaluator=user)
        .values("application__call_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=AssignmentStatus.DONE)))
        .order_by()
    )
    counts = {row["application__call_id"]: row for row in counts}
    calls = Call.objects.filter(pk__in=counts).select_related("review_settings").order_by("closes_at", "pk")
    return [
        {"call": call, "total": counts[call.pk]["total"], "done": counts[call.pk]["done"]} for call in calls
    ]


def reviews_for_evaluator(assignment, review_settings):
    """The evaluator's own review of the assignment and the others' they may read, in two queries.

    The others' submitted reviews are read with the own one; they are kept only when the
    call's setting lets this evaluator see them (``visible_other_reviews`` says the same).
    Each review's scores come in no particular order (the page reads them by criterion),
    which spares the joins of their default ordering.
    """
    scores = Prefetch("scores", queryset=Score.objects.order_by())
    reviews = Review.objects.filter(application_id=assignment.application_id).prefetch_related(scores)
    own_only = Q(assignment_id=assignment.pk)
    if review_settings.review_visibility != Visibility.NEVER:
        own_only |= Q(status=ReviewStatus.SUBMITTED) & ~Q(evaluator_id=assignment.evaluator_id)
    own, others = None, []
    for review in reviews.filter(own_only).order_by("submitted_at", "pk"):
        if review.assignment_id == assignment.pk:
            own = review
        else:
            others.append(review)
    visible = review_settings.review_visibility == Visibility.ALWAYS or (
        review_settings.review_visibility == Visibility.AFTER_OWN and own is not None and own.is_submitted
    )
    return own, others if visible else []


def own_review(assignment):
    return Review.objects.filter(assignment=assignment).prefetch_related("scores").first()


def has_confirmed_no_conflict(user, application):
    return NoConflictConfirmation.objects.filter(evaluator=user, application=application).exists()


def declared_conflicts(call, evaluator):
    return ConflictDeclaration.objects.filter(call=call, evaluator=evaluator).select_related(
        "application__organisation", "organisation"
    )


def application_content(application):
    """What an evaluator reads of an application: its sections, answers and documents.

    In the models' order, without the joins their default orderings bring (to the call for
    the sections, to the questions and sections for the documents): within one call, and
    with the documents grouped by question, these orderings say the same.
    """
    sections = list(
        Section.objects.filter(call_id=application.call_id)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "id")))
    )
    answers = dict(Answer.objects.filter(application=application).values_list("question_id", "value"))
    documents = list(Document.objects.filter(application=application).order_by("uploaded_at", "id"))
    return sections, answers, documents


# --- The dashboard's counts, grouped in the database -------------------------------------


@dataclass
class EvaluatorProgress:
    name: str
    assigned: int
    submitted: int

    @property
    def remaining(self):
        return self.assigned - self.submitted


def status_counts(call):
    counts = dict(
        Application.objects.submitted_to(call)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [(str(Status(s).label), counts[s]) for s in Status.values if counts.get(s)]


def country_counts(call):
    rows = (
        Application.objects.submitted_to(call)
        .values_list("organisation__country")
        .annotate(n=Count("id"))
        .values_list("organisation__country", "n")
    )
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def evaluator_progress_counts(call):
    """[evaluator id, assignments that count, reviews submitted] of each evaluator of ``call``."""
    rows = (
        Assignment.objects.current()
        .for_call(call)
        .values("evaluator_id")
        .annotate(
            assigned=Count("id"), submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED))
        )
        .order_by()
    )
    return [[row["evaluator_id"], row["assigned"], row["submitted"]] for row in rows]


def evaluator_progress(call, counts=None):
    """Each evaluator's progress, by name; from ``counts`` (``evaluator_progress_counts``) when given."""
    counts = evaluator_progress_counts(call) if counts is None else counts
    people = User.objects.filter(pk__in=[evaluator for evaluator, _assigned, _submitted in counts] or [0])
    names = {person.pk: (person.full_name, person.email) for person in people.only("full_name", "email")}
    ordered = sorted((names[row[0]], row) for row in counts if row[0] in names)
    return [
        EvaluatorProgress(full_name or email, assigned, submitted)
        for (full_name, email), (_evaluator, assigned, submitted) in ordered
    ]
