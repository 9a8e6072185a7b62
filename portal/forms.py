"""The account's own forms: the name given at sign-up, and the page that changes it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .text import strip_bidi_controls

NAME_HELP = _("As letters and certificates should address you, for example “Anne Martin”.")


def clean_name(value):
    return strip_bidi_controls(value).strip()


class SignupForm(forms.Form):
    """What sign-up asks beyond allauth's address and passwords (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    full_name = forms.CharField(label=_("Your name"), max_length=200, help_text=NAME_HELP)
    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
        labels = {"full_name": _("Your name"), "language": _("Language of your emails and letters")}
        help_texts = {"full_name": NAME_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])
