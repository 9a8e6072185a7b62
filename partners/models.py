"""After the selection: a project's consortium, its associated partners and their onboarding,
the activities, the participants the partners nominate, attendance and its certificates.

The project itself is intake's (``intake.Project``): calls belong to it. Everything a
partnership needs beyond it lives here.
"""

import calendar
import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from intake.models import Application, Organisation, Project
from portal.storage import private_storage
from portal.translation import Localized, LocalizedMixin

LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]

latitude_field = lambda: models.DecimalField(  # noqa: E731 - one definition, three models
    _("latitude"),
    max_digits=8,
    decimal_places=5,
    null=True,
    blank=True,
    validators=[MinValueValidator(-90), MaxValueValidator(90)],
)
longitude_field = lambda: models.DecimalField(  # noqa: E731
    _("longitude"),
    max_digits=8,
    decimal_places=5,
    null=True,
    blank=True,
    validators=[MinValueValidator(-180), MaxValueValidator(180)],
)


def default_retention_months():
    return settings.PARTICIPANT_RETENTION_MONTHS


# --------------------------------------------------------------------------------------
# The project's own people: consortium, contacts, settings of the partnership
# --------------------------------------------------------------------------------------


class ConsortiumMember(LocalizedMixin, models.Model):
    """A member of the project's consortium (the beneficiaries), shown on the public page."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="consortium_members", verbose_name=_("project")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code."))
    is_coordinator = models.BooleanField(_("coordinates the project"), default=False)
    website = models.URLField(_("website"), blank=True)
    latitude = latitude_field()
    longitude = longitude_field()

    name = Localized()

    class Meta:
        ordering = ["project", "order", "id"]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")

    def __str__(self):
        return self.name_en


class ProjectContact(LocalizedMixin, models.Model):
    """A person of the project team whom partners contact."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("project")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    role_en = models.CharField(_("role (English)"), max_length=200)
    role_fr = models.CharField(_("role (French)"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    role = Localized()

    class Meta:
        ordering = ["project", "order", "id"]
        verbose_name = _("project contact")
        verbose_name_plural = _("project contacts")

    def __str__(self):
        return self.name


class PartnershipSettingsQuerySet(models.QuerySet):
    def for_project(self, project):
        """The project's settings, saved with the defaults the first time they are needed."""
        return self.get_or_create(project_id=getattr(project, "pk", project))[0]


class PartnershipSettings(models.Model):
    """How a project runs its partnership: onboarding deadline, data retention."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="partnership_settings", verbose_name=_("project")
    )
    onboarding_deadline = models.DateTimeField(_("onboarding deadline"), null=True, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("months participants' data are kept after the project ends"),
        default=default_retention_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )

    objects = PartnershipSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership settings")
        verbose_name_plural = _("partnership settings")

    def __str__(self):
        return f"Partnership settings of {self.project}"

    def anonymise_after(self):
        """The first day participants' personal data may no longer be kept (None: no end date)."""
        ends_on = self.project.ends_on
        if ends_on is None:
            return None
        months = ends_on.month - 1 + self.retention_months
        year, month = ends_on.year + months // 12, months % 12 + 1
        return dt.date(year, month, min(ends_on.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------------------
# Associated partners
# --------------------------------------------------------------------------------------


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", pgettext_lazy("a partner", "Withdrawn")


class PartnerQuerySet(models.QuerySet):
    def for_member(self, user):
        """The partnerships of the organisations ``user`` acts for."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def for_member_list(self, user):
        """The partnerships ``user`` acts for, newest first, with their project and city."""
        return self.for_member(user).select_related("project", "organisation").order_by("-joined_at")

    def active(self):
        return self.filter(status=PartnerStatus.ACTIVE)

    def public(self):
        """Partners that allow their name and logo on the project's public pages."""
        return self.active().filter(public_consent=True)

    def for_matrix(self, project):
        """The coordinator's lists: every partner of ``project`` with its organisation."""
        partners = self.filter(project=project).select_related("organisation")
        return partners.order_by("organisation__name", "pk")


def logo_upload_to(instance, filename):
    return f"partners/{instance.project_id}/logos/{uuid.uuid4().hex}"


class Partner(models.Model):
    """An associated partner: a city that accepted its place in a call of the project.

    A partner that withdraws keeps its row, its history and its participants; it is shown
    as withdrawn and can change nothing any more.
    """

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="partners", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("organisation")
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner",
        help_text=_("The application whose accepted place made the city a partner."),
        verbose_name=_("application"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_note = models.TextField(_("reason for withdrawing"), blank=True)
    # Where the city is on the map of the public page.
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    # What the public pages may show, with the partner's permission.
    public_name = models.CharField(_("name shown on the public pages"), max_length=200, blank=True)
    logo = models.FileField(
        _("logo"), upload_to=logo_upload_to, storage=private_storage, max_length=255, blank=True
    )
    logo_content_type = models.CharField(max_length=100, blank=True, verbose_name=_("logo content type"))
    public_consent = models.BooleanField(_("name and logo may be shown publicly"), default=False)
    public_consent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("public consent at"))
    # The participants' privacy notice the partner accepted before entering their data.
    privacy_notice_version = models.CharField(
        max_length=32, blank=True, verbose_name=_("privacy notice version")
    )
    privacy_accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("privacy accepted at"))
    privacy_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy accepted by"),
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["project", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="one_partnership_per_project")
        ]
        verbose_name = _("associated partner")
        verbose_name_plural = _("associated partners")

    def __str__(self):
        return f"{self.organisation} ({self.project})"

    @property
    def is_active(self):
        return self.status == PartnerStatus.ACTIVE

    @property
    def display_name(self):
        return self.public_name or self.organisation.name

    @property
    def country(self):
        return self.organisation.country

    def has_current_privacy_acceptance(self):
        return self.privacy_notice_version == settings.PARTICIPANT_PRIVACY_NOTICE_VERSION


class ContactRole(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    DEPUTY = "deputy", _("Deputy focal point")
    POLICE = "police", _("Police contact")


class PartnerContact(models.Model):
    """The focal point, their deputy and the police contact a partner names."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("associated partner")
    )
    role = models.CharField(_("role in the project"), max_length=16, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["partner", "role"]
        constraints = [models.UniqueConstraint(fields=["partner", "role"], name="one_contact_per_role")]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


# --------------------------------------------------------------------------------------
# Onboarding
# --------------------------------------------------------------------------------------


class ItemKind(models.TextChoices):
    AGREEMENT = "agreement", _("Signed partnership agreement")
    FOCAL_POINTS = "focal_points", _("Focal point and deputy")
    POLICE_CONTACT = "police_contact", _("Police contact")
    DATA_PROTECTION = "data_protection", _("Data-protection notice confirmed")
    PUBLIC_LISTING = "public_listing", _("Name and logo for the public pages")
    CONFIRMATION = "confirmation", _("Other (the partner confirms)")


class ChecklistItem(LocalizedMixin, models.Model):
    """One step of a project's onboarding; what completes it depends on its kind."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="checklist_items", verbose_name=_("project")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    help_en = models.TextField(_("explanation (English)"), blank=True)
    help_fr = models.TextField(_("explanation (French)"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    title = Localized()
    help = Localized()

    class Meta:
        ordering = ["project", "order", "id"]
        verbose_name = _("onboarding item")
        verbose_name_plural = _("onboarding items")

    def __str__(self):
        return self.title_en


class ItemState(models.TextChoices):
    OPEN = "open", _("To do")
    SUBMITTED = "submitted", _("Waiting for the project team's check")
    DONE = "done", _("Done")


class ChecklistProgress(models.Model):
    """Where one partner stands on one onboarding item (no row: still to do)."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="progress", verbose_name=_("associated partner")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.CASCADE, related_name="progress", verbose_name=_("item")
    )
    state = models.CharField(_("state"), max_length=12, choices=ItemState.choices, default=ItemState.OPEN)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "item"], name="one_progress_per_item")]
        verbose_name = _("onboarding progress")
        verbose_name_plural = _("onboarding progress")

    def __str__(self):
        return f"{self.partner}: {self.item} ({self.state})"


def signed_agreement_upload_to(instance, filename):
    return f"partners/{instance.partner.project_id}/agreements/{uuid.uuid4().hex}"


class SignedAgreement(models.Model):
    """A signed copy of the partnership agreement, as the partner uploaded it. Every upload is kept."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="signed_agreements",
        verbose_name=_("associated partner"),
    )
    file = models.FileField(
        upload_to=signed_agreement_upload_to, storage=private_storage, max_length=255, verbose_name=_("file")
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
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("signed agreement")
        verbose_name_plural = _("signed agreements")

    def __str__(self):
        return self.original_name


# --------------------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    POLICE_ACADEMY = "police_academy", _("Police academy")
    OFFICER_EXCHANGE = "officer_exchange", _("Officer exchange at an international event")
    WORKSHOP = "workshop", _("Public–private security workshop")
    ANNUAL_MEETING = "annual_meeting", _("Annual meeting")
    FINAL_EVENT = "final_event", _("Final event")
    OTHER = "other", _("Other")


class ParticipantCategory(models.TextChoices):
    POLICE_OFFICER = "police_officer", _("Police officer")
    MUNICIPAL_STAFF = "municipal_staff", _("Municipal staff")
    ELECTED = "elected", _("Elected representative")
    OTHER = "other", _("Other")


class Eligibility(models.TextChoices):
    ANYONE = "anyone", _("Anyone the partner nominates")
    POLICE_ONLY = "police_only", _("Police officers only")
    STAFF_ONLY = "staff_only", _("Municipal staff and police, no elected representatives")


ELIGIBLE_CATEGORIES = {
    Eligibility.ANYONE: set(ParticipantCategory.values),
    Eligibility.POLICE_ONLY: {ParticipantCategory.POLICE_OFFICER},
    Eligibility.STAFF_ONLY: {ParticipantCategory.POLICE_OFFICER, ParticipantCategory.MUNICIPAL_STAFF},
}


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_seat_counts(self):
        """Each activity with its confirmed, nominated and wait-listed participants counted."""
        return self.annotate(
            seats_confirmed=Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)),
            seats_nominated=Count("participants", filter=Q(participants__status=ParticipantStatus.NOMINATED)),
            seats_waitlisted=Count(
                "participants", filter=Q(participants__status=ParticipantStatus.WAITLISTED)
            ),
        )


class Activity(LocalizedMixin, models.Model):
    """An event of the project that partners send participants to."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="activities", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    host_city = models.CharField(_("host city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code."))
    timezone = models.CharField(
        _("time zone of the venue"),
        max_length=64,
        default="Europe/Brussels",
        help_text=_("Start, end and registration deadline are entered and shown in it."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    seats_per_partner = models.PositiveSmallIntegerField(
        _("seats per partner"), default=2, validators=[MinValueValidator(1)]
    )
    seats_total = models.PositiveSmallIntegerField(
        _("seats in total"), default=22, validators=[MinValueValidator(1)]
    )
    eligibility = models.CharField(
        _("who may be nominated"), max_length=16, choices=Eligibility.choices, default=Eligibility.ANYONE
    )
    working_language = models.CharField(_("working language"), max_length=80, default="English")
    practical_info_en = models.TextField(_("practical information (English)"), blank=True)
    practical_info_fr = models.TextField(_("practical information (French)"), blank=True)
    is_published = models.BooleanField(_("on the public programme"), default=True)
    # The calendar invitations' version: one more at every change participants are told of.
    sequence = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("sequence"))
    uid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("calendar identifier")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    title = Localized()
    description = Localized()
    practical_info = Localized()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["project", "starts_at", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title_en

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"timezone": _("Unknown time zone.")}) from None
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The activity must end after it starts.")})
        if self.registration_deadline and self.starts_at and self.registration_deadline > self.starts_at:
            raise ValidationError(
                {"registration_deadline": _("Registration must close before the activity starts.")}
            )
        if self.seats_per_partner and self.seats_total and self.seats_per_partner > self.seats_total:
            raise ValidationError(
                {"seats_per_partner": _("A partner cannot have more seats than the total.")}
            )

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def local(self, moment):
        return timezone.localtime(moment, self.tzinfo)

    def registration_open(self, moment=None):
        return (moment or timezone.now()) < self.registration_deadline

    def days(self):
        """The dates the activity runs on, in the venue's time zone."""
        first, last = self.local(self.starts_at).date(), self.local(self.ends_at).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def accepts_category(self, category):
        return category in ELIGIBLE_CATEGORIES[Eligibility(self.eligibility)]


# --------------------------------------------------------------------------------------
# Participants
# --------------------------------------------------------------------------------------


class ParticipantStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Wait-listed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("a nomination", "Withdrawn")


# Statuses that hold a seat of the activity (and of the partner's share).
SEAT_HOLDING = (ParticipantStatus.NOMINATED, ParticipantStatus.CONFIRMED)


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    NOT_SAID = "not_said", _("Prefer not to say")


class ParticipantQuerySet(models.QuerySet):
    def holding_seats(self):
        return self.filter(status__in=SEAT_HOLDING)

    def for_activity_list(self, activity):
        """The coordinator's list of an activity's participants, with their city."""
        return (
            self.filter(activity=activity)
            .select_related("partner__organisation")
            .prefetch_related(Prefetch("attendances", queryset=Attendance.objects.order_by("day")))
            .order_by("partner__organisation__name", "name", "pk")
        )

    def personal(self):
        """Participants whose personal data are still held."""
        return self.filter(anonymised_at__isnull=True)


class Participant(models.Model):
    """A person a partner nominates for an activity.

    Personal data serve the project's activities and reporting only; they are anonymised
    after the project (``partners.privacy``) or on request, and what the reports count
    (city, country, category, gender, attendance) stays.
    """

    TRANSITIONS = {
        ParticipantStatus.NOMINATED: {
            ParticipantStatus.CONFIRMED,
            ParticipantStatus.WAITLISTED,
            ParticipantStatus.REFUSED,
            ParticipantStatus.WITHDRAWN,
        },
        ParticipantStatus.WAITLISTED: {
            ParticipantStatus.CONFIRMED,
            ParticipantStatus.REFUSED,
            ParticipantStatus.WITHDRAWN,
        },
        ParticipantStatus.CONFIRMED: {
            ParticipantStatus.WAITLISTED,
            ParticipantStatus.REFUSED,
            ParticipantStatus.WITHDRAWN,
        },
        ParticipantStatus.REFUSED: {ParticipantStatus.CONFIRMED, ParticipantStatus.WAITLISTED},
        ParticipantStatus.WITHDRAWN: set(),
    }

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="participants", verbose_name=_("associated partner")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="participants", verbose_name=_("activity")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.NOMINATED
    )
    refusal_reason = models.TextField(_("reason"), blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # Personal data (anonymised after the project).
    name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role or rank"), max_length=200, blank=True)
    unit = models.CharField(_("unit or department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language of the emails"), max_length=8, choices=LANGUAGE_CHOICES, default="en"
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    needs_travel = models.BooleanField(_("the project books the travel"), default=False)
    needs_accommodation = models.BooleanField(_("the project books the accommodation"), default=False)
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    # What the reports count (kept after anonymisation).
    category = models.CharField(
        _("category"), max_length=20, choices=ParticipantCategory.choices, default=ParticipantCategory.OTHER
    )
    gender = models.CharField(
        _("gender (optional, for the European Commission's reporting)"),
        max_length=12,
        choices=Gender.choices,
        blank=True,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominated_at = models.DateTimeField(default=timezone.now, verbose_name=_("nominated at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # The calendar invitation last sent (its SEQUENCE), to know when to send an update.
    invited_sequence = models.IntegerField(null=True, blank=True, verbose_name=_("invited sequence"))
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "partner", "name", "pk"]
        indexes = [models.Index(fields=["activity", "status"]), models.Index(fields=["partner", "status"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name

    @property
    def holds_seat(self):
        return self.status in SEAT_HOLDING

    def can_transition_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class Attendance(models.Model):
    """A participant was there on one day of the activity."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("participant")
    )
    day = models.DateField(_("day"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["participant", "day"]
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="one_attendance_a_day")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self):
        return f"{self.participant_id} on {self.day}"


class AnonymisationRun(models.Model):
    """What one pass of the retention task did (or a coordinator's erasure on request)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="anonymisation_runs", verbose_name=_("project")
    )
    ran_at = models.DateTimeField(default=timezone.now, verbose_name=_("ran at"))
    participants = models.PositiveIntegerField(default=0, verbose_name=_("participants"))
    contacts = models.PositiveIntegerField(default=0, verbose_name=_("contacts"))
    reason = models.CharField(max_length=40, verbose_name=_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("anonymisation run")
        verbose_name_plural = _("anonymisation runs")

    def __str__(self):
        return f"{self.project}: {self.participants} participants on {self.ran_at:%Y-%m-%d}"
