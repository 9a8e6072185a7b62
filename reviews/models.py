"""Evaluation and selection: criteria, screening, conflicts, assignments, reviews, decisions."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import Application, Call, Organisation
from portal.translation import Localized, LocalizedMixin

from .reasons import reasons_in

# --------------------------------------------------------------------------------------
# Settings of a call's evaluation
# --------------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("After the evaluator's own review is submitted")
    ALWAYS = "always", _("Always")


class ReviewSettingsQuerySet(models.QuerySet):
    def for_call(self, call):
        """The call's settings; the defaults (unsaved) while nobody has changed them.

        Given a call object, they are read once and kept on it: a request reads them once,
        however many pages, forms and services ask. The services that change them put the
        new settings back on the object (``remember``).
        """
        if not isinstance(call, Call):
            return self.filter(call_id=call).first() or self.model(call_id=call)
        cached = call.__dict__.get("_review_settings")
        if cached is None:
            cached = self.filter(call_id=call.pk).first() or self.model(call_id=call.pk)
            self.remember(call, cached)
        return cached

    @staticmethod
    def remember(call, review_settings):
        if isinstance(call, Call):
            call.__dict__["_review_settings"] = review_settings

    def ensure(self, call):
        """The call's settings, saved with the defaults the first time they are needed."""
        return self.get_or_create(call_id=getattr(call, "pk", call))[0]


class ReviewSettings(models.Model):
    """How a call's applications are reviewed and selected (one row per call, made on demand)."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="review_settings", verbose_name=_("call")
    )
    evaluators_per_application = models.PositiveSmallIntegerField(
        _("evaluators per application"), default=3, validators=[MinValueValidator(1)]
    )
    disagreement_limit = models.DecimalField(
        _("disagreement limit (points out of 100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        help_text=_("An application is flagged when its reviews' totals differ by more than this."),
    )
    criterion_disagreement = models.DecimalField(
        _("criterion disagreement"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.0"),
        help_text=_("An application is flagged when a criterion's scores differ by this much or more."),
    )
    overall_threshold = models.DecimalField(
        _("overall threshold (out of 100)"), max_digits=5, decimal_places=2, default=Decimal(60)
    )
    review_visibility = models.CharField(
        _("other reviews visible to an evaluator"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.AFTER_OWN,
    )
    conflict_with_own_country = models.BooleanField(
        _("evaluators are conflicted with every city of their own country"), default=False
    )
    min_distinct_countries = models.PositiveSmallIntegerField(
        _("minimum number of distinct countries among the selected"), null=True, blank=True
    )
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    consortium_members = models.JSONField(
        _("consortium members"),
        default=list,
        blank=True,
        help_text=_("Names or ids of organisations that are partners of the project and so cannot apply."),
    )
    grey_zone_low = models.DecimalField(
        _("grey zone from (per cent of the draws)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(10),
        help_text=_(
            "A city selected in at least this share of the model's draws, and at most the next, is uncertain."
        ),
    )
    grey_zone_high = models.DecimalField(
        _("grey zone up to (per cent of the draws)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(90),
        help_text=_("Above this share of the draws a city's selection is taken as certain."),
    )
    scale_max = models.DecimalField(_("highest score"), max_digits=4, decimal_places=1, default=Decimal(5))
    scale_step = models.DecimalField(_("score step"), max_digits=3, decimal_places=1, default=Decimal("0.5"))
    finalised_at = models.DateTimeField(_("selection finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )

    objects = ReviewSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self):
        return f"Review settings of {self.call}"

    def clean(self):
        if self.scale_step is not None and self.scale_step <= 0:
            raise ValidationError({"scale_step": _("The step must be above zero.")})
        if self.scale_max is not None and self.scale_step and self.scale_max % self.scale_step:
            raise ValidationError({"scale_max": _("The highest score must be a multiple of the step.")})
        low, high = self.grey_zone_low, self.grey_zone_high
        if low is not None and high is not None and not 0 < low < high < 100:
            raise ValidationError(
                {
                    "grey_zone_high": _(
                        "The grey zone runs between two shares above 0 and below 100, the first lower."
                    )
                }
            )

    @property
    def is_finalised(self):
        return self.finalised_at is not None

    def score_choices(self):
        """Every allowed score, from 0 to the highest, in steps."""
        values, value = [], Decimal(0)
        while value <= self.scale_max:
            values.append(value)
            value += self.scale_step
        return values

    def is_consortium_member(self, organisation):
        names = {str(entry).strip().casefold() for entry in self.consortium_members or []}
        return organisation.name.strip().casefold() in names or str(organisation.pk) in names


# --------------------------------------------------------------------------------------
# Criteria
# --------------------------------------------------------------------------------------


class Criterion(LocalizedMixin, models.Model):
    """One weighted criterion of a call; scores run from 0 to the call's highest score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_fr = models.TextField(_("guidance (French)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Relative weight; totals are always out of 100 whatever the weights add up to."),
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Lowest acceptable score on the criterion's scale; a comment is required below it."),
    )
    tie_break_priority = models.PositiveSmallIntegerField(
        _("tie-break priority"),
        null=True,
        blank=True,
        help_text=_("1 breaks ties first; empty means the criterion is not used to break ties."),
    )

    name = Localized()
    guidance = Localized()

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name_en

    def clean(self):
        if self.threshold is not None and self.threshold < 0:
            raise ValidationError({"threshold": _("A threshold cannot be negative.")})


# --------------------------------------------------------------------------------------
# Eligibility
# --------------------------------------------------------------------------------------


class EligibilityScreening(models.Model):
    """The coordinator's check of one submitted application against the call's checklist.

    Each item is True (met), False (not met) or None (not answered); the ``*_from_data``
    twin keeps what the portal read from the application when the screening was opened.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Ineligible")

    CHECKS = (
        "eligible_country",
        "eligible_organisation_type",
        "letter_of_commitment",
        "submitted_on_time",
        "not_consortium_member",
    )

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="screening", verbose_name=_("application")
    )
    eligible_country = models.BooleanField(_("eligible country"), null=True, blank=True)
    eligible_organisation_type = models.BooleanField(_("eligible organisation type"), null=True, blank=True)
    letter_of_commitment = models.BooleanField(
        _("signed letter of commitment present"), null=True, blank=True
    )
    submitted_on_time = models.BooleanField(_("submitted on time"), null=True, blank=True)
    not_consortium_member = models.BooleanField(_("not a consortium member"), null=True, blank=True)
    prefilled = models.JSONField(_("what the data answered"), default=dict, blank=True)
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Sent to the applicant when ineligible."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility screening")
        verbose_name_plural = _("eligibility screenings")

    def __str__(self):
        return f"Screening of {self.application}"

    def checklist(self):
        return {name: getattr(self, name) for name in self.CHECKS}


# --------------------------------------------------------------------------------------
# Evaluators and conflicts of interest
# --------------------------------------------------------------------------------------


class CallEvaluatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_call_and_user(self):
        return self.select_related("call", "user")


class CallEvaluator(models.Model):
    """A person who evaluates a call's applications, with what assignment must respect."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="evaluators", verbose_name=_("call")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("user")
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code of their own country.")
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_('Languages they can review in, e.g. ["en", "fr"]; empty means any.'),
    )
    max_load = models.PositiveIntegerField(_("maximum applications"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    objects = CallEvaluatorQuerySet.as_manager()

    class Meta:
        ordering = ["call", "user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="one_evaluator_record_per_call")]
        verbose_name = _("evaluator of a call")
        verbose_name_plural = _("evaluators of a call")

    def __str__(self):
        return f"{self.user} ({self.call.slug})"


class ConflictScope(models.TextChoices):
    APPLICATION = "application", _("An application")
    ORGANISATION = "organisation", _("An organisation")
    COUNTRY = "country", _("A country")


class ConflictDeclarationQuerySet(models.QuerySet):
    def covering(self, application):
        """Declarations that make their evaluator conflicted with ``application``."""
        return self.filter(call_id=application.call_id).filter(
            Q(scope=ConflictScope.APPLICATION, application_id=application.pk)
            | Q(scope=ConflictScope.ORGANISATION, organisation_id=application.organisation_id)
            | Q(scope=ConflictScope.COUNTRY, country=application.organisation.country)
        )


class ConflictDeclaration(models.Model):
    """An evaluator's declared conflict of interest with an application, organisation or country."""

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("evaluator"),
    )
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="conflict_declarations", verbose_name=_("call")
    )
    scope = models.CharField(_("conflict with"), max_length=16, choices=ConflictScope.choices)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_declarations",
        verbose_name=_("application"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_declarations",
        verbose_name=_("organisation"),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    objects = ConflictDeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["call", "evaluator"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="application", application__isnull=False)
                    | Q(scope="organisation", organisation__isnull=False)
                    | (Q(scope="country") & ~Q(country=""))
                ),
                name="conflict_declaration_has_target",
            )
        ]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self):
        return f"{self.evaluator}: {self.target}"

    @property
    def target(self):
        if self.scope == ConflictScope.APPLICATION:
            return self.application
        if self.scope == ConflictScope.ORGANISATION:
            return self.organisation
        return self.country


class NoConflictConfirmation(models.Model):
    """The evaluator's statement that they have no conflict with the application; opens it."""

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("evaluator")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="no_conflict_confirmations",
        verbose_name=_("application"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "application"], name="one_no_conflict_confirmation")
        ]
        verbose_name = _("no-conflict confirmation")
        verbose_name_plural = _("no-conflict confirmations")

    def __str__(self):
        return f"{self.evaluator} / {self.application}"


# --------------------------------------------------------------------------------------
# Assignments and reviews
# --------------------------------------------------------------------------------------


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Assigned")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Review submitted")


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        """Assignments that still count: not declined."""
        return self.exclude(status=AssignmentStatus.DECLINED)

    def for_call(self, call):
        return self.filter(application__call=call)

    def with_call(self):
        """Each with its application's call (whose coordinators may act on it)."""
        return self.select_related("application__call")

    def for_evaluator(self, user, call=None, *, to_do=False):
        """The evaluator's current assignments with what their list page shows, in one query.

        ``to_do``: only those whose review is not submitted yet.
        """
        qs = self.current().filter(evaluator=user)
        if call is not None:
            qs = qs.filter(application__call=call)
        if to_do:
            qs = qs.exclude(status=AssignmentStatus.DONE)
        return (
            qs.select_related("application__call__review_settings", "application__organisation", "review")
            .annotate(
                confirmed=Exists(
                    NoConflictConfirmation.objects.filter(
                        evaluator_id=OuterRef("evaluator_id"), application_id=OuterRef("application_id")
                    )
                )
            )
            .order_by("application__call__closes_at", "application__call_id", "application__reference", "id")
        )

    def loads(self, call):
        """``{evaluator_id: number of current assignments}`` for the call."""
        rows = self.current().for_call(call).values("evaluator_id").annotate(n=Count("id"))
        return {row["evaluator_id"]: row["n"] for row in rows}


class Assignment(models.Model):
    """An evaluator asked to review one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("application")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("evaluator"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    declined_reason = models.TextField(_("reason for declining"), blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    seed = models.BigIntegerField(_("seed of the automatic run"), null=True, blank=True)
    batch = models.CharField(
        _("batch"), max_length=32, blank=True, help_text=_("Assignments made together share a batch.")
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "evaluator"], name="one_assignment_per_evaluator")
        ]
        indexes = [models.Index(fields=["evaluator", "status"])]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.application} → {self.evaluator}"

    @property
    def is_active(self):
        return self.status != AssignmentStatus.DECLINED


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened")


class Recommendation(models.TextChoices):
    STRONGLY_RECOMMEND = "strongly_recommend", _("Strongly recommend")
    RECOMMEND = "recommend", _("Recommend")
    RESERVATIONS = "reservations", _("Recommend with reservations")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend")


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ReviewStatus.SUBMITTED)

    def for_call(self, call):
        return self.filter(application__call=call)

    def with_call(self):
        """Each with its application's call (whose coordinators may act on it)."""
        return self.select_related("application__call")


class Review(models.Model):
    """An evaluator's review of one application; submitting locks it until a coordinator reopens it."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    # Copies of the assignment's keys, so aggregation reads reviews without a join.
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("evaluator"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    overall_comment = models.TextField(_("overall comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=24, choices=Recommendation.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["application", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "evaluator"], name="one_review_per_evaluator")
        ]
        indexes = [models.Index(fields=["application", "status"])]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"Review of {self.application} by {self.evaluator}"

    def save(self, *args, **kwargs):
        if self.assignment_id and not self.application_id:
            self.application_id = self.assignment.application_id
            self.evaluator_id = self.assignment.evaluator_id
        super().save(*args, **kwargs)

    @property
    def is_submitted(self):
        return self.status == ReviewStatus.SUBMITTED

    @property
    def is_editable(self):
        return self.status != ReviewStatus.SUBMITTED


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ConsensusScore(models.Model):
    """A coordinator's agreed score for one criterion of an application; replaces the mean."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consensus_scores", verbose_name=_("application")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="consensus_scores", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    justification = models.TextField(_("justification"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="one_consensus_per_criterion")
        ]
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")

    def __str__(self):
        return f"{self.application} / {self.criterion}: {self.value}"


# --------------------------------------------------------------------------------------
# Selection and decisions
# --------------------------------------------------------------------------------------


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve list")
    NOT_SELECTED = "not_selected", _("Not selected")


class Response(models.TextChoices):
    PENDING = "pending", _("Awaiting the city's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SelectionOverride(models.Model):
    """A coordinator's departure from the proposed selection, with its written justification."""

    class Action(models.TextChoices):
        INCLUDE = "include", _("Select although not proposed")
        EXCLUDE = "exclude", _("Leave out although proposed")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="selection_overrides", verbose_name=_("call")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="selection_overrides",
        verbose_name=_("application"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    justification = models.TextField(_("justification"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["call", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "application"], name="one_override_per_application")
        ]
        verbose_name = _("selection override")
        verbose_name_plural = _("selection overrides")

    def __str__(self):
        return f"{self.get_action_display()}: {self.application}"


class Decision(models.Model):
    """The outcome of one application, what the applicant is told, and their answer."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision", verbose_name=_("application")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    final_score = models.DecimalField(_("final score"), max_digits=6, decimal_places=2, null=True, blank=True)
    reserve_position = models.PositiveSmallIntegerField(
        _("position on the reserve list"), null=True, blank=True
    )
    reasons = models.TextField(_("reasons given to the applicant"), blank=True)
    # The same reasons as facts (codes and values), so each reader gets them in their
    # language (reviews/plan.py: reason_facts, reasons_in).
    reason_facts = models.JSONField(_("reasons as facts"), default=list, blank=True)
    is_override = models.BooleanField(_("departs from the proposal"), default=False)
    override_justification = models.TextField(_("justification of the departure"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    response = models.CharField(
        _("response"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text=_("The reserve city's decision that took this place when it was declined."),
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["outcome", "rank", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def call_id(self):
        return self.application.call_id

    @property
    def letter_language(self):
        """The language of its letter: that of the person who submitted the application."""
        return getattr(self.application.submitted_by, "language", None) or "en"

    def reasons_in(self, language):
        """The reasons in ``language`` (a decision made before reasons were kept as facts
        keeps its text as written)."""
        if not self.reason_facts:
            return self.reasons
        criteria = {criterion.pk: criterion for criterion in Criterion.objects.filter(call_id=self.call_id)}
        return reasons_in(self.reason_facts, language, criteria)


# Referenced by migration 0001, from when decision letters had a table of their own.
def letter_upload_to(instance, filename):
    return f"letters/{instance.decision.application.call_id}/{secrets.token_hex(16)}.pdf"


def verification_code():
    return secrets.token_urlsafe(18)


# --------------------------------------------------------------------------------------
# How sure the selection is (reviews/uncertainty.py, reviews/robustness.py, reviews/lottery.py)
# --------------------------------------------------------------------------------------


class SelectionUncertainty(models.Model):
    """The stored result of the Bayesian model of a call's reviews, with what it was computed from.

    Pages read it instead of sampling again; ``fingerprint`` (of the reviews, the
    candidates and the rules) tells them whether it still matches the data.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="selection_uncertainty", verbose_name=_("call")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64, blank=True)
    seed = models.BigIntegerField(_("seed"))
    draws = models.PositiveIntegerField(_("posterior draws"))
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("selection uncertainty")
        verbose_name_plural = _("selection uncertainties")

    def __str__(self):
        return f"Selection uncertainty of {self.call}"

    @property
    def is_done(self):
        return self.state == self.State.DONE

    @property
    def is_pending(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class SelectionLottery(models.Model):
    """The lottery that decides the grey zone's remaining places, announced before it is drawn.

    The grey zone and the certain cities are frozen at the announcement, with the seed
    (a public lottery number the coordinator enters); drawing uses exactly these, so
    anyone can repeat it from the exported ranking and the seed (``manage.py replay_lottery``).
    """

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="selection_lottery", verbose_name=_("call")
    )
    seed = models.BigIntegerField(_("lottery number"))
    seed_source = models.CharField(
        _("where the number comes from"),
        max_length=200,
        help_text=_("For example the public draw it is taken from, with its date."),
    )
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    certain = models.JSONField(_("certain cities"), default=list)  # application references
    grey_zone = models.JSONField(_("grey zone"), default=list)  # application references
    places = models.PositiveSmallIntegerField(_("places of the call"))
    max_per_country = models.PositiveSmallIntegerField(_("at most per country"))
    min_distinct_countries = models.PositiveSmallIntegerField(_("at least countries"), default=0)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("announced by"),
    )
    announced_at = models.DateTimeField(_("announced at"), default=timezone.now)
    drawn = models.JSONField(_("drawn cities"), null=True, blank=True)  # application references
    completions = models.CharField(_("sets that keep the rules"), max_length=80, blank=True)
    draw_number = models.CharField(_("the set drawn, by number"), max_length=80, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("selection lottery")
        verbose_name_plural = _("selection lotteries")

    def __str__(self):
        return f"Lottery of {self.call} ({self.seed})"

    @property
    def is_drawn(self):
        return self.drawn is not None


# --------------------------------------------------------------------------------------
# The stored ranking (reviews/snapshot.py)
# --------------------------------------------------------------------------------------


class RankingSnapshotQuerySet(models.QuerySet):
    def invalidate(self, call):
        """Mark the stored ranking of ``call`` out of date: one update, in the caller's transaction.

        The services that change what the ranking is computed from (reviews, eligibility,
        criteria, settings, overrides, decisions, assignments) call this; the next page
        that reads the ranking computes it again.
        """
        call_id = getattr(call, "pk", call)
        self.filter(call_id=call_id).update(version=models.F("version") + 1)


class RankingSnapshot(models.Model):
    """The ranking and proposed selection of a call as last computed, read by the pages.

    ``version`` grows with every change that moves the ranking; ``built_version`` is the
    version the stored rows were computed at, so they are current while the two agree
    (a change made during a rebuild leaves them apart, and the next page builds again).
    """

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, primary_key=True, related_name="ranking_snapshot"
    )
    version = models.PositiveIntegerField(default=1)
    built_version = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    queued_version = models.PositiveIntegerField(default=0)  # handed to a worker at this version
    queued_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # The sensitivity to the weights (reviews/sensitivity.py) at ``sensitivity_version``.
    sensitivity = models.JSONField(null=True, blank=True)
    sensitivity_version = models.PositiveIntegerField(default=0)

    objects = RankingSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored ranking")
        verbose_name_plural = _("stored rankings")

    def __str__(self):
        return f"Ranking of {self.call_id} (version {self.built_version})"

    @property
    def is_current(self):
        return self.built_version == self.version

    @property
    def size(self):
        return self.summary.get("ranked", 0) + self.summary.get("unranked", 0)


class RankingEntry(models.Model):
    """One application in a stored ranking: its rank, proposed outcome, reason and cells."""

    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(null=True, blank=True)  # the rank; none outside the ranking
    outcome = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=30, blank=True)
    reserve_position = models.PositiveIntegerField(null=True, blank=True)
    overridden = models.BooleanField(default=False)
    disagreement = models.BooleanField(default=False)  # its evaluators disagree beyond the limits
    line = models.JSONField(default=dict, blank=True)  # what the page prints, worked out once

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "application"], name="one_entry_per_application"),
        ]
        indexes = [
            # By rank, and (position null) the applications outside the ranking by id.
            models.Index(fields=["snapshot", "position", "application"], name="ranking_entry_position_idx"),
            models.Index(fields=["snapshot", "outcome", "position"], name="ranking_entry_outcome_idx"),
            models.Index(
                fields=["snapshot", "disagreement", "application"], name="ranking_entry_disagreement_idx"
            ),
        ]
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")

    def __str__(self):
        return f"{self.position or '-'}: {self.application_id}"
