from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageStatus


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(self, *args, kinds=None, scopes=None, **kwargs):
        """``kinds`` and ``scopes``: ``{code: words}``, offered in the order of the words."""
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(MessageStatus.choices)
        self.fields["kind"].choices = everything + _by_words(kinds or {})
        self.fields["scope"].choices = everything + _by_words({k: v for k, v in (scopes or {}).items() if k})

    def filters(self):
        """The valid filters; an unknown value is ignored rather than failing the page."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


def _by_words(labels):
    return sorted(labels.items(), key=lambda pair: str(pair[1]).casefold())
