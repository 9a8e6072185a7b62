"""Forms of the evaluation pages; the rules they enforce live in services.py."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from intake.models import Status
from portal import formatting
from portal.models import User

from . import services, widgets
from .models import (
    CallEvaluator,
    ConflictScope,
    EligibilityScreening,
    Outcome,
    Recommendation,
    ReviewSettings,
)


def score_text(value):
    """A score as people write it: 4, 3.5 (never 4.0)."""
    return "" if value is None else f"{value.normalize():f}"


def country_choices():
    """Countries named in the reader's language (read at each rendering, not at import)."""
    return [("", "—"), *countries]


def country_filter_choices():
    return [("", _("All")), *countries]


CHECK_CHOICES = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


def _as_bool(value):
    return {"yes": True, "no": False}.get(value)


def _as_choice(value):
    return {True: "yes", False: "no"}.get(value, "")


class ScreeningForm(forms.Form):
    """The eligibility checklist, filled in from the data, then the coordinator's decision."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (EligibilityScreening.Decision.ELIGIBLE, _("Eligible")),
            (EligibilityScreening.Decision.INELIGIBLE, _("Ineligible")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when ineligible; the applicant receives it by email."),
    )

    def __init__(self, *args, screening, **kwargs):
        self.screening = screening
        initial = {name: _as_choice(getattr(screening, name)) for name in EligibilityScreening.CHECKS}
        if screening.decision != EligibilityScreening.Decision.PENDING:
            initial["decision"] = screening.decision
        initial["reason"] = screening.reason
        super().__init__(*args, initial=initial, **kwargs)
        checks = {}
        for name in EligibilityScreening.CHECKS:
            model_field = EligibilityScreening._meta.get_field(name)
            checks[name] = forms.ChoiceField(
                label=model_field.verbose_name.capitalize(),
                choices=CHECK_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        self.fields = {**checks, **self.fields}

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == EligibilityScreening.Decision.INELIGIBLE
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give the reason: the applicant receives it."))
        return data

    def checks(self):
        return {name: _as_bool(self.cleaned_data.get(name)) for name in EligibilityScreening.CHECKS}

    def check_rows(self):
        """Each checklist field with what the data answered, for the template."""
        prefilled = self.screening.prefilled or {}
        return [(self[name], prefilled.get(name)) for name in EligibilityScreening.CHECKS]


class ReviewForm(forms.Form):
    """Per criterion a score and a comment, then an overall comment and a recommendation."""

    overall_comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=widgets.Textarea(attrs={"rows": 5})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=[("", "—"), *Recommendation.choices],
        widget=widgets.Select,
    )

    def __init__(self, *args, criteria, review_settings, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.review_settings = review_settings
        self.submitting = submitting
        # The value sent is the plain number; the reader sees it written as they write numbers.
        choices = [("", "—")] + [
            (score_text(v), formatting.score(v)) for v in review_settings.score_choices()
        ]
        criterion_fields = {}
        for criterion in criteria:
            # Checked against the scale in clean(), so "4", "4.0" and "4,0" are all 4.
            criterion_fields[f"score_{criterion.pk}"] = forms.CharField(
                label=_("Score (0 to %(max)s)") % {"max": formatting.score(review_settings.scale_max)},
                required=False,
                widget=widgets.Select(choices=choices, attrs={"class": "form-select review-score"}),
            )
            criterion_fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=widgets.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )
        self.fields = {**criterion_fields, **self.fields}

    def clean(self):
        data = super().clean()
        self.values, self.comments = {}, {}
        for criterion in self.criteria:
            try:
                self.values[criterion.pk] = services.parse_score(
                    data.get(f"score_{criterion.pk}"), self.review_settings
                )
            except services.EvaluationError as error:
                self.add_error(f"score_{criterion.pk}", str(error))
            self.comments[criterion.pk] = data.get(f"comment_{criterion.pk}", "")
        if self.submitting and not self.errors:
            problems = services.review_problems(
                self.criteria, self.values, self.comments, data.get("recommendation")
            )
            for name, message in problems.items():
                self.add_error(name, message)
        return data

    def rows(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class ConflictForm(forms.Form):
    """Declared from an assigned application: with it, or with its whole organisation."""

    scope = forms.ChoiceField(
        label=_("I have a conflict of interest with"),
        choices=[
            (ConflictScope.APPLICATION, _("this application")),
            (ConflictScope.ORGANISATION, _("this organisation, in any application")),
        ],
        initial=ConflictScope.APPLICATION,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the coordinator"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CountryConflictForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignmentDeclineForm(forms.Form):
    """An evaluator gives an assignment back, saying why."""

    reason = forms.CharField(label=_("Why do you decline?"), widget=widgets.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Why reopen it?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddAssignmentForm(forms.Form):
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=User.objects.none())

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = User.objects.filter(
            evaluations__call=call, evaluations__is_active=True
        ).order_by("full_name", "email")


class AutoAssignForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The same seed on the same data gives the same assignments."),
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)


class CallEvaluatorForm(forms.Form):
    email = forms.EmailField(label=_("Email address of their account"))
    country = forms.ChoiceField(label=_("Their country"), choices=country_choices, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages they review in"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means any language."),
    )
    max_load = forms.IntegerField(label=_("Maximum applications"), min_value=1, required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        self.user = User.objects.filter(email__iexact=email).first()
        if self.user is None:
            raise forms.ValidationError(_("Nobody has an account with this address; invite them first."))
        if CallEvaluator.objects.filter(call=self.call, user=self.user).exists():
            raise forms.ValidationError(_("Already an evaluator of this call."))
        return email


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *[(s.value, s.label) for s in Status if s != Status.DRAFT]],
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=country_filter_choices)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Reference")), ("city", _("City")), ("country", _("Country"))],
    )

    # The keyset order of each sort: unique thanks to the id at the end.
    ORDERS = {
        "": ["number"],  # unique in the call, and the call's index
        "city": ["organisation__name", "id"],
        "country": ["organisation__country", "organisation__name", "id"],
    }


class RankingFilterForm(forms.Form):
    """The ranking page's filters: the proposed outcome and the country."""

    outcome = forms.ChoiceField(
        label=_("Proposal"),
        required=False,
        choices=[("", _("All")), *Outcome.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("All")),
            *sorted(countries.items(), key=lambda pair: pair[1]),
        ]


class ReviewSettingsForm(forms.ModelForm):
    """The call's evaluation settings a coordinator changes; consortium members one per line."""

    consortium_members = forms.CharField(
        label=_("Consortium members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One organisation name per line: partners of the project, who cannot apply."),
    )

    class Meta:
        model = ReviewSettings
        fields = [
            "evaluators_per_application",
            "review_visibility",
            "conflict_with_own_country",
            "review_deadline",
            "overall_threshold",
            "disagreement_limit",
            "criterion_disagreement",
            "min_distinct_countries",
            "consortium_members",
            "grey_zone_low",
            "grey_zone_high",
        ]
        widgets = {
            "review_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["consortium_members"] = "\n".join(str(m) for m in self.instance.consortium_members or [])

    def clean_consortium_members(self):
        lines = self.cleaned_data["consortium_members"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean_overall_threshold(self):
        value = self.cleaned_data["overall_threshold"]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("The overall threshold is out of 100."))
        return value


# The ranking and selection pages.


class OverrideForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("include", _("Select although not proposed")),
            ("exclude", _("Leave out although proposed")),
            ("clear", _("Back to the proposal")),
        ],
    )
    justification = forms.CharField(
        label=_("Written justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FinaliseForm(forms.Form):
    note = forms.CharField(
        label=_("Message added to the reasons every city not selected receives"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I confirm: the decisions are final, the scores are locked and the cities are told.")
    )


class ConsensusForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Consensus score"), max_digits=4, decimal_places=1)
    justification = forms.CharField(
        label=_("Written justification"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PlaceDeclineForm(forms.Form):
    """A coordinator records that a selected city gave up its place (by letter or email)."""

    note = forms.CharField(
        label=_("What the city said"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
