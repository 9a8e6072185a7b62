"""What every page of the builder shares: loading the call, the navigation, refusals."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intake.access import coordinated_call_or_404
from intake.models import Call

# The builder's pages, in the order a call is built.
NAV = [
    ("overview", _("Overview"), "builder:overview"),
    ("texts", _("Texts"), "builder:texts"),
    ("basics", _("Dates and address"), "builder:basics"),
    ("form", _("Application form"), "builder:form"),
    ("faq", _("FAQ"), "builder:faq"),
    ("evaluation", _("Evaluation"), "builder:evaluation"),
    ("selection", _("Selection rules"), "builder:selection"),
    ("messages", _("Emails and letters"), "builder:messages"),
    ("letters", _("Letters' signatory and funding"), "builder:letters"),
    ("team", _("Coordinators and evaluators"), "builder:team"),
    ("publish", _("Check and publish"), "builder:publish"),
]


def call_or_404(request, slug):
    """The call, when the person coordinates it (directly or through its project); else 404."""
    return coordinated_call_or_404(request.user, slug, Call.objects.with_project())


def page(request, template, call, active, context=None, *, status=200):
    nav = [(key, label, reverse(name, args=[call.slug])) for key, label, name in NAV]
    full = {"call": call, "active": active, "nav": nav, **(context or {})}
    return render(request, template, full, status=status)


def back_to(name, call, *args, anchor=""):
    url = reverse(name, args=[call.slug, *args])
    return redirect(f"{url}#{anchor}" if anchor else url)
