"""Forms of the partnership: what partners fill in, and what coordinators set.

Dates and times of an activity are typed in the venue's time zone and stored in UTC.
"""

import zoneinfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from intake.forms_organisations import EU_COUNTRIES
from intake.uploads import ACCEPT_ATTRIBUTE
from portal.formatting import country_name

from .models import (
    Activity,
    ChecklistItem,
    ItemState,
    Participant,
    ParticipantCategory,
    ParticipantStatus,
    PartnerContact,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


def to_zone(value, tz):
    """A datetime the form read in the current time zone, taken as a wall-clock time in ``tz``."""
    if value is None:
        return None
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, tz)


def wall_clock(value, tz):
    """A stored datetime as the naive wall-clock time of ``tz`` (what the input shows)."""
    return timezone.localtime(value, tz).replace(tzinfo=None) if value else None


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("We accept the place")), ("decline", _("We decline the place"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Message to the project team (optional; say why if you decline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    confirm = forms.BooleanField(label=_("I am authorised to answer for my city."))


class RecordedReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer received"), choices=[("accept", _("Accepted")), ("decline", _("Declined"))]
    )
    note = forms.CharField(
        label=_("How and when it was received (e.g. letter of 3 March)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReplyDeadlineForm(forms.Form):
    reply_deadline = forms.DateTimeField(
        label=_("Reply deadline"), required=False, widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT]
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "email", "phone", "languages"]
        help_texts = {"languages": _("E.g. Italian, English (B2).")}


class SignedAgreementForm(forms.Form):
    file = forms.FileField(
        label=_("Signed agreement (PDF, or a scan in PNG or JPEG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class PublicListingForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("May the project's public pages show your city?"),
        choices=[("yes", _("Yes: show the name and logo below")), ("no", _("No: do not show our city"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    public_name = forms.CharField(label=_("Name to show"), max_length=200, required=False)
    logo = forms.FileField(
        label=_("Logo (PNG or JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)


class PrivacyForm(forms.Form):
    accept = forms.BooleanField(
        label=_(
            "I have read the participants' privacy notice; I will inform the people I nominate before "
            "entering their data."
        )
    )


class ParticipantForm(forms.ModelForm):
    """A nomination: the dates of travel are typed in the venue's time zone."""

    class Meta:
        model = Participant
        fields = [
            "name",
            "role",
            "unit",
            "category",
            "email",
            "language",
            "languages",
            "arrival_at",
            "departure_at",
            "needs_travel",
            "needs_accommodation",
            "dietary_needs",
            "accessibility_needs",
            "gender",
        ]
        widgets = {"arrival_at": LocalDateTimeInput(), "departure_at": LocalDateTimeInput()}

    def __init__(self, *args, activity, **kwargs):
        self.activity = activity
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})
            for name in ("arrival_at", "departure_at"):
                kwargs["initial"][name] = wall_clock(getattr(instance, name), activity.tzinfo)
        super().__init__(*args, **kwargs)
        for name in ("arrival_at", "departure_at"):
            self.fields[name].input_formats = [LOCAL_INPUT]
            self.fields[name].help_text = _("Local time at the venue (%(tz)s).") % {"tz": activity.timezone}
        self.fields["email"].required = True
        self.fields["gender"].help_text = _("Optional. Counted, never shown with the name, in the reports.")
        self.fields["category"].help_text = _("This activity is for: %(who)s.") % {
            "who": activity.get_eligibility_display()
        }
        # Only the categories the activity takes (and the one a nomination already has).
        current = getattr(self.instance, "category", None) if self.instance.pk else None
        self.fields["category"].choices = [
            (value, label)
            for value, label in ParticipantCategory.choices
            if activity.accepts_category(value) or value == current
        ]
        if not self.instance.pk and not activity.accepts_category(self.fields["category"].initial):
            self.fields["category"].initial = self.fields["category"].choices[0][0]

    def clean(self):
        cleaned = super().clean()
        for name in ("arrival_at", "departure_at"):
            cleaned[name] = to_zone(cleaned.get(name), self.activity.tzinfo)
        return cleaned

    def values(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def _post_clean(self):
        # The service validates and saves; the model's own checks run there.
        pass


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ParticipantStatus.CONFIRMED, _("Confirm")),
            (ParticipantStatus.WAITLISTED, _("Wait-list")),
            (ParticipantStatus.REFUSED, _("Refuse")),
        ],
    )
    reason = forms.CharField(label=_("Reason (required to refuse)"), required=False, max_length=1000)


class WithdrawPartnerForm(forms.Form):
    note = forms.CharField(label=_("Why the partner withdraws"), widget=forms.Textarea(attrs={"rows": 2}))


class AgreementCheckForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("The signed copy"),
        choices=[("yes", _("is complete and signed")), ("no", _("must be sent again"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label=_("Note (what is wrong, if anything)"), required=False, max_length=1000)


class ItemStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=ItemState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["kind", "title_en", "title_fr", "help_en", "help_fr", "is_active"]
        widgets = {"help_en": forms.Textarea(attrs={"rows": 2}), "help_fr": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"is_active": _("A retired step is no longer asked of the cities; what they did stays.")}

    def _post_clean(self):
        pass


class PartnershipSettingsForm(forms.Form):
    onboarding_deadline = forms.DateTimeField(
        label=_("Onboarding deadline"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT],
    )
    retention_months = forms.IntegerField(
        label=_("Months participants' data are kept after the project ends"), min_value=1, max_value=120
    )


TIMEZONES = sorted(name for name in zoneinfo.available_timezones() if name.startswith("Europe/"))


class ActivityForm(forms.ModelForm):
    """An activity of the programme; its times are typed in the venue's time zone."""

    timezone = forms.ChoiceField(
        label=_("Time zone of the venue"),
        choices=[(name, name) for name in TIMEZONES],
        initial=Activity._meta.get_field("timezone").default,
    )
    country = forms.ChoiceField(label=_("Country"))

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "venue",
            "host_city",
            "country",
            "timezone",
            "starts_at",
            "ends_at",
            "registration_deadline",
            "seats_per_partner",
            "seats_total",
            "eligibility",
            "working_language",
            "practical_info_en",
            "practical_info_fr",
            "is_published",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "registration_deadline": LocalDateTimeInput(),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "practical_info_en": forms.Textarea(attrs={"rows": 3}),
            "practical_info_fr": forms.Textarea(attrs={"rows": 3}),
        }

    DATETIMES = ("starts_at", "ends_at", "registration_deadline")

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})
            for name in self.DATETIMES:
                kwargs["initial"][name] = wall_clock(getattr(instance, name), instance.tzinfo)
        super().__init__(*args, **kwargs)

        self.fields["country"].choices = [("", "---------"), *((c, countries.name(c)) for c in EU_COUNTRIES)]
        for name in self.DATETIMES:
            self.fields[name].input_formats = [LOCAL_INPUT]
            self.fields[name].help_text = _("Local time at the venue.")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("timezone")
        if name:
            tz = zoneinfo.ZoneInfo(name)
            for field in self.DATETIMES:
                cleaned[field] = to_zone(cleaned.get(field), tz)
        return cleaned

    def values(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def _post_clean(self):
        pass


ACCEPT_UPLOADS = ACCEPT_ATTRIBUTE


# --- Filters of the coordinators' long lists (kept in the URL) -----------------------------------


class ListFilterForm(forms.Form):
    """A filter bar read from the query string: a value it does not know is ignored, never an error."""

    def value(self, name):
        if not self.is_bound:
            return None
        try:
            return self.fields[name].clean(self.data.get(name)) or None
        except forms.ValidationError:
            return None

    @property
    def active(self):
        return any(self.value(name) for name in self.fields)


class PartnerFilterForm(ListFilterForm):
    q = forms.CharField(label=_("City"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, data=None, *, countries=()):
        super().__init__(data)
        self.fields["country"].choices = [("", _("Every country"))] + [
            (code, country_name(code)) for code in countries
        ]

    def apply_to(self, partners):
        if q := self.value("q"):
            partners = partners.filter(Q(organisation__name__icontains=q) | Q(public_name__icontains=q))
        if country := self.value("country"):
            partners = partners.filter(organisation__country=country)
        return partners


class OnboardingFilterForm(PartnerFilterForm):
    open = forms.BooleanField(label=_("Only cities with steps still to do"), required=False)

    def apply_to(self, partners, *, steps=0):
        partners = super().apply_to(partners)
        if self.value("open"):
            partners = partners.filter(steps_done__lt=steps)
        return partners


class ParticipantFilterForm(ListFilterForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    partner = forms.TypedChoiceField(label=_("City"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data=None, *, cities=(), counts=None):
        """``cities``: (partner id, name) of the cities with a nomination; ``counts``: per status."""
        super().__init__(data)
        self.fields["partner"].choices = [("", _("Every city")), *cities]
        counts = counts or {}
        self.fields["status"].choices = [("", _("Every status"))] + [
            (value, f"{label} ({counts[value]})" if value in counts else label)
            for value, label in ParticipantStatus.choices
        ]

    def apply_to(self, participants):
        if q := self.value("q"):
            participants = participants.filter(name__icontains=q)
        if partner := self.value("partner"):
            participants = participants.filter(partner_id=partner)
        if status := self.value("status"):
            participants = participants.filter(status=status)
        return participants
