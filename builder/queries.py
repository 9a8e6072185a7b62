"""What the builder's pages read; views hold no query of their own."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from intake.models import Application, Call, FaqEntry, Question, Section
from reviews.models import CallEvaluator, Criterion, Score

from .services.calls import projects_for_new_call
from .services.form import answered_question_ids


def _count_of(queryset, call_field):
    """How many rows of ``queryset`` each call has, as a subquery (no join to multiply rows)."""
    counts = (
        queryset.filter(**{call_field: OuterRef("pk")})
        .order_by()
        .values(call_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def builder_calls(user):
    """The calls ``user`` coordinates, newest first, with the size of their form."""
    return (
        Call.objects.filter(pk__in=Call.objects.coordinated_by(user).values("pk"))
        .select_related("project")
        .annotate(
            question_count=_count_of(Question.objects.all(), "section__call"),
            application_count=_count_of(Application.objects.submitted(), "call"),
        )
        .order_by("-created_at", "-pk")
    )


def form_outline(call):
    """The steps of the form with their questions, in order, and which questions have answers."""
    sections = list(
        Section.objects.filter(call=call)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    return sections, answered_question_ids(call)


def faq_entries(call):
    return list(FaqEntry.objects.filter(call=call).order_by("order", "pk"))


def criteria(call):
    return list(Criterion.objects.filter(call=call).order_by("order", "pk"))


def evaluators(call):
    return list(CallEvaluator.objects.filter(call=call).select_related("user").order_by("user__email"))


def sections(call):
    """The steps of the form, in order (for a question's "step" field)."""
    return Section.objects.filter(call=call).order_by("order", "pk")


def questions(call):
    """The questions of the call's form, each with its step."""
    return Question.objects.filter(section__call=call).select_related("section")


def section_questions(section):
    return list(section.questions.order_by("order", "pk"))


def new_call_projects(user):
    """The projects ``user`` may add a call to, by acronym."""
    return projects_for_new_call(user).order_by("acronym")


def coordinators(call):
    """The people named coordinators of the call itself."""
    return list(call.coordinators.order_by("email"))


def project_coordinators(call):
    """The people who coordinate the call through its project."""
    return list(call.project.coordinators.order_by("email"))


def pending_invitations(call):
    """The staff invitations to the call still waiting for an answer, with who sent them."""
    return list(call.staff_invitations.pending().select_related("invited_by").order_by("email"))


def has_scores(call):
    """Whether an evaluator has already scored a criterion of the call."""
    return Score.objects.filter(criterion__call=call, value__isnull=False).exists()


def call_size(call):
    """How big the call is, for its overview: steps, questions, FAQ entries, criteria, and
    the applications submitted to it."""
    return {
        "applications": Application.objects.submitted_to(call).count(),
        "sections": Section.objects.filter(call=call).count(),
        "questions": Question.objects.filter(section__call=call).count(),
        "faq": FaqEntry.objects.filter(call=call).count(),
        "criteria": Criterion.objects.filter(call=call).count(),
    }
