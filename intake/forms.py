"""Forms of the applicant's journey: each step of the application is built from the call's questions."""

import contextlib
import datetime as dt
import re
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from portal import formatting
from portal.markup import render_html

from . import uploads
from .models import QuestionKind
from .services import AnswerChange, normalise_value, value_digest

DEFAULT_SHORT_TEXT_LIMIT = 300
YES, NO = "yes", "no"


def field_name(question):
    return f"q_{question.key}"


def base_name(question):
    """The hidden input carrying the revision (and digest) of the answer the form was built from."""
    return f"base_{question.key}"


def override_name(question):
    """Present after a conflict was shown: saving then knowingly replaces the colleague's text."""
    return f"override_{question.key}"


FORM_INSTANCE = "form_instance"


def new_form_instance():
    """The id of one loaded step page, carried by its autosaves and its Save."""
    return uuid.uuid4().hex


def base_token(answer):
    if answer is None:
        return f"0:{value_digest(None)}"
    return f"{answer.revision}:{value_digest(answer.value)}"


def parse_base_token(token):
    revision, _sep, digest = (token or "").partition(":")
    try:
        return max(int(revision), 0), digest
    except ValueError:
        return 0, ""


class NormalisedCharField(forms.CharField):
    """Text whose line breaks count once, as the live counter in the browser counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# Separators people write between the digits of a phone number.
PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
# E.164: a country code that never starts with 0, then at most 15 digits in all.
PHONE_DIGITS = re.compile(r"[1-9][0-9]{5,14}")


def normalise_phone(text):
    """``"+32 (0)2 000.00-00"`` -> ``"+3220000000"``; ValidationError unless it is international."""
    value = text.strip()
    # "(0)" is the trunk prefix dialled only inside the country: "+32 (0)2" is "+32 2".
    value = value.replace("(0)", "")
    if value.startswith("00"):
        value = "+" + value[2:]
    digits = PHONE_SEPARATORS.sub("", value[1:])
    if not value.startswith("+") or not PHONE_DIGITS.fullmatch(digits):
        raise ValidationError(
            _(
                "Enter the number in international form: + and the country code, then the number, "
                "e.g. +32 2 000 00 00."
            ),
            code="invalid_phone",
        )
    return "+" + digits


class PhoneField(forms.CharField):
    """A phone number in international form, kept as ``+`` and its digits."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def __init__(self, **kwargs):
        super().__init__(max_length=40, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value


def date_window_validator(earliest, latest):
    def validate(value):
        if not earliest <= value <= latest:
            raise ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                code="date_out_of_range",
                params={
                    "earliest": formatting.day(earliest),
                    "latest": formatting.day(latest),
                },
            )

    return validate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each is checked on its own when it is stored, so a refused one
    is named beside the field and the others are kept."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


def build_field(question):
    """The form field for one question; nothing is required here: drafts may be incomplete."""
    # Crispy shows help texts as HTML: the coordinator's text goes through the markup, escaped.
    help_text = render_html(question.help, inline=True) if question.help else ""
    common = {"label": question.label, "help_text": help_text, "required": False}
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        limit = question.max_length or (DEFAULT_SHORT_TEXT_LIMIT if kind == QuestionKind.SHORT_TEXT else None)
        attrs = {"data-max-length": limit} if limit else {}
        if kind == QuestionKind.LONG_TEXT:
            widget = forms.Textarea(attrs={"rows": 8, **attrs})
        else:
            widget = forms.TextInput(attrs=attrs)
        # No maxlength attribute: a browser would cut pasted text silently; the server says so instead.
        validators = [MaxLengthValidator(limit)] if limit else []
        return NormalisedCharField(widget=widget, validators=validators, **common)
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            **common,
        )
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    if kind == QuestionKind.SINGLE_CHOICE:
        choices = question.choice_pairs()
        widget = forms.RadioSelect if len(choices) <= 6 else forms.Select
        if widget is forms.Select:
            choices = [("", _("Choose…")), *choices]
        return forms.ChoiceField(choices=choices, widget=widget, **common)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=question.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.DATE:
        earliest, latest = question.date_window()
        attrs = {"type": "date", "min": earliest.isoformat(), "max": latest.isoformat()}
        return forms.DateField(
            widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"),
            input_formats=["%Y-%m-%d", *formats.get_format("DATE_INPUT_FORMATS")],
            validators=[date_window_validator(earliest, latest)],
            **common,
        )
    if kind == QuestionKind.EMAIL:
        # Django's validator; 254 characters is the longest address mail servers accept.
        return forms.EmailField(
            max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common
        )
    if kind == QuestionKind.PHONE:
        return PhoneField(**common)
    if kind == QuestionKind.FILE:
        attrs = {"accept": uploads.accept_attribute(uploads.kinds_for(question.file_types))}
        if question.max_files > 1:
            return MultipleFileField(widget=MultipleFileInput(attrs=attrs), **common)
        return forms.FileField(widget=forms.FileInput(attrs=attrs), **common)
    raise ValueError(f"Unknown question kind {kind!r}")


def to_storage(question, value):
    """A cleaned form value as it is kept in ``Answer.value`` (JSON)."""
    value = normalise_value(value)
    if value is None:
        return None
    kind = question.kind
    if kind == QuestionKind.NUMBER:
        return int(value) if value == value.to_integral_value() else float(value)
    if kind == QuestionKind.YES_NO:
        return value == YES
    if kind == QuestionKind.DATE:
        return value.isoformat()
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return list(value)
    return value


def to_initial(question, value):
    """A stored value as the form field shows it."""
    if value is None:
        return None
    kind = question.kind
    if kind == QuestionKind.YES_NO:
        return YES if value else NO
    if kind == QuestionKind.DATE:
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    if kind == QuestionKind.NUMBER:
        return Decimal(str(value))
    return value


def display_value(question, value):
    """A stored answer in words, for the summary and read-only pages."""
    value = normalise_value(value)
    if value is None:
        return ""
    kind = question.kind
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = dict(question.choice_pairs())
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(item, item)) for item in values)
    if kind == QuestionKind.DATE:
        initial = to_initial(question, value)
        return formatting.day(initial) if initial else value
    if kind == QuestionKind.NUMBER:
        return formats.number_format(value, force_grouping=True)
    return str(value)


class ApplicationStepForm(forms.Form):
    """One section of the application; answers are checked for form, never for presence."""

    def __init__(self, *args, questions, answers, read_only=False, refused_uploads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.answers = answers
        self.read_only = read_only
        # Files dropped while the request streamed in (``uploads.SizeLimitUploadHandler``).
        self.refused_uploads = refused_uploads
        self._uploaded_files = []
        for question in self.questions:
            field = build_field(question)
            answer = answers.get(question.pk)
            if answer is not None and question.kind != QuestionKind.FILE:
                field.initial = to_initial(question, answer.value)
            field.disabled = read_only
            self.fields[field_name(question)] = field

    @property
    def value_questions(self):
        return [question for question in self.questions if question.kind != QuestionKind.FILE]

    @property
    def file_questions(self):
        return [question for question in self.questions if question.kind == QuestionKind.FILE]

    @property
    def form_instance(self):
        """The loaded page this post comes from (hex, at most 32 characters; "" if none)."""
        value = (self.data.get(FORM_INSTANCE) or "")[:32]
        return value if all(c in "0123456789abcdef" for c in value) else ""

    def answer_changes(self, *, honour_overrides):
        """What to save: every valid value field with the revision the form was built from."""
        changes = []
        for question in self.value_questions:
            name = field_name(question)
            if name in self.errors or name not in self.cleaned_data:
                continue
            revision, digest = parse_base_token(self.data.get(base_name(question)))
            if honour_overrides:
                with contextlib.suppress(TypeError, ValueError):
                    revision = max(revision, int(self.data.get(override_name(question), 0)))
            changes.append(
                AnswerChange(
                    question=question,
                    value=to_storage(question, self.cleaned_data[name]),
                    base_revision=revision,
                    base_digest=digest,
                )
            )
        return changes

    def clean(self):
        cleaned = super().clean()
        # Taken before any refusal is added: an error on a field drops its cleaned files,
        # and the valid files sent beside a refused one are still stored.
        self._uploaded_files = []
        for question in self.file_questions:
            value = cleaned.get(field_name(question))
            files = value if isinstance(value, list) else [value] if value else []
            if files:
                self._uploaded_files.append((question, files))
        if self.refused_uploads:
            for name, refusals in self.refused_uploads.lists():
                for message in refusals if name in self.fields else []:
                    self.add_error(name, message)
        return cleaned

    def uploaded_files(self):
        """``[(question, [uploaded file, ...])]`` for the file fields that received files."""
        return list(self._uploaded_files)

    def refuse_upload(self, question, message):
        self.add_error(field_name(question), message)


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I declare that I am authorised to submit this application on behalf of my organisation "
            "and that the information given is accurate."
        ),
        error_messages={"required": _("Tick this box to confirm the declaration.")},
    )
    privacy = forms.BooleanField(
        label=_("I have read and accept the privacy notice."),
        error_messages={"required": _("Tick this box to accept the privacy notice.")},
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shared with the call's coordinators."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn application cannot be submitted again."),
        error_messages={"required": _("Tick this box to confirm.")},
    )


class StartApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Apply for"), empty_label=None, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # one city: already chosen, the button starts at once
            self.fields["organisation"].initial = organisations[0].pk
