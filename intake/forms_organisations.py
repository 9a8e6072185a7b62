"""Forms of the candidate organisations and the invitations of colleagues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_email_length

from .models import ISF_POLICE_COUNTRIES, Organisation

# The whole European Union, for an organisation created outside any call.
EU_COUNTRIES = sorted([*ISF_POLICE_COUNTRIES, "DK"])


class OrganisationForm(forms.ModelForm):
    """A candidate city; ``countries`` are the codes it may choose from, named in the active language."""

    country = forms.ChoiceField(label=_("Country"))

    class Meta:
        model = Organisation
        fields = ["name", "country", "kind", "population", "address", "website", "efus_member"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": _("The official name, as it appears on the letter of commitment."),
            "population": _("Number of inhabitants."),
            "efus_member": _("Tick if your city or organisation is a member of Efus."),
        }

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *countries]
        self.fields["population"].required = True


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's email address"),
        help_text=_("They receive a link to join; it is valid for 14 days."),
        validators=[validate_email_length],
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
