"""What a call still lacks before it can be published, each with a link to where it is fixed.

``publish_problems(call)`` reads the call's form, FAQ, criteria, settings, message texts
and team in a fixed number of queries, whatever their size. Publishing is refused while
it finds anything.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.messages import MESSAGES, call_message_texts
from intake.models import FaqEntry, Question, QuestionKind, Section
from portal import markup, roles
from reviews.models import CallEvaluator, Criterion, ReviewSettings
from reviews.queries import LETTER_KEY_MARKS

from .dates import date_warnings

TEXTS = {
    "title": gettext_lazy("title"),
    "summary": gettext_lazy("summary"),
    "description": gettext_lazy("description"),
    "eligibility": gettext_lazy("eligibility"),
    "how_to_apply": gettext_lazy("how to apply"),
}
LETTER_TEXTS = {
    "signatory_role": gettext_lazy("signatory's role"),
    "associated_role": gettext_lazy("associated city's part"),
    "funding_statement": gettext_lazy("funding statement"),
    "funding_disclaimer": gettext_lazy("funding disclaimer"),
}
LANGUAGES = {"en": gettext_lazy("English"), "fr": gettext_lazy("French")}


@dataclass(frozen=True)
class Problem:
    area: str  # which page of the builder: "texts", "basics", "form", ...
    message: str
    url: str


def holds_commitment_letter(question):
    """A required file question whose key names the letter (what the screening reads)."""
    return (
        question.kind == QuestionKind.FILE
        and question.required
        and any(mark in question.key for mark in LETTER_KEY_MARKS)
    )


class _Collector:
    def __init__(self, call):
        self.call = call
        self.problems = []

    def url(self, name, *args, anchor=""):
        url = reverse(f"builder:{name}", args=[self.call.slug, *args])
        return f"{url}#{anchor}" if anchor else url

    def add(self, area, message, url):
        self.problems.append(Problem(area, str(message), url))

    def both_languages(self, area, obj, name, label, url_name, *args, required=True):
        """Each language of ``obj.<name>`` written (or neither, when not ``required``)."""
        en, fr = getattr(obj, f"{name}_en", ""), getattr(obj, f"{name}_fr", "")
        if not required and not en and not fr:
            return
        for code, value in (("en", en), ("fr", fr)):
            if not (value or "").strip():
                self.add(
                    area,
                    _("%(what)s: write it in %(language)s.") % {"what": label, "language": LANGUAGES[code]},
                    self.url(url_name, *args, anchor=f"id_{name}_{code}"),
                )

    def markup(self, area, obj, names, label, url_name, *args, placeholders=None):
        for name in names:
            for problem in markup.problems(getattr(obj, name, ""), placeholders=placeholders):
                self.add(area, f"{label}: {problem}", self.url(url_name, *args, anchor=f"id_{name}"))


def publish_problems(call, moment=None):
    """Every problem that keeps ``call`` from being published; empty when it is ready."""
    check = _Collector(call)
    _texts(check, call)
    _basics(check, call, moment or timezone.now())
    _form(check, call)
    _faq(check, call)
    review_settings = ReviewSettings.objects.for_call(call)
    _evaluation(check, call, review_settings)
    _rules(check, call, review_settings)
    _messages(check, call)
    _letters(check, call)
    _team(check, call, review_settings)
    return check.problems


def _texts(check, call):
    for name, label in TEXTS.items():
        check.both_languages("texts", call, name, label.capitalize(), "texts")
    names = [
        f"{name}_{code}"
        for name in ("summary", "description", "eligibility", "how_to_apply")
        for code in ["en", "fr"]
    ]
    check.markup("texts", call, names, _("Texts"), "texts")


def _basics(check, call, moment):
    if call.closes_at <= moment:
        check.add(
            "basics",
            _("The closing date is in the past: move it to a date to come."),
            check.url("basics", anchor="id_closes_at"),
        )
    review_deadline = ReviewSettings.objects.for_call(call).review_deadline
    for field, message in date_warnings(call, review_deadline):
        check.add("basics", message, check.url("basics", anchor=f"id_{field}"))


def _form(check, call):
    sections = list(
        Section.objects.filter(call=call)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    if not sections:
        check.add("form", _("The form has no step yet: add one, with its questions."), check.url("form"))
    questions = []
    for section in sections:
        label = _("Step “%(title)s”") % {"title": section.title_en}
        check.both_languages("form", section, "title", label, "section_edit", section.pk)
        check.both_languages("form", section, "intro", label, "section_edit", section.pk, required=False)
        check.markup("form", section, ("intro_en", "intro_fr"), label, "section_edit", section.pk)
        section_questions = list(section.questions.all())
        if not section_questions:
            check.add(
                "form",
                _("%(step)s has no question: add one or remove the step.") % {"step": label},
                check.url("form", anchor=f"section-{section.pk}"),
            )
        questions += section_questions
    for question in questions:
        label = _("Question “%(label)s”") % {"label": question.label_en}
        check.both_languages("form", question, "label", label, "question_edit", question.pk)
        check.both_languages("form", question, "help", label, "question_edit", question.pk, required=False)
        check.markup("form", question, ("help_en", "help_fr"), label, "question_edit", question.pk)
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            url = check.url("question_edit", question.pk, anchor="choices")
            if len(question.choices) < 2:
                check.add("form", _("%(question)s: give at least two choices.") % {"question": label}, url)
            elif any(not choice.get("label_fr") for choice in question.choices):
                check.add(
                    "form", _("%(question)s: give every choice a French label.") % {"question": label}, url
                )
    if call.requires_commitment_letter and not any(holds_commitment_letter(q) for q in questions):
        check.add(
            "form",
            _(
                "The call requires a signed letter of commitment, but no required file question holds it: "
                "add one whose key contains “commitment” or “letter” (for example commitment_letter), "
                "or say in the selection rules that no letter is required."
            ),
            check.url("form"),
        )


def _faq(check, call):
    for entry in FaqEntry.objects.filter(call=call).order_by("order", "pk"):
        label = _("FAQ “%(question)s”") % {"question": entry.question_en}
        check.both_languages("faq", entry, "question", label, "faq_edit", entry.pk)
        check.both_languages("faq", entry, "answer", label, "faq_edit", entry.pk)
        check.markup("faq", entry, ("answer_en", "answer_fr"), label, "faq_edit", entry.pk)


def _evaluation(check, call, review_settings):
    criteria = list(Criterion.objects.filter(call=call).order_by("order", "pk"))
    if not criteria:
        check.add("evaluation", _("Add the criteria the evaluators score."), check.url("criterion_add"))
        return
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    if total != 100:
        check.add(
            "evaluation",
            _("The criteria's weights add up to %(total)s; they must add up to 100.")
            % {"total": f"{total.normalize():f}"},
            check.url("evaluation", anchor="weights"),
        )
    for criterion in criteria:
        label = _("Criterion “%(name)s”") % {"name": criterion.name_en}
        check.both_languages("evaluation", criterion, "name", label, "criterion_edit", criterion.pk)
        check.both_languages(
            "evaluation", criterion, "guidance", label, "criterion_edit", criterion.pk, required=False
        )
        if criterion.threshold is not None and criterion.threshold > review_settings.scale_max:
            check.add(
                "evaluation",
                _("%(criterion)s: its threshold is above the highest score.") % {"criterion": label},
                check.url("criterion_edit", criterion.pk, anchor="id_threshold"),
            )


def _rules(check, call, review_settings):
    url = check.url("selection")
    countries = len(call.eligible_countries or [])
    if not countries:
        check.add("selection", _("Choose the eligible countries."), url + "#eligible-countries")
    if not call.eligible_kinds:
        check.add("selection", _("Choose the eligible types of organisation."), url + "#eligible-kinds")
    if countries and call.max_per_country * countries < call.places:
        check.add(
            "selection",
            _(
                "With at most %(limit)s per country and %(countries)s eligible countries, "
                "only %(most)s of the %(places)s places can be filled."
            )
            % {
                "limit": call.max_per_country,
                "countries": countries,
                "most": call.max_per_country * countries,
                "places": call.places,
            },
            url + "#id_max_per_country",
        )
    minimum = review_settings.min_distinct_countries
    if minimum and (minimum > call.places or (countries and minimum > countries)):
        check.add(
            "selection",
            _("The minimum number of countries cannot be reached with these places and countries."),
            url + "#id_min_distinct_countries",
        )


def _messages(check, call):
    for kind, text in sorted(call_message_texts(call).items()):
        message = MESSAGES.get(kind)
        if message is None:
            continue
        label = _("Message “%(name)s”") % {"name": message.label}
        check.both_languages("messages", text, "text", label, "message_edit", kind, required=False)
        check.markup(
            "messages", text, ("text_en", "text_fr"), label, "message_edit", kind, placeholders=message.values
        )


def _letters(check, call):
    url = check.url("letters")
    if not call.project_name.strip():
        check.add("letters", _("Name the project as the letters give it."), url + "#id_project_name")
    if not call.signatory_name.strip():
        check.add("letters", _("Name the person who signs the letters."), url + "#id_signatory_name")
    for name, label in LETTER_TEXTS.items():
        check.both_languages("letters", call, name, label.capitalize(), "letters")


def _team(check, call, review_settings):
    url = check.url("team")
    if not call.coordinators.exists() and not call.project.coordinators.exists():
        check.add("team", _("The call has no coordinator."), url)
    invited = call.staff_invitations.pending().filter(role=roles.EVALUATOR).count()
    evaluators = CallEvaluator.objects.active().filter(call=call).count()
    if not evaluators + invited:
        check.add("team", _("The call has no evaluator: invite them."), url + "#invite")
    elif evaluators + invited < review_settings.evaluators_per_application:
        check.add(
            "team",
            _(
                "Each application is reviewed by %(wanted)s evaluators, but the call has %(count)s "
                "(invitations included)."
            )
            % {"wanted": review_settings.evaluators_per_application, "count": evaluators + invited},
            url + "#invite",
        )
