"""The call builder: each of its pages, the live preview and the check before publishing.

Two sizes, whatever ``--sizes`` says (they count applications, which the builder does not
read): a call of 2 steps × 3 questions among 5 calls, and one of 12 steps × 10 questions
among 40 calls. Target on the 2-core reference machine: under 80 ms median for each page
and for the check, with the same number of queries at both sizes.
"""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from builder import checks, services
from intake.models import Call, MessageKind, QuestionKind
from portal import roles
from portal.models import User
from reviews.services import add_call_evaluator

from .measure import bench_project, expect_status, row, staff_client, timed

TARGET_MS = 80
SIZES = [(2, 3, 5), (12, 10, 40)]  # steps, questions per step, calls in the database
KINDS = [
    QuestionKind.SHORT_TEXT,
    QuestionKind.LONG_TEXT,
    QuestionKind.NUMBER,
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.DATE,
    QuestionKind.EMAIL,
    QuestionKind.PHONE,
    QuestionKind.YES_NO,
    QuestionKind.FILE,
]
PAGES = [
    "overview",
    "texts",
    "basics",
    "form",
    "faq",
    "evaluation",
    "selection",
    "messages",
    "letters",
    "team",
    "publish",
]


def officer():
    roles.ensure_groups()
    user, _created = User.objects.get_or_create(
        email="bench.builder@bench.example", defaults={"full_name": "Bench"}
    )
    roles.grant(user, roles.COORDINATOR)
    bench_project().coordinators.add(user)
    return user


def new_call(by, slug, prefix):
    now = timezone.now()
    return services.create_call(
        by=by,
        project=bench_project(),
        title_en=f"Benchmark call {slug}",
        title_fr=f"Appel de test {slug}",
        slug=slug,
        reference_prefix=prefix,
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=40),
    )


def question_fields(kind, number):
    fields = {"kind": kind, "label_en": f"Question {number}", "label_fr": f"Question {number} (fr)"}
    fields["help_en"] = "Answer *briefly*; see [the guide](https://efus.eu)."
    fields["help_fr"] = "Répondez *brièvement* ; voir [le guide](https://efus.eu)."
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        fields["choices"] = [{"label_en": f"Choice {n}", "label_fr": f"Choix {n}"} for n in range(1, 6)]
    if kind == QuestionKind.FILE:
        fields["key"] = f"commitment_letter_{number}"  # the screening reads it as the letter
        fields["file_types"] = ["pdf"]
    return fields


def build(by, steps, questions, calls):
    """The measured call, complete and ready to publish, and ``calls - 1`` others beside it."""
    tag = f"{steps}x{questions}"
    call = new_call(by, f"bench-builder-{tag}", f"BB{steps}{questions}")
    services.change_call_texts(
        call,
        by=by,
        changes={
            name: f"Benchmark text for {name}.\n\n- one point\n- another point"
            for name in (
                "summary_en",
                "summary_fr",
                "description_en",
                "description_fr",
                "eligibility_en",
                "eligibility_fr",
                "how_to_apply_en",
                "how_to_apply_fr",
            )
        },
    )
    number = 0
    for step in range(steps):
        section = services.add_section(call, by=by, title_en=f"Step {step}", title_fr=f"Étape {step}")
        for _index in range(questions):
            number += 1
            last = number == steps * questions  # the letter of commitment ends the form
            kind = QuestionKind.FILE if last else KINDS[number % len(KINDS)]
            services.add_question(section, by=by, **question_fields(kind, number))
    for position, weight in enumerate((25, 20, 20, 20, 15), start=1):
        services.add_criterion(
            call,
            by=by,
            name_en=f"Criterion {position}",
            name_fr=f"Critère {position}",
            weight=Decimal(weight),
        )
    for entry in range(8):
        services.add_faq_entry(
            call,
            by=by,
            question_en=f"Question {entry}?",
            question_fr=f"Question {entry} ?",
            answer_en="Yes.",
            answer_fr="Oui.",
        )
    for kind in (
        MessageKind.SUBMISSION_CONFIRMATION,
        MessageKind.DECISION_SELECTED,
        MessageKind.LETTER_SELECTED,
    ):
        services.change_message_text(call, kind, by=by, text_en="Dear {city},", text_fr="Chère {city},")
    services.change_letter_texts(
        call,
        by=by,
        changes={
            "project_name": "BENCH",
            "signatory_name": "Bench Signatory",
            "signatory_role_en": "Director",
            "signatory_role_fr": "Directrice",
            "associated_role_en": "the sessions",
            "associated_role_fr": "les sessions",
        },
    )
    for index in range(3):
        expert, _created = User.objects.get_or_create(email=f"bench.expert.{tag}.{index}@bench.example")
        add_call_evaluator(call, expert, by=by)
    for other in range(calls - 1):
        new_call(by, f"bench-builder-{tag}-other-{other}", f"B{steps}{questions}O{other}")
    return call


def run(*, database, sizes, repeat):
    by = officer()
    client = staff_client(by)
    rows = []
    for steps, questions, calls in SIZES:
        call = build(by, steps, questions, calls)
        assert not checks.publish_problems(call), checks.publish_problems(call)
        rows += measure(client, call, database=database, size=steps * questions, repeat=repeat)
    return rows


def measure(client, call, *, database, size, repeat):
    results = []

    def add(scenario, measured):
        median, p90, queries = measured
        results.append(
            row(
                scenario,
                database=database,
                rows=size,
                median_ms=median,
                p90_ms=p90,
                queries=queries,
                target_ms=TARGET_MS,
            )
        )

    ok = expect_status(200)
    add("builder: my calls", timed(lambda: client.get(reverse("builder:home")), repeat=repeat, check=ok))
    for name in PAGES:
        url = reverse(f"builder:{name}", args=[call.slug])
        add(f"builder: {name}", timed(lambda url=url: client.get(url), repeat=repeat, check=ok))
    question = call.sections.order_by("order").first().questions.order_by("order").first()
    url = reverse("builder:question_edit", args=[call.slug, question.pk])
    add("builder: question", timed(lambda: client.get(url), repeat=repeat, check=ok))
    url = reverse("builder:message_edit", args=[call.slug, MessageKind.DECISION_SELECTED])
    add("builder: message text", timed(lambda: client.get(url), repeat=repeat, check=ok))
    preview = reverse("builder:texts_preview", args=[call.slug])
    typed = {"title_en": call.title_en, "description_fr": "Texte *en cours* de saisie.", "language": "fr"}
    add(
        "builder: live preview",
        timed(lambda: client.post(preview, typed, headers={"HX-Request": "true"}), repeat=repeat, check=ok),
    )

    def check():
        fresh = Call.objects.select_related("project").get(pk=call.pk)
        return checks.publish_problems(fresh)

    add("builder: publish check", timed(check, repeat=repeat))
    return results
