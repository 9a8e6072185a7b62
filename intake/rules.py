"""Who may see and change an application and its files.

Applicants act for their organisation; a call's coordinators read everything of their
call. The reviews app extends the view permissions for assigned evaluators with
``rules.set_perm(name, predicate | evaluator_predicate)``; ``intake.view_document``
follows ``intake.view_application`` of the document's application, so extending the
latter is enough. A refused object answers 404 in the views.
"""

import rules

from notifications.rules import register_scope_reader

from .models import Membership, outbox_scope


def _organisation_ids(user):
    """The organisations the user acts for, read once per user object (i.e. per request)."""
    cached = getattr(user, "_intake_organisation_ids", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._intake_organisation_ids = cached
    return cached


def _coordinated_call_ids(user):
    cached = getattr(user, "_intake_coordinated_call_ids", None)
    if cached is None:
        cached = frozenset(user.coordinated_calls.values_list("pk", flat=True))
        user._intake_coordinated_call_ids = cached
    return cached


@rules.predicate
def is_applicant_member(user, application):
    """The user acts for the organisation that applies."""
    if application is None or not user.is_authenticated:
        return False
    return application.organisation_id in _organisation_ids(user)


@rules.predicate
def is_call_coordinator(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.call_id in _coordinated_call_ids(user)


@rules.predicate
def can_view_document_application(user, document):
    if document is None:
        return False
    return user.has_perm("intake.view_application", document.application)


can_view_application = is_applicant_member | is_call_coordinator

rules.add_perm("intake.view_application", can_view_application)
rules.add_perm("intake.change_application", is_applicant_member)
rules.add_perm("intake.view_document", can_view_document_application)
# Receipts and decision letters are correspondence with the city: evaluators, who may
# read the application, do not get them.
rules.add_perm("intake.view_issued_documents", is_applicant_member | is_call_coordinator)


@register_scope_reader
def coordinated_call_scopes(user):
    """A call's coordinators read its messages in the outbox."""
    return [outbox_scope(call_id) for call_id in _coordinated_call_ids(user)]
