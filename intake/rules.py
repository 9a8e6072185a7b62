"""Who may see and change an application and its files, and who coordinates a call.

"Coordinator" means one thing: coordinator of a call, directly or through the call's
project (``Call.objects.coordinated_by``); administrators coordinate every call. The group
of that name only lets a person create calls, it opens none. ``intake.coordinate_call`` is
the one permission every coordinator page, export, message and file checks, through the
helpers of ``intake/access.py``.

Applicants act for their organisation; a call's coordinators read everything of their
call. The reviews app extends the view permissions for assigned evaluators with
``rules.set_perm(name, predicate | evaluator_predicate)``; ``intake.view_document``
follows ``intake.view_application`` of the document's application, so extending the
latter is enough. A refused object answers 404 in the views.
"""

import rules

from notifications.rules import register_scope_reader

from .models import Call, Membership, Project, outbox_scope, project_outbox_scope


def _organisation_ids(user):
    """The organisations the user acts for, read once per user object (i.e. per request)."""
    cached = getattr(user, "_intake_organisation_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._intake_organisation_ids = cached
    return cached


def coordinated_call_ids(user):
    """The calls the user coordinates (directly or through a project), read once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_intake_coordinated_call_ids", None)
    if cached is None:
        cached = frozenset(Call.objects.coordinated_by(user).values_list("pk", flat=True))
        user._intake_coordinated_call_ids = cached
    return cached


def coordinated_project_ids(user):
    """The projects the user coordinates, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_intake_coordinated_project_ids", None)
    if cached is None:
        cached = frozenset(Project.objects.coordinated_by(user).values_list("pk", flat=True))
        user._intake_coordinated_project_ids = cached
    return cached


def forget_coordination(user):
    """After a change of who coordinates what, the next check reads it afresh."""
    user.__dict__.pop("_intake_coordinated_call_ids", None)
    user.__dict__.pop("_intake_coordinated_project_ids", None)
    user.__dict__.pop("_notifications_scopes", None)


@rules.predicate
def is_superuser(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


@rules.predicate
def coordinates_call(user, call):
    if call is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or call.pk in coordinated_call_ids(user)


@rules.predicate
def coordinates_project(user, project):
    if project is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or project.pk in coordinated_project_ids(user)


@rules.predicate
def is_applicant_member(user, application):
    """The user acts for the organisation that applies."""
    if application is None or not user.is_authenticated:
        return False
    return application.organisation_id in _organisation_ids(user)


@rules.predicate
def coordinates_application_call(user, application):
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or application.call_id in coordinated_call_ids(user)


@rules.predicate
def can_view_document_application(user, document):
    if document is None:
        return False
    return user.has_perm("intake.view_application", document.application)


rules.add_perm("intake.coordinate_call", coordinates_call)
rules.add_perm("intake.coordinate_project", coordinates_project)
rules.add_perm("intake.view_application", is_applicant_member | coordinates_application_call)
rules.add_perm("intake.change_application", is_applicant_member)
rules.add_perm("intake.view_document", can_view_document_application)
# Receipts and decision letters are correspondence with the city: evaluators, who may
# read the application, do not get them.
rules.add_perm("intake.view_issued_documents", is_applicant_member | coordinates_application_call)


@register_scope_reader
def coordinated_call_scopes(user):
    """A call's coordinators read its messages in the outbox."""
    return [outbox_scope(call_id) for call_id in coordinated_call_ids(user)]


@register_scope_reader
def coordinated_project_scopes(user):
    """A project's coordinators read its messages (partners, participants) in the outbox."""
    return [project_outbox_scope(project_id) for project_id in coordinated_project_ids(user)]
