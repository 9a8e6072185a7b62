"""The call, its questions, candidate organisations and their applications."""

import copy
import datetime as dt
import hashlib
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.storage import private_storage
from portal.translation import Localized, LocalizedMixin, language_code

# EU Member States taking part in the Internal Security Fund – Police: all but Denmark.
ISF_POLICE_COUNTRIES = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]  # fmt: skip


def default_eligible_countries():
    return list(ISF_POLICE_COUNTRIES)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    METROPOLITAN_REGIONAL = "metropolitan_regional", _("Metropolitan or regional authority")
    LOCAL_POLICE = "local_police", _("Local police body")
    OTHER_PUBLIC = "other_public", _("Other public body")


def default_eligible_kinds():
    return [choice.value for choice in OrganisationKind]


def outbox_scope(call_id):
    """The outbox scope of a call's messages: whoever coordinates the call reads them."""
    return f"call:{call_id}"


def project_outbox_scope(project_id):
    """The outbox scope of a project's messages (partners, participants): its coordinators read them."""
    return f"project:{project_id}"


class ProjectQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """The projects ``user`` coordinates (administrators: every project)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(coordinators=user)

    def public(self):
        """Projects that show a public page."""
        return self.filter(is_public=True)


class Project(LocalizedMixin, models.Model):
    """A funded project that runs calls and manages the partners they bring in.

    Its coordinators coordinate every call of the project; a call's own coordinators only
    that call.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    acronym = models.CharField(_("short name"), max_length=40, help_text=_("E.g. PACTESUR 2."))
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True, help_text=_("One per line."))
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    funding_programme_en = models.CharField(_("funding programme (English)"), max_length=250, blank=True)
    funding_programme_fr = models.CharField(_("funding programme (French)"), max_length=250, blank=True)
    funding_statement_en = models.CharField(_("funding statement (English)"), max_length=300, blank=True)
    funding_statement_fr = models.CharField(_("funding statement (French)"), max_length=300, blank=True)
    funding_disclaimer_en = models.TextField(_("funding disclaimer (English)"), blank=True)
    funding_disclaimer_fr = models.TextField(_("funding disclaimer (French)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_public = models.BooleanField(
        _("public page"), default=False, help_text=_("Show the project's public page.")
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_projects",
        verbose_name=_("coordinators"),
        help_text=_("They coordinate every call of the project and its partners."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    title = Localized()
    summary = Localized()
    objectives = Localized()
    funding_programme = Localized()
    funding_statement = Localized()
    funding_disclaimer = Localized()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.acronym

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The project must end after it starts.")})


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.published().filter(opens_at__lte=moment, closes_at__gt=moment)

    def coordinated_by(self, user):
        """The calls ``user`` coordinates, directly or through their project (administrators:
        every call). The one definition of "coordinator" the permissions use."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(coordinators=user) | Q(project__coordinators=user)).distinct()

    def with_project(self):
        return self.select_related("project")


class Call(LocalizedMixin, models.Model):
    """A public call for expressions of interest and every rule a coordinator sets for it."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="calls", verbose_name=_("project")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"), max_length=12, help_text=_("Start of application references, e.g. PS2.")
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    eligibility_en = models.TextField(_("eligibility (English)"), blank=True)
    eligibility_fr = models.TextField(_("eligibility (French)"), blank=True)
    how_to_apply_en = models.TextField(_("how to apply (English)"), blank=True)
    how_to_apply_fr = models.TextField(_("how to apply (French)"), blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        help_text=_("Dates of the call are shown and enforced in this time zone."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    places = models.PositiveSmallIntegerField(_("number of places"), default=11)
    reserve_size = models.PositiveSmallIntegerField(_("reserve list length"), default=5)
    eligible_countries = models.JSONField(
        _("eligible countries"), default=default_eligible_countries, help_text=_("ISO 3166-1 alpha-2 codes.")
    )
    eligible_kinds = models.JSONField(_("eligible organisation types"), default=default_eligible_kinds)
    max_per_country = models.PositiveSmallIntegerField(
        _("maximum selected per country"), default=1, validators=[MinValueValidator(1)]
    )
    is_published = models.BooleanField(_("published"), default=False)
    reply_deadline = models.DateTimeField(
        _("reply deadline"),
        null=True,
        blank=True,
        help_text=_("Selected cities accept or decline their place in the portal by this date."),
    )
    requires_commitment_letter = models.BooleanField(
        _("a signed letter of commitment is required"),
        default=True,
        help_text=_(
            "Applicants upload it to a required file question whose key names it (for example "
            "commitment_letter); the eligibility screening checks it is there."
        ),
    )
    # What the decision letters say on the call's behalf.
    project_name = models.CharField(
        _("project name"),
        max_length=100,
        blank=True,
        help_text=_("As named in the letters, e.g. PACTESUR 2."),
    )
    associated_role_en = models.TextField(
        _("associated city's part (English)"),
        blank=True,
        help_text=_("The activities an associated city takes part in, one per line; listed in the letters."),
    )
    associated_role_fr = models.TextField(_("associated city's part (French)"), blank=True)
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_role_en = models.CharField(_("signatory's role (English)"), max_length=200, blank=True)
    signatory_role_fr = models.CharField(_("signatory's role (French)"), max_length=200, blank=True)
    funding_statement_en = models.CharField(
        _("funding statement (English)"),
        max_length=300,
        blank=True,
        default="Funded by the European Union's Internal Security Fund – Police.",
    )
    funding_statement_fr = models.CharField(
        _("funding statement (French)"),
        max_length=300,
        blank=True,
        default="Financé par le Fonds pour la sécurité intérieure – Police de l'Union européenne.",
    )
    funding_disclaimer_en = models.TextField(
        _("funding disclaimer (English)"),
        blank=True,
        default=(
            "Views and opinions expressed are however those of the author(s) only and do not "
            "necessarily reflect those of the European Union or the European Commission. Neither the "
            "European Union nor the granting authority can be held responsible for them."
        ),
    )
    funding_disclaimer_fr = models.TextField(
        _("funding disclaimer (French)"),
        blank=True,
        default=(
            "Les points de vue et avis exprimés n'engagent toutefois que leur(s) auteur(s) et ne "
            "reflètent pas nécessairement ceux de l'Union européenne ou de la Commission européenne. "
            "Ni l'Union européenne ni l'autorité octroyant la subvention ne peuvent en être tenues "
            "pour responsables."
        ),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_calls", verbose_name=_("coordinators")
    )
    contact_retention_months = models.PositiveSmallIntegerField(
        _("months contact data are kept after the decision"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "For applications that got no place. Empty: the portal's setting "
            "(PORTAL_APPLICATION_RETENTION_MONTHS, 24 months unless changed)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    title = Localized()
    summary = Localized()
    description = Localized()
    eligibility = Localized()
    how_to_apply = Localized()
    associated_role = Localized()
    signatory_role = Localized()
    funding_statement = Localized()
    funding_disclaimer = Localized()

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self):
        return self.title_en

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"timezone": _("Unknown time zone.")}) from None
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The call must close after it opens.")})

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.closes_at

    def has_closed(self, moment=None):
        return (moment or timezone.now()) >= self.closes_at

    def has_opened(self, moment=None):
        return (moment or timezone.now()) >= self.opens_at


class FaqEntry(LocalizedMixin, models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="faq_entries", verbose_name=_("call")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    question_en = models.CharField(_("question (English)"), max_length=300)
    question_fr = models.CharField(_("question (French)"), max_length=300, blank=True)
    answer_en = models.TextField(_("answer (English)"))
    answer_fr = models.TextField(_("answer (French)"), blank=True)

    question = Localized()
    answer = Localized()

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self):
        return self.question_en


class Section(LocalizedMixin, models.Model):
    """A group of questions; each section is one step of the application form."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="sections", verbose_name=_("call"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)

    title = Localized()
    intro = Localized()

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title_en


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes or no")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    DATE = "date", _("Date")
    EMAIL = "email", _("Email address")
    PHONE = "phone", _("Phone number")
    FILE = "file", _("File")


class FileType(models.TextChoices):
    """The kinds of file an upload may be (``intake.uploads`` decides a file's kind by its content)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    ODT = "odt", "OpenDocument text (ODT)"
    XLSX = "xlsx", "Excel (XLSX)"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


# Answers of these kinds are always a person's contact data, whatever the question's flag says.
PERSONAL_KINDS = (QuestionKind.EMAIL, QuestionKind.PHONE)

# Dates a question accepts when it sets no bounds of its own: wide, but not year 1 or 9999.
DEFAULT_EARLIEST_DATE = dt.date(1900, 1, 1)
DEFAULT_LATEST_DATE = dt.date(2100, 12, 31)


class Question(LocalizedMixin, models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section")
    )
    key = models.SlugField(_("key"), max_length=60, help_text=_("Stable identifier, unique within the call."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_fr = models.CharField(_("label (French)"), max_length=300, blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_fr = models.TextField(_("help text (French)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("character limit"), null=True, blank=True, help_text=_("For short and long texts.")
    )
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=2, null=True, blank=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For choice questions: [{"value": "b1", "label_en": "B1", "label_fr": "B1"}, ...]'),
    )
    max_files = models.PositiveSmallIntegerField(
        _("maximum files"), default=1, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    min_date = models.DateField(
        _("earliest date"), null=True, blank=True, help_text=_("For dates; 1 January 1900 when empty.")
    )
    max_date = models.DateField(
        _("latest date"), null=True, blank=True, help_text=_("For dates; 31 December 2100 when empty.")
    )
    file_types = models.JSONField(
        _("accepted file types"),
        default=list,
        blank=True,
        help_text=_('For files, e.g. ["pdf"]; empty means every type the portal accepts.'),
    )
    revision = models.PositiveIntegerField(
        _("wording revision"),
        default=1,
        help_text=_("Counts the changes of wording made once the call was published; answers keep theirs."),
    )
    personal_data = models.BooleanField(
        _("personal data"),
        default=False,
        help_text=_(
            "The answer is about a person (a contact's name or role, say): it is erased with the "
            "person's data and anonymised after the retention period. Email and phone questions "
            "always are."
        ),
    )

    label = Localized()
    help = Localized()

    class Meta:
        ordering = ["section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "key"], name="question_key_unique_in_section")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label_en

    def clean(self):
        earliest, latest = self.date_window()
        if earliest > latest:
            raise ValidationError({"max_date": _("The latest date must come after the earliest date.")})

    @property
    def holds_personal_data(self):
        """Whether answers to this question are a person's data (see ``PERSONAL_KINDS``)."""
        return self.personal_data or self.kind in PERSONAL_KINDS

    def date_window(self):
        """``(earliest, latest)``: the dates a date question accepts, both included."""
        return self.min_date or DEFAULT_EARLIEST_DATE, self.max_date or DEFAULT_LATEST_DATE

    def choice_pairs(self, language=None):
        code = language_code(language)
        return [(c["value"], c.get(f"label_{code}") or c.get("label_en") or c["value"]) for c in self.choices]

    def as_worded_in(self, revision):
        """This question as it read in an earlier ``QuestionRevision`` (a copy, never saved)."""
        worded = copy.copy(self)
        for name in QuestionRevision.WORDING:
            setattr(worded, name, getattr(revision, name))
        worded.revision = revision.number
        return worded


class QuestionRevision(models.Model):
    """The wording a question had before a change made once its call was published.

    Answers record the revision they were given under (``Answer.question_revision``), so
    the summary, the receipt and the coordinators' pages show what the applicant read.
    """

    WORDING = ("label_en", "label_fr", "help_en", "help_fr", "choices")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("question")
    )
    number = models.PositiveIntegerField(_("revision"))
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_fr = models.CharField(_("label (French)"), max_length=300, blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_fr = models.TextField(_("help text (French)"), blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="one_wording_per_question_revision")
        ]
        verbose_name = _("earlier wording of a question")
        verbose_name_plural = _("earlier wordings of questions")

    def __str__(self):
        return f"{self.question_id} r{self.number}: {self.label_en}"


def earlier_wordings(answers):
    """``{answer.pk: question as worded when answered}`` for the answers given under an
    earlier wording of their question; one query, none when every answer is current."""
    outdated = [a for a in answers if a.question_revision < a.question.revision]
    if not outdated:
        return {}
    revisions = {
        (r.question_id, r.number): r
        for r in QuestionRevision.objects.filter(question_id__in={a.question_id for a in outdated})
    }
    worded = {}
    for answer in outdated:
        revision = revisions.get((answer.question_id, answer.question_revision))
        if revision is not None:
            worded[answer.pk] = answer.question.as_worded_in(revision)
    return worded


class MessageKind(models.TextChoices):
    """Each email and letter a call sends whose opening the coordinators may write."""

    SUBMISSION_CONFIRMATION = "submission_confirmation", _("Submission confirmed")
    WITHDRAWAL_CONFIRMATION = "withdrawal_confirmation", _("Withdrawal confirmed")
    DEADLINE_REMINDER = "deadline_reminder", _("Reminder before the deadline")
    INELIGIBLE = "ineligible", _("Ineligible")
    DECISION_SELECTED = "decision_selected", _("Decision: selected")
    DECISION_RESERVE = "decision_reserve", _("Decision: reserve list")
    DECISION_NOT_SELECTED = "decision_not_selected", _("Decision: not selected")
    REVIEW_REMINDER = "review_reminder", _("Reminder to evaluators")
    LETTER_SELECTED = "letter_selected", _("Letter: selected")
    LETTER_RESERVE = "letter_reserve", _("Letter: reserve list")
    LETTER_NOT_SELECTED = "letter_not_selected", _("Letter: not selected")


class CallMessageText(models.Model):
    """A call's own opening for one of its emails or letters, in English and French.

    An empty text keeps the standard one. It is written in the portal's markup and may
    insert the values its message offers (``intake.messages``), filled in escaped.
    """

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="message_texts", verbose_name=_("call")
    )
    kind = models.CharField(_("message"), max_length=32, choices=MessageKind.choices)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_fr = models.TextField(_("text (French)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["call", "kind"]
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="one_text_per_call_message")]
        verbose_name = _("text of a call's message")
        verbose_name_plural = _("texts of a call's messages")

    def __str__(self):
        return f"{self.call_id}: {self.kind}"


class Organisation(models.Model):
    """A candidate city or other public body; several people may act for it."""

    name = models.CharField(_("official name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code."))
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    efus_member = models.BooleanField(_("Efus member"), default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("members"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    joined_at = models.DateTimeField(auto_now_add=True, verbose_name=_("joined at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


def invitation_token():
    # Referenced by migration 0001, from when the token itself was stored.
    return uuid.uuid4().hex + uuid.uuid4().hex


def hash_invitation_token(token):
    """Invitations keep only a digest of their link's token: a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def by_token(self, token):
        return self.filter(token_hash=hash_invitation_token(token or ""))

    def unaccepted(self):
        """Not accepted, expired or not: what a coordinator may still cancel."""
        return self.filter(accepted_at__isnull=True)

    def pending(self):
        """Still waiting for an answer: not accepted, not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation by email, to join an organisation or to take a staff role (for a call).

    The link's token is made by ``new_token`` and exists only in the email sent; the row
    keeps its digest. Sending the invitation again makes a new token, so the old link stops
    working. A link is used once, by the invited address, before it expires.
    """

    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=32, blank=True, help_text=_("Staff role granted on acceptance.")
    )
    call = models.ForeignKey(
        "Call",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_invitations",
        verbose_name=_("call"),
        help_text=_("The call a staff invitation is for."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("token hash"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email

    def new_token(self):
        """A fresh secret for the link; the previous one stops working. Kept on this object
        (``self.token``) only until the email is written."""
        self.token = secrets.token_urlsafe(32)
        self.token_hash = hash_invitation_token(self.token)
        return self.token

    def was_just_sent(self, moment=None):
        """Sent within the last minute: a second click sends nothing more (and keeps the link
        of the email on its way working)."""
        moment = moment or timezone.now()
        return self.sent_at is not None and moment - self.sent_at < dt.timedelta(minutes=1)

    def is_usable(self, moment=None):
        return self.accepted_at is None and (moment or timezone.now()) < self.expires_at


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INELIGIBLE = "ineligible", _("Ineligible")
    IN_REVIEW = "in_review", _("In review")
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve list")
    NOT_SELECTED = "not_selected", _("Not selected")
    DECLINED = "declined", _("Declined the place")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    # The groups of states the rules speak of, named once here.
    @classmethod
    def withdrawable(cls):
        """The applicant may still withdraw: a draft, or submitted before the review starts."""
        return (cls.DRAFT, cls.SUBMITTED)

    @classmethod
    def screenable(cls):
        """On the eligibility page: waiting for screening or already screened."""
        return (cls.SUBMITTED, cls.INELIGIBLE, cls.IN_REVIEW)

    @classmethod
    def reviewable(cls):
        """Eligible and reviewed: in review, and every state a decision leads to."""
        return (cls.IN_REVIEW, cls.SELECTED, cls.RESERVE, cls.NOT_SELECTED, cls.DECLINED)

    @classmethod
    def proposable(cls):
        """Reviewed and still a candidate for a place (a city that declined is not)."""
        return (cls.IN_REVIEW, cls.SELECTED, cls.RESERVE, cls.NOT_SELECTED)

    @classmethod
    def without_place(cls):
        """Once the call is decided, the applications that got no place in the project: their
        contact data are anonymised after the retention period. A draft never submitted was
        given up; a reserve city still on the list long after the replies was never called."""
        return (cls.DRAFT, cls.INELIGIBLE, cls.NOT_SELECTED, cls.RESERVE, cls.DECLINED, cls.WITHDRAWN)


class IllegalTransition(Exception):
    """Raised when an application is asked to move to a state it cannot reach."""


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        """Applications past the draft: what coordinators and evaluators ever see."""
        return self.exclude(status=Status.DRAFT)

    def submitted_to(self, call):
        return self.filter(call=call).submitted()

    def with_call_and_organisation(self):
        return self.select_related("call", "organisation")

    def with_project_and_organisation(self):
        return self.select_related("call__project", "organisation")

    def for_user(self, user):
        """Applications of the organisations the user acts for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def coordinated_by(self, user):
        """The submitted applications of the calls ``user`` coordinates."""
        return self.submitted().filter(call__in=Call.objects.coordinated_by(user).values("pk"))

    def visible_to(self, user):
        """What ``user`` may open as applicant or coordinator (evaluators: see reviews.queries)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(pk__in=self.for_user(user).values("pk")) | Q(pk__in=self.coordinated_by(user).values("pk"))
        )

    def for_dashboard(self, user):
        return (
            self.for_user(user)
            .select_related("call", "organisation")
            .prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=ApplicationTransition.objects.select_related("by").order_by("-at", "-id"),
                )
            )
            .order_by("-call__closes_at", "-updated_at")
        )


class Application(models.Model):
    """One organisation's application to one call."""

    # Which state may follow which; ``transition_to`` refuses anything else.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.IN_REVIEW, Status.INELIGIBLE, Status.WITHDRAWN},
        Status.INELIGIBLE: {Status.IN_REVIEW},
        Status.IN_REVIEW: {Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED, Status.WITHDRAWN},
        Status.SELECTED: {Status.DECLINED},
        Status.RESERVE: {Status.SELECTED, Status.NOT_SELECTED},
        Status.NOT_SELECTED: set(),
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
    }

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(_("reference"), max_length=32, unique=True, null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    declaration_accepted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("declaration accepted at")
    )
    privacy_notice_version = models.CharField(
        max_length=32, blank=True, verbose_name=_("privacy notice version")
    )
    privacy_accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("privacy accepted at"))
    # When the retention period's pass blanked the contact data (``privacy.retention``).
    contacts_anonymised_at = models.DateTimeField(_("contact data anonymised at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="one_application_per_organisation"),
            models.UniqueConstraint(fields=["call", "number"], name="application_number_unique_in_call"),
        ]
        indexes = [models.Index(fields=["call", "status"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.reference or str(self.organisation)

    @property
    def is_draft(self):
        return self.status == Status.DRAFT

    def can_transition_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    def transition_to(self, status, *, by, note=""):
        """Move to ``status`` and record it; callers hold the transaction."""
        if not self.can_transition_to(status):
            raise IllegalTransition(
                _("An application that is %(current)s cannot become %(target)s.")
                % {"current": self.get_status_display(), "target": Status(status).label}
            )
        previous = self.status
        self.status = status
        self.save(update_fields=["status", "updated_at"])
        return ApplicationTransition.objects.create(
            application=self, from_status=previous, to_status=status, by=by, note=note
        )


class ApplicationTransition(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("application")
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("to status"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("when"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.from_status} -> {self.to_status}"


class Answer(models.Model):
    """The value of one question for one application; ``revision`` guards concurrent edits."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="answers", verbose_name=_("application")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.JSONField(null=True, blank=True, verbose_name=_("value"))
    revision = models.PositiveIntegerField(default=1, verbose_name=_("revision"))
    # Which loaded page saved it last: its own autosave and its Save never conflict, another
    # window or session of the same person does.
    saved_from = models.CharField(max_length=32, blank=True, verbose_name=_("saved from"))
    # The wording of the question this answer was given under (``Question.revision``).
    question_revision = models.PositiveIntegerField(default=1, verbose_name=_("question revision"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.application_id}/{self.question_id}"


def document_upload_to(instance, filename):
    # The stored name never derives from the uploaded one.
    return f"applications/{instance.application.call_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="documents", verbose_name=_("question")
    )
    file = models.FileField(
        upload_to=document_upload_to, storage=private_storage, max_length=255, verbose_name=_("file")
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, verbose_name=_("content type"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 checksum"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["question__section__order", "question__order", "uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.original_name
