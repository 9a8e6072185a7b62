"""The coordinator's pages load their call, application or object through these.

One permission, ``intake.coordinate_call`` (see ``intake/rules.py``), decides for every
page, export, message and file: a coordinator of one call gets 404 on all of another's.
"""

from portal.access import object_or_404

from .models import Application, Call

COORDINATE_CALL = "intake.coordinate_call"


def coordinated_call_or_404(user, slug, queryset=None):
    return object_or_404(user, COORDINATE_CALL, queryset if queryset is not None else Call.objects, slug=slug)


def coordinated_application_or_404(user, pk, queryset=None):
    """A submitted application of a call the user coordinates (drafts are the applicant's)."""
    queryset = (
        queryset if queryset is not None else Application.objects.select_related("call", "organisation")
    )
    return object_or_404(user, COORDINATE_CALL, queryset.submitted(), via=_call_of, pk=pk)


def coordinated_object_or_404(user, queryset, *, call_of, **lookup):
    """Any object of a call (an assignment, a review, an evaluator's place): ``call_of(obj)``
    names its call."""
    return object_or_404(user, COORDINATE_CALL, queryset, via=call_of, **lookup)


def _call_of(application):
    return application.call
