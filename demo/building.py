"""The demo's calls built as a coordinator builds one: through the call builder's services.

Each function adds only what is missing, so seeding again changes nothing.
"""

from builder import services as builder
from builder.services.calls import LETTER_FIELDS, TEXT_FIELDS
from intake.models import Call, FaqEntry, Question, Section


def ensure_demo_call(*, by, project, slug, prefix, texts, opens_at, closes_at):
    """The call ``slug``, created unpublished with its texts and letters' texts when missing.

    Returns ``(call, created)``.
    """
    call = Call.objects.filter(slug=slug).first()
    if call is not None:
        return call, False
    call = builder.create_call(
        by=by,
        project=project,
        title_en=texts["title_en"],
        title_fr=texts.get("title_fr", ""),
        slug=slug,
        reference_prefix=prefix,
        timezone="Europe/Brussels",
        opens_at=opens_at,
        closes_at=closes_at,
    )
    builder.change_call_texts(call, by=by, changes={k: v for k, v in texts.items() if k in TEXT_FIELDS})
    builder.change_letter_texts(call, by=by, changes={k: v for k, v in texts.items() if k in LETTER_FIELDS})
    return call, True


def ensure_form(call, *, by, sections):
    """The demo form's steps (by their order) and questions (by their key), added when missing."""
    existing = {section.order: section for section in Section.objects.filter(call=call)}
    keys = set(Question.objects.filter(section__call=call).values_list("key", flat=True))
    for order, ((title_en, title_fr), (intro_en, intro_fr), questions) in enumerate(sections, start=1):
        section = existing.get(order)
        if section is None:
            section = builder.add_section(
                call, by=by, title_en=title_en, title_fr=title_fr, intro_en=intro_en, intro_fr=intro_fr
            )
        for q in questions:
            if q.key in keys:
                continue
            builder.add_question(
                section,
                by=by,
                key=q.key,
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
            keys.add(q.key)


def ensure_faq(call, *, by, entries):
    """The demo FAQ's entries (by their English question), added when missing."""
    asked = set(FaqEntry.objects.filter(call=call).values_list("question_en", flat=True))
    for question_en, question_fr, answer_en, answer_fr in entries:
        if question_en not in asked:
            builder.add_faq_entry(
                call,
                by=by,
                question_en=question_en,
                question_fr=question_fr,
                answer_en=answer_en,
                answer_fr=answer_fr,
            )


def ensure_published(call, *, by):
    """Publish the call through the builder's check (which the demo call passes)."""
    if not call.is_published:
        builder.publish_call(call, by=by)
    return call
