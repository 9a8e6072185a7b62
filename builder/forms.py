"""The builder's forms; the rules they check live in the services, which have the last word."""

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from intake.models import ISF_POLICE_COUNTRIES, FileType, OrganisationKind, Project, QuestionKind, Section
from portal import roles
from reviews.models import Visibility

from .services.calls import LETTER_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_INPUT_FORMATS = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]

EU_COUNTRIES = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]  # fmt: skip
OTHER_EUROPEAN_COUNTRIES = [
    "AL", "AD", "BA", "CH", "GB", "GE", "IS", "LI", "MC", "MD", "ME", "MK", "NO", "RS", "SM", "TR",
    "UA",
]  # fmt: skip


def time_zone_choices(current=None):
    """European zones and UTC (the calls' public), plus the call's own if it is elsewhere."""
    zones = sorted(zone for zone in zoneinfo.available_timezones() if zone.startswith("Europe/"))
    zones.append("UTC")
    if current and current not in zones:
        zones.insert(0, current)
    return [(zone, zone.replace("_", " ")) for zone in zones]


def in_zone(moment, zone):
    """An aware datetime as the wall clock of ``zone`` shows it (what the input displays)."""
    if moment is None:
        return None
    return timezone.localtime(moment, zone).replace(tzinfo=None)


def aware_in(naive, zone):
    """The moment ``naive`` names on the wall clock of ``zone``; refused when the clocks skip it."""
    if naive is None:
        return None
    aware = naive.replace(tzinfo=zone)
    # Through UTC: a time the clocks skip comes back as another time of day.
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("This time does not exist in %(zone)s: the clocks change then. Choose another."),
            params={"zone": str(zone)},
        )
    return aware.astimezone(dt.UTC)


class WallClockField(forms.DateTimeField):
    """A date and time typed on the call's wall clock; the form makes it a moment in the
    call's time zone (see ``ZonedForm``), never in the server's or the browser's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                return dt.datetime.strptime(str(value).strip(), fmt)
            except (TypeError, ValueError):
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        return value.strftime(DATETIME_FORMAT) if isinstance(value, dt.datetime) else value


class ZonedForm(forms.Form):
    """A form whose ``WallClockField`` values become aware in the zone named by the
    ``timezone`` field (or given as ``zone``)."""

    def __init__(self, *args, zone=None, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, WallClockField) and isinstance(self.initial.get(name), dt.datetime):
                self.initial[name] = in_zone(self.initial[name], zone or timezone.get_current_timezone())

    def clean(self):
        data = super().clean()
        zone = self.zone
        if "timezone" in self.fields:
            try:
                zone = zoneinfo.ZoneInfo(data.get("timezone") or "")
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                self.add_error("timezone", _("Unknown time zone."))
                return data
        for name, field in self.fields.items():
            if isinstance(field, WallClockField) and data.get(name) is not None:
                try:
                    data[name] = aware_in(data[name], zone)
                except ValidationError as error:
                    self.add_error(name, error)
        return data


class BilingualForm(forms.Form):
    """English and French fields carry their language, for screen readers and spelling."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            for code in ("en", "fr"):
                if name.endswith(f"_{code}"):
                    field.widget.attrs["lang"] = code
                    if getattr(field, "markup", False):
                        field.widget.attrs["aria-describedby"] = f"id_{name.removesuffix(f'_{code}')}_markup"


def apply_refusal(form, refused):
    """Show a service's refusal beside the fields it names (or above the form)."""
    placed = False
    for name, message in (refused.errors or {}).items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, refused.message)


def text_field(label, *, rows=None, required=False, markup=False, max_length=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    field = forms.CharField(label=label, required=required, widget=widget, max_length=max_length, strip=True)
    field.markup = markup  # the page explains the markup once beside the pair
    return field


# --- Creating and copying a call ---------------------------------------------------------


class NewCallForm(ZonedForm):
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False, empty_label=_("Choose…")
    )
    project_acronym = forms.CharField(label=_("Short name of a new project"), required=False, max_length=40)
    project_title_en = forms.CharField(label=_("Title of the new project (English)"), required=False)
    project_title_fr = forms.CharField(label=_("Title of the new project (French)"), required=False)
    title_en = forms.CharField(label=_("Title of the call (English)"), max_length=200)
    title_fr = forms.CharField(label=_("Title of the call (French)"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=80,
        required=False,
        help_text=_(
            "The end of the call's address, e.g. trainers-academy-2027; made from the title when empty."
        ),
    )
    reference_prefix = forms.CharField(
        label=_("Reference prefix"),
        max_length=12,
        help_text=_(
            "Starts each application's reference, e.g. TA27 gives TA27-2027-0001. Unique to the call."
        ),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), initial="Europe/Brussels")
    opens_at = WallClockField(label=_("Opens at"), help_text=_("In the call's time zone."))
    closes_at = WallClockField(label=_("Closes at"), help_text=_("In the call's time zone."))

    def __init__(self, *args, projects, may_create_project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["timezone"].choices = time_zone_choices()
        self.may_create_project = may_create_project
        if not may_create_project:
            for name in ("project_acronym", "project_title_en", "project_title_fr"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not data.get("project") and not (self.may_create_project and data.get("project_acronym")):
            self.add_error(
                "project",
                _("Choose one of your projects, or name a new one.")
                if self.may_create_project
                else _("Choose one of your projects."),
            )
        if data.get("project") and data.get("project_acronym"):
            self.add_error("project_acronym", _("Choose a project or name a new one, not both."))
        if data.get("project_acronym") and not data.get("project_title_en"):
            self.add_error("project_title_en", _("Give the new project a title in English."))
        _check_order(self, data)
        return data


class CopyCallForm(ZonedForm):
    title_en = forms.CharField(
        label=_("Title of the new call (English)"),
        max_length=200,
        required=False,
        help_text=_("Empty keeps the title of the call copied."),
    )
    title_fr = forms.CharField(label=_("Title of the new call (French)"), max_length=200, required=False)
    slug = forms.SlugField(label=_("Web address of the new call"), max_length=80)
    reference_prefix = forms.CharField(label=_("Its reference prefix"), max_length=12)
    opens_at = WallClockField(label=_("Opens at"))
    closes_at = WallClockField(label=_("Closes at"))
    evaluators = forms.BooleanField(
        label=_("Copy the evaluators too"),
        required=False,
        help_text=_("They evaluate the new call at once; otherwise invite them later."),
    )

    def clean(self):
        data = super().clean()
        _check_order(self, data)
        return data


def _check_order(form, data):
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        form.add_error("closes_at", _("The call must close after it opens."))


# --- Texts, dates, letters ---------------------------------------------------------------


class TextsForm(BilingualForm):
    title_en = text_field(_("Title (English)"), required=True, max_length=200)
    title_fr = text_field(_("Title (French)"), max_length=200)
    summary_en = text_field(_("Summary (English)"), rows=3)
    summary_fr = text_field(_("Summary (French)"), rows=3)
    description_en = text_field(_("Description (English)"), rows=10, markup=True)
    description_fr = text_field(_("Description (French)"), rows=10, markup=True)
    eligibility_en = text_field(_("Who can apply (English)"), rows=6, markup=True)
    eligibility_fr = text_field(_("Who can apply (French)"), rows=6, markup=True)
    how_to_apply_en = text_field(_("How to apply (English)"), rows=6, markup=True)
    how_to_apply_fr = text_field(_("How to apply (French)"), rows=6, markup=True)

    LEGENDS = {
        "title": _("Title"),
        "summary": _("Summary"),
        "description": _("Description"),
        "eligibility": _("Who can apply"),
        "how_to_apply": _("How to apply"),
    }

    def pairs(self):
        """``(legend, English field, French field)`` of each text."""
        return [(legend, self[f"{name}_en"], self[f"{name}_fr"]) for name, legend in self.LEGENDS.items()]


class BasicsForm(ZonedForm):
    slug = forms.SlugField(label=_("Web address"), max_length=80)
    reference_prefix = forms.CharField(label=_("Reference prefix"), max_length=12)
    timezone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("The dates below are typed, shown and enforced in it.")
    )
    opens_at = WallClockField(label=_("Opens at"))
    closes_at = WallClockField(
        label=_("Closes at"), help_text=_("Applications are refused from this minute.")
    )
    review_deadline = WallClockField(label=_("Review deadline"), required=False)
    reply_deadline = WallClockField(
        label=_("Reply deadline for the decision"),
        required=False,
        help_text=_("Selected cities accept or decline their place by then."),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, zone=call.tzinfo, **kwargs)
        self.fields["timezone"].choices = time_zone_choices(call.timezone)
        if call.is_published:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("A published call keeps its address: links to it are out.")


class LettersForm(BilingualForm):
    project_name = text_field(_("Project, as the letters name it"), max_length=100)
    associated_role_en = text_field(_("What a selected city takes part in (English)"), rows=4, markup=False)
    associated_role_fr = text_field(_("What a selected city takes part in (French)"), rows=4)
    signatory_name = text_field(_("Signatory's name"), max_length=200)
    signatory_role_en = text_field(_("Signatory's role (English)"), max_length=200)
    signatory_role_fr = text_field(_("Signatory's role (French)"), max_length=200)
    funding_statement_en = text_field(_("Funding statement (English)"), max_length=300)
    funding_statement_fr = text_field(_("Funding statement (French)"), max_length=300)
    funding_disclaimer_en = text_field(_("Funding disclaimer (English)"), rows=4)
    funding_disclaimer_fr = text_field(_("Funding disclaimer (French)"), rows=4)

    FIELDS = LETTER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role_help = _("One activity per line; the acceptance and reserve letters list them.")
        self.fields["associated_role_en"].help_text = role_help
        self.fields["associated_role_fr"].help_text = role_help

    LEGENDS = {
        "associated_role": _("What a selected city takes part in"),
        "signatory_role": _("Signatory's role"),
        "funding_statement": _("Funding statement"),
        "funding_disclaimer": _("Funding disclaimer"),
    }

    def pairs(self):
        return [(legend, self[f"{name}_en"], self[f"{name}_fr"]) for name, legend in self.LEGENDS.items()]


# --- The form: steps and questions --------------------------------------------------------


class SectionForm(BilingualForm):
    title_en = text_field(_("Title of the step (English)"), required=True, max_length=200)
    title_fr = text_field(_("Title of the step (French)"), max_length=200)
    intro_en = text_field(_("Introduction (English)"), rows=3, markup=True)
    intro_fr = text_field(_("Introduction (French)"), rows=3, markup=True)


class ChoiceForm(BilingualForm):
    value = forms.CharField(required=False, widget=forms.HiddenInput)
    label_en = forms.CharField(
        label=_("Label (English)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    label_fr = forms.CharField(
        label=_("Label (French)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


ChoiceFormSet = forms.formset_factory(ChoiceForm, extra=3, max_num=60, absolute_max=60)


class QuestionForm(BilingualForm):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    label_en = text_field(_("Question (English)"), required=True, max_length=300)
    label_fr = text_field(_("Question (French)"), max_length=300)
    help_en = text_field(_("Help text (English)"), rows=2, markup=True)
    help_fr = text_field(_("Help text (French)"), rows=2, markup=True)
    required = forms.BooleanField(label=_("An answer is required to submit"), required=False, initial=True)
    key = forms.CharField(
        label=_("Key"),
        max_length=60,
        required=False,
        help_text=_(
            "Names the answer in exports; made from the English question when empty. A required file "
            "question whose key contains “commitment” or “letter” holds the letter of commitment."
        ),
    )
    section = forms.ModelChoiceField(label=_("Step"), queryset=Section.objects.none(), empty_label=None)
    max_length = forms.IntegerField(
        label=_("Character limit"),
        min_value=1,
        required=False,
        help_text=_("Empty: 300 for a short text, none for a long text."),
    )
    min_value = forms.DecimalField(
        label=_("Smallest number"), required=False, max_digits=14, decimal_places=2
    )
    max_value = forms.DecimalField(label=_("Largest number"), required=False, max_digits=14, decimal_places=2)
    min_date = forms.DateField(
        label=_("Earliest date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    max_date = forms.DateField(
        label=_("Latest date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    max_files = forms.IntegerField(label=_("Files it takes, at most"), min_value=1, max_value=15, initial=1)
    file_types = forms.MultipleChoiceField(
        label=_("File types it accepts"),
        choices=FileType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every type the portal accepts."),
    )

    personal_data = forms.BooleanField(
        label=_("The answer is about a person (a contact's name or role, say)"),
        required=False,
        help_text=_(
            "It is then erased with the person's data and anonymised after the retention period. "
            "Email and phone questions always are."
        ),
    )

    # Which settings belong to which kinds (the page shows only those of the chosen kind).
    KIND_FIELDS = {
        "max_length": [QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT],
        "min_value": [QuestionKind.NUMBER],
        "max_value": [QuestionKind.NUMBER],
        "min_date": [QuestionKind.DATE],
        "max_date": [QuestionKind.DATE],
        "max_files": [QuestionKind.FILE],
        "file_types": [QuestionKind.FILE],
    }

    def __init__(self, *args, sections, answered=False, published=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.answered = answered
        self.published = published
        if answered:
            for name in ("kind", "key"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: the question has answers.")

    def clean(self):
        data = super().clean()
        if not data.get("max_files"):
            data["max_files"] = 1
        return data


# --- FAQ, criteria, evaluation and selection ---------------------------------------------


class FaqForm(BilingualForm):
    question_en = text_field(_("Question (English)"), required=True, max_length=300)
    question_fr = text_field(_("Question (French)"), max_length=300)
    answer_en = text_field(_("Answer (English)"), rows=4, required=True, markup=True)
    answer_fr = text_field(_("Answer (French)"), rows=4, markup=True)


class CriterionForm(BilingualForm):
    name_en = text_field(_("Criterion (English)"), required=True, max_length=200)
    name_fr = text_field(_("Criterion (French)"), max_length=200)
    guidance_en = text_field(_("Guidance for evaluators (English)"), rows=3)
    guidance_fr = text_field(_("Guidance for evaluators (French)"), rows=3)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0.01,
        max_digits=6,
        decimal_places=2,
        help_text=_("Per cent of the total: the weights of the call add up to 100."),
    )
    threshold = forms.DecimalField(
        label=_("Threshold"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=1,
        help_text=_("Lowest acceptable score on the scale; below it a comment is required."),
    )
    tie_break_priority = forms.IntegerField(
        label=_("Tie-break priority"),
        required=False,
        min_value=1,
        help_text=_("1 breaks ties first; empty: not used to break ties."),
    )


class ScaleForm(forms.Form):
    scale_max = forms.DecimalField(label=_("Highest score"), min_value=1, max_digits=4, decimal_places=1)
    scale_step = forms.DecimalField(label=_("Score step"), min_value=0.1, max_digits=3, decimal_places=1)


class ReviewRulesForm(forms.Form):
    evaluators_per_application = forms.IntegerField(label=_("Reviews per application"), min_value=1)
    overall_threshold = forms.DecimalField(
        label=_("Overall threshold (out of 100)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    review_visibility = forms.ChoiceField(
        label=_("Other reviews visible to an evaluator"), choices=Visibility.choices
    )
    disagreement_limit = forms.DecimalField(
        label=_("Disagreement limit (points out of 100)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("An application is flagged when its reviews' totals differ by more than this."),
    )
    criterion_disagreement = forms.DecimalField(
        label=_("Criterion disagreement"),
        min_value=0,
        max_digits=4,
        decimal_places=2,
        help_text=_("An application is flagged when a criterion's scores differ by this much or more."),
    )
    conflict_with_own_country = forms.BooleanField(
        label=_("Evaluators are conflicted with every city of their own country"), required=False
    )

    FIELDS = (
        "evaluators_per_application",
        "overall_threshold",
        "review_visibility",
        "disagreement_limit",
        "criterion_disagreement",
        "conflict_with_own_country",
    )


def european_country_choices(selected=()):
    """The EU, then the rest of Europe, then any other country the call already names."""
    named = dict(countries)
    groups = [
        (_("European Union"), EU_COUNTRIES),
        (_("Other European countries"), OTHER_EUROPEAN_COUNTRIES),
    ]
    listed = set(EU_COUNTRIES) | set(OTHER_EUROPEAN_COUNTRIES)
    others = sorted(code for code in selected if code not in listed and code in named)
    if others:
        groups.append((_("Elsewhere"), others))
    return [
        (label, sorted(((code, named.get(code, code)) for code in codes), key=lambda pair: str(pair[1])))
        for label, codes in groups
    ]


class SelectionRulesForm(forms.Form):
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    reserve_size = forms.IntegerField(label=_("Reserve list length"), min_value=0, max_value=500)
    max_per_country = forms.IntegerField(label=_("At most selected per country"), min_value=1, max_value=500)
    min_distinct_countries = forms.IntegerField(
        label=_("At least this many countries among the selected"),
        min_value=1,
        required=False,
        help_text=_("Empty: no minimum."),
    )
    eligible_countries = forms.MultipleChoiceField(
        label=_("Eligible countries"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Eligible types of organisation"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requires_commitment_letter = forms.BooleanField(
        label=_("Applicants upload a signed letter of commitment"),
        required=False,
        help_text=_("The form then needs a required file question for it; the screening checks it is there."),
    )

    FIELDS = (
        "places",
        "reserve_size",
        "max_per_country",
        "min_distinct_countries",
        "eligible_countries",
        "eligible_kinds",
        "requires_commitment_letter",
    )
    ISF_POLICE_DEFAULT = ISF_POLICE_COUNTRIES

    def __init__(self, *args, selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        wanted = set(selected) | set(self.data.getlist("eligible_countries") if self.is_bound else ())
        self.fields["eligible_countries"].choices = european_country_choices(wanted)

    def country_groups(self):
        """The checklist in its groups, for the template: ``[(label, [bound checkbox])]``."""
        boxes = {box.data["value"]: box for box in self["eligible_countries"]}
        return [
            (label, [boxes[code] for code, _name in options if code in boxes])
            for label, options in self.fields["eligible_countries"].choices
        ]


# --- Messages and the team ----------------------------------------------------------------


class MessageTextForm(BilingualForm):
    text_en = text_field(_("Opening (English)"), rows=6, markup=True)
    text_fr = text_field(_("Opening (French)"), rows=6, markup=True)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Invite as"),
        choices=[
            (roles.EVALUATOR, _("Evaluator of this call")),
            (roles.COORDINATOR, _("Co-coordinator of this call")),
        ],
        widget=forms.RadioSelect,
        initial=roles.EVALUATOR,
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)
