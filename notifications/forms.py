from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageStatus


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(self, *args, kinds=(), scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(MessageStatus.choices)
        self.fields["kind"].choices = everything + [(kind, kind) for kind in kinds]
        self.fields["scope"].choices = everything + [(scope, scope) for scope in scopes if scope]

    def filters(self):
        """The valid filters; an unknown value is ignored rather than failing the page."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
