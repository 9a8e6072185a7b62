"""A call as a whole: created or copied, its texts, dates, rules and letters changed,
published and unpublished. One function per change, each checked, atomic and audited."""

import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from intake.models import (
    Application,
    Call,
    CallMessageText,
    FaqEntry,
    OrganisationKind,
    Project,
    Question,
    Section,
    Status,
)
from intake.rules import forget_coordination
from portal import roles
from portal.audit import record
from reviews.models import CallEvaluator, Criterion, ReviewSettings
from reviews.services import add_call_evaluator, change_review_settings

from ..checks import publish_problems
from .common import (
    BuildRefused,
    apply_changes,
    check_markup,
    cleaned_text,
    full_clean,
    record_change,
    refuse_when_final,
)

TEXT_FIELDS = (
    "title_en",
    "title_fr",
    "summary_en",
    "summary_fr",
    "description_en",
    "description_fr",
    "eligibility_en",
    "eligibility_fr",
    "how_to_apply_en",
    "how_to_apply_fr",
)
MARKUP_TEXT_FIELDS = TEXT_FIELDS[2:]
IDENTITY_FIELDS = ("slug", "reference_prefix")
DATE_FIELDS = ("timezone", "opens_at", "closes_at", "reply_deadline")
BASIC_FIELDS = (*IDENTITY_FIELDS, *DATE_FIELDS)
RULE_FIELDS = (
    "places",
    "reserve_size",
    "max_per_country",
    "eligible_countries",
    "eligible_kinds",
    "requires_commitment_letter",
)
LETTER_FIELDS = (
    "project_name",
    "associated_role_en",
    "associated_role_fr",
    "signatory_name",
    "signatory_role_en",
    "signatory_role_fr",
    "funding_statement_en",
    "funding_statement_fr",
    "funding_disclaimer_en",
    "funding_disclaimer_fr",
)
# What a copy takes from the call it copies, besides the form, FAQ, criteria and texts.
COPIED_FIELDS = (
    *TEXT_FIELDS,
    *LETTER_FIELDS,
    *RULE_FIELDS,
    "timezone",
)
COPIED_REVIEW_SETTINGS = (
    "evaluators_per_application",
    "disagreement_limit",
    "criterion_disagreement",
    "overall_threshold",
    "review_visibility",
    "conflict_with_own_country",
    "min_distinct_countries",
    "consortium_members",
    "grey_zone_low",
    "grey_zone_high",
    "scale_max",
    "scale_step",
)
PREFIX = re.compile(r"[A-Z0-9]{1,12}")


# --- Who may start a call ------------------------------------------------------------------


def may_create_projects(user):
    """Members of the coordinator group (and administrators) may start a project."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or roles.has_role(user, roles.COORDINATOR)
    )


def projects_for_new_call(user):
    """The projects ``user`` may add a call to: those they coordinate and, for members of the
    coordinator group, the projects of the calls they coordinate."""
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    condition = Q(coordinators=user)
    if roles.has_role(user, roles.COORDINATOR):
        condition |= Q(calls__coordinators=user)
    return Project.objects.filter(condition).distinct()


def may_create_calls(user):
    return may_create_projects(user) or projects_for_new_call(user).exists()


# --- Checks shared by creating, copying and changing -------------------------------------


def _check_identity(slug, prefix, *, exclude=None):
    errors = {}
    if not slug or slugify(slug) != slug:
        errors["slug"] = _("Use lower-case letters, digits and hyphens, e.g. trainers-academy-2027.")
    elif Call.objects.filter(slug=slug).exclude(pk=exclude).exists():
        errors["slug"] = _("Another call already has this web address.")
    if not PREFIX.fullmatch(prefix or ""):
        errors["reference_prefix"] = _("Use up to 12 capital letters and digits, e.g. TA27.")
    elif Call.objects.filter(reference_prefix__iexact=prefix).exclude(pk=exclude).exists():
        errors["reference_prefix"] = _("Another call already numbers its applications with this prefix.")
    if errors:
        raise BuildRefused(next(iter(errors.values())), errors)


def normalised_prefix(prefix):
    return cleaned_text(prefix or "").upper()


# --- Creating and copying -----------------------------------------------------------------


def create_project(*, by, acronym, title_en, title_fr="", slug=""):
    """A new project, coordinated by the person who starts it."""
    if not may_create_projects(by):
        raise BuildRefused(_("Only members of the coordinator group may start a project."))
    acronym = cleaned_text(acronym)
    title_en = cleaned_text(title_en)
    slug = slug or slugify(acronym)[:80]
    errors = {}
    if not acronym:
        errors["project_acronym"] = _("Give the project a short name.")
    if not title_en:
        errors["project_title_en"] = _("Give the project a title in English.")
    if not slug or Project.objects.filter(slug=slug).exists():
        errors["project_acronym"] = _("Another project already has this short name.")
    if errors:
        raise BuildRefused(next(iter(errors.values())), errors)
    with transaction.atomic():
        project = Project.objects.create(
            slug=slug, acronym=acronym, title_en=title_en, title_fr=cleaned_text(title_fr)
        )
        project.coordinators.add(by)
        forget_coordination(by)
        record(by, "project.created", project, after={"acronym": acronym, "title_en": title_en})
    return project


def create_call(*, by, project, title_en, slug, reference_prefix, opens_at, closes_at, **fields):
    """A new, unpublished call of ``project``; its creator coordinates it.

    ``fields`` may add the French title and the time zone. Everything else starts from
    the portal's defaults (11 places, the ISF-Police countries, the EU funding texts).
    """
    if not projects_for_new_call(by).filter(pk=project.pk).exists():
        raise BuildRefused(_("Choose a project you coordinate."), {"project": _("Not one of your projects.")})
    prefix = normalised_prefix(reference_prefix)
    _check_identity(slug, prefix)
    call = Call(
        project=project,
        slug=slug,
        reference_prefix=prefix,
        title_en=cleaned_text(title_en),
        title_fr=cleaned_text(fields.get("title_fr", "")),
        timezone=fields.get("timezone") or "Europe/Brussels",
        opens_at=opens_at,
        closes_at=closes_at,
        is_published=False,
    )
    if not call.title_en:
        raise BuildRefused(_("Give the call a title in English."), {"title_en": _("Required.")})
    full_clean(call, exclude=["coordinators"])
    with transaction.atomic():
        call.save()
        call.coordinators.add(by)
        ReviewSettings.objects.ensure(call)
        forget_coordination(by)
        record(
            by,
            "call.created",
            call,
            after={"project": project.acronym, "slug": slug, "reference_prefix": prefix},
            call_id=call.pk,
        )
    return call


def copy_call(
    source, *, by, slug, reference_prefix, opens_at, closes_at, title_en="", title_fr="", evaluators=False
):
    """A new, unpublished call made from ``source``: its texts, form, FAQ, criteria, rules,
    evaluation settings, message texts and (when asked) its evaluators; never its
    applications, reviews or decisions. The deadlines after the closing date keep their
    distance to it."""
    if not by.has_perm("intake.coordinate_call", source):
        raise BuildRefused(_("You can copy only a call you coordinate."))
    prefix = normalised_prefix(reference_prefix)
    _check_identity(slug, prefix)
    shift = closes_at - source.closes_at
    call = Call(project_id=source.project_id, slug=slug, reference_prefix=prefix, is_published=False)
    for name in COPIED_FIELDS:
        setattr(call, name, getattr(source, name))
    call.title_en = cleaned_text(title_en) or source.title_en
    call.title_fr = cleaned_text(title_fr) or (source.title_fr if not title_en else "")
    call.opens_at, call.closes_at = opens_at, closes_at
    call.reply_deadline = source.reply_deadline + shift if source.reply_deadline else None
    full_clean(call, exclude=["coordinators"])
    with transaction.atomic():
        call.save()
        call.coordinators.add(by)
        forget_coordination(by)
        counts = _copy_content(source, call)
        source_settings = ReviewSettings.objects.for_call(source)
        review_settings = ReviewSettings(call=call)
        for name in COPIED_REVIEW_SETTINGS:
            setattr(review_settings, name, getattr(source_settings, name))
        if source_settings.review_deadline:
            review_settings.review_deadline = source_settings.review_deadline + shift
        review_settings.save()
        ReviewSettings.objects.remember(call, review_settings)
        counts["evaluators"] = 0
        if evaluators:
            for evaluator in CallEvaluator.objects.active().filter(call=source).select_related("user"):
                add_call_evaluator(
                    call,
                    evaluator.user,
                    by=by,
                    country=evaluator.country,
                    languages=evaluator.languages,
                    max_load=evaluator.max_load,
                )
                counts["evaluators"] += 1
        record(
            by,
            "call.copied",
            call,
            after={"from": source.slug, "slug": slug, "reference_prefix": prefix, **counts},
            call_id=call.pk,
        )
    return call


def _copy_content(source, call):
    sections = list(Section.objects.filter(call=source).prefetch_related("questions").order_by("order", "pk"))
    copies = Section.objects.bulk_create(
        Section(
            call=call,
            order=number,
            title_en=s.title_en,
            title_fr=s.title_fr,
            intro_en=s.intro_en,
            intro_fr=s.intro_fr,
        )
        for number, s in enumerate(sections, start=1)
    )
    questions = []
    for section, copy in zip(sections, copies, strict=True):
        for number, q in enumerate(sorted(section.questions.all(), key=lambda q: (q.order, q.pk)), start=1):
            questions.append(
                Question(
                    section=copy,
                    key=q.key,
                    order=number,
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
                    min_date=q.min_date,
                    max_date=q.max_date,
                    file_types=q.file_types,
                    personal_data=q.personal_data,
                )
            )
    Question.objects.bulk_create(questions)
    faq = FaqEntry.objects.bulk_create(
        FaqEntry(
            call=call,
            order=number,
            question_en=e.question_en,
            question_fr=e.question_fr,
            answer_en=e.answer_en,
            answer_fr=e.answer_fr,
        )
        for number, e in enumerate(FaqEntry.objects.filter(call=source).order_by("order", "pk"), start=1)
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(
            call=call,
            order=number,
            name_en=c.name_en,
            name_fr=c.name_fr,
            guidance_en=c.guidance_en,
            guidance_fr=c.guidance_fr,
            weight=c.weight,
            threshold=c.threshold,
            tie_break_priority=c.tie_break_priority,
        )
        for number, c in enumerate(Criterion.objects.filter(call=source).order_by("order", "pk"), start=1)
    )
    CallMessageText.objects.bulk_create(
        CallMessageText(call=call, kind=t.kind, text_en=t.text_en, text_fr=t.text_fr)
        for t in CallMessageText.objects.filter(call=source)
    )
    return {"sections": len(copies), "questions": len(questions), "faq": len(faq), "criteria": len(criteria)}


# --- Changing ------------------------------------------------------------------------------


def _locked(call):
    return Call.objects.select_for_update().get(pk=call.pk)


def _save(call, locked, before, after, changed, *, by, note=""):
    """Save the changed fields, audit them and bring the caller's object up to date."""
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        record_change(by, "call.changed", locked, before, after, changed, call_id=call.pk, note=note)
        for name in changed:
            setattr(call, name, getattr(locked, name))
    return call


def change_call_texts(call, *, by, changes):
    """The call's public texts in English and French."""
    check_markup(MARKUP_TEXT_FIELDS, changes)
    with transaction.atomic():
        locked = _locked(call)
        before, after, changed = apply_changes(locked, TEXT_FIELDS, changes)
        if not locked.title_en:
            raise BuildRefused(_("Give the call a title in English."), {"title_en": _("Required.")})
        full_clean(locked, exclude=["coordinators"])
        return _save(call, locked, before, after, changed, by=by)


def change_call_basics(call, *, by, changes):
    """Its web address, reference prefix, time zone and dates (the review deadline is the
    evaluation's: it goes to its settings)."""
    changes = dict(changes)
    if "reference_prefix" in changes:
        changes["reference_prefix"] = normalised_prefix(changes["reference_prefix"])
    with transaction.atomic():
        locked = _locked(call)
        before, after, changed = apply_changes(locked, BASIC_FIELDS, changes)
        if "slug" in changed and locked.is_published:
            raise BuildRefused(
                _("A published call keeps its web address: links to it have been shared."),
                {"slug": _("Cannot change once published.")},
            )
        if "reference_prefix" in changed and Application.objects.filter(call=call).submitted().exists():
            raise BuildRefused(
                _("Applications already carry references with this prefix."),
                {"reference_prefix": _("Cannot change once applications are submitted.")},
            )
        if set(changed) & set(IDENTITY_FIELDS):
            _check_identity(locked.slug, locked.reference_prefix, exclude=locked.pk)
        full_clean(locked, exclude=["coordinators"])
        _save(call, locked, before, after, changed, by=by)
        if "review_deadline" in changes:
            current = ReviewSettings.objects.for_call(call).review_deadline
            if current != changes["review_deadline"]:
                refuse_when_final(call)
                change_review_settings(call, by=by, changes={"review_deadline": changes["review_deadline"]})
    return call


def change_selection_rules(call, *, by, changes):
    """Places, the reserve list, the limits per country, who is eligible; the minimum
    number of countries is the evaluation's setting."""
    refuse_when_final(call)
    changes = dict(changes)
    errors = {}
    if "eligible_countries" in changes:
        codes = [str(code).upper() for code in changes["eligible_countries"] or []]
        unknown = [code for code in codes if code not in dict(countries)]
        if unknown:
            errors["eligible_countries"] = _("Unknown country codes: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
        changes["eligible_countries"] = sorted(set(codes))
        if not codes:
            errors["eligible_countries"] = _("Tick at least one eligible country.")
    if "eligible_kinds" in changes:
        kinds = list(dict.fromkeys(changes["eligible_kinds"] or []))
        if any(kind not in OrganisationKind.values for kind in kinds):
            errors["eligible_kinds"] = _("Choose among the portal's types of organisation.")
        changes["eligible_kinds"] = [kind for kind in OrganisationKind.values if kind in kinds]
        if not kinds:
            errors["eligible_kinds"] = _("Tick at least one type of organisation.")
    for name, lowest in (("places", 1), ("reserve_size", 0), ("max_per_country", 1)):
        if name in changes and (changes[name] is None or changes[name] < lowest):
            errors[name] = _("At least %(lowest)s.") % {"lowest": lowest}
    minimum = changes.get("min_distinct_countries")
    if minimum is not None and minimum < 1:
        errors["min_distinct_countries"] = _("At least 1, or leave it empty.")
    if errors:
        raise BuildRefused(next(iter(errors.values())), errors)
    with transaction.atomic():
        locked = _locked(call)
        before, after, changed = apply_changes(locked, RULE_FIELDS, changes)
        full_clean(locked, exclude=["coordinators"])
        _save(call, locked, before, after, changed, by=by)
        current = ReviewSettings.objects.for_call(call).min_distinct_countries
        if "min_distinct_countries" in changes and current != minimum:
            change_review_settings(call, by=by, changes={"min_distinct_countries": minimum})
    return call


def change_letter_texts(call, *, by, changes):
    """What the decision letters say on the call's behalf: project, the associated city's
    part, the signatory, the funding statement and disclaimer."""
    with transaction.atomic():
        locked = _locked(call)
        before, after, changed = apply_changes(locked, LETTER_FIELDS, changes)
        full_clean(locked, exclude=["coordinators"])
        return _save(call, locked, before, after, changed, by=by)


# --- Publishing ------------------------------------------------------------------------------


def publish_call(call, *, by):
    """Publish the call once the check finds nothing to fix; its public page appears at once."""
    with transaction.atomic():
        locked = _locked(call)
        if locked.is_published:
            return call
        problems = publish_problems(locked)
        if problems:
            raise BuildRefused(
                _("The call cannot be published yet: %(count)s things to fix.") % {"count": len(problems)},
                problems=problems,
            )
        locked.is_published = True
        locked.save(update_fields=["is_published", "updated_at"])
        record(
            by,
            "call.published",
            locked,
            before={"is_published": False},
            after={"is_published": True},
            call_id=call.pk,
        )
        call.is_published = True
    return call


def unpublish_call(call, *, by):
    """Take a call off the public pages, while nobody has started an application to it."""
    with transaction.atomic():
        locked = _locked(call)
        if not locked.is_published:
            return call
        if Application.objects.filter(call=call).exclude(status=Status.WITHDRAWN).exists():
            raise BuildRefused(
                _(
                    "Applicants have started applications to this call, so it stays published. "
                    "To stop new applications, move its closing date."
                )
            )
        locked.is_published = False
        locked.save(update_fields=["is_published", "updated_at"])
        record(
            by,
            "call.unpublished",
            locked,
            before={"is_published": True},
            after={"is_published": False},
            call_id=call.pk,
        )
        call.is_published = False
    return call


def suggested_slug(title):
    return slugify(title)[:60].strip("-")


def closes_in_the_past(call, moment=None):
    return call.closes_at <= (moment or timezone.now())
