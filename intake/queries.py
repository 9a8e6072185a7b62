"""What intake's pages read: each list a view shows, named once; views hold no query of their own."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from notifications.models import IssuedDocument

from .models import Application, Call, Document, Invitation, Organisation, Project
from .receipts import subject_key

# How long a closed call stays on the public list.
RECENTLY_CLOSED = dt.timedelta(days=180)


def listed_calls(now):
    """The published calls the public list shows: open, upcoming and recently closed."""
    return Call.objects.published().filter(closes_at__gt=now - RECENTLY_CLOSED).order_by("closes_at")


def visible_calls(user):
    """Everyone sees published calls; the call's coordinators also preview unpublished ones."""
    calls = Call.objects.all()
    if user.is_authenticated and user.is_superuser:
        return calls
    if user.is_authenticated:
        return calls.filter(Q(is_published=True) | Q(pk__in=Call.objects.coordinated_by(user).values("pk")))
    return calls.published()


def open_calls():
    """The calls open now, closing soonest first."""
    return Call.objects.open_at().order_by("closes_at")


def projects_with_contacts():
    """The projects of published calls that name a contact address (for the privacy notice)."""
    projects = Project.objects.filter(calls__is_published=True).exclude(contact_email="").distinct()
    return projects.order_by("acronym")


def published_call(slug):
    """The published call of that address, or None."""
    return Call.objects.published().filter(slug=slug or "").first()


def own_application(user, call):
    """The application to ``call`` of one of the user's organisations, or None."""
    return Application.objects.for_user(user).filter(call=call).first()


def member_organisations(user):
    """The organisations the user belongs to."""
    return Organisation.objects.filter(memberships__user=user)


def member_organisations_by_name(user):
    return member_organisations(user).order_by("name")


def belongs_to_an_organisation(user):
    return member_organisations(user).exists()


def first_organisation(user):
    """The organisation the user joined first, or None."""
    return member_organisations(user).order_by("memberships__joined_at").first()


def memberships_of(organisation):
    """The organisation's members, earliest first."""
    return organisation.memberships.select_related("user").order_by("joined_at")


def organisation_applications(organisation):
    """The organisation's applications, newest first, each with its call."""
    return organisation.applications.select_related("call").order_by("-created_at")


def answers_by_question(application):
    """The application's answers by question id, each with who last changed it."""
    return {answer.question_id: answer for answer in application.answers.select_related("updated_by")}


def transitions_of(application):
    """The application's changes of status, oldest first, each with who made it."""
    return application.transitions.select_related("by").order_by("at", "id")


def documents_with_application():
    """Uploaded files, each with its application (whose permission decides the download)."""
    return Document.objects.select_related("application")


def applications_of(call, organisations):
    """The applications of those organisations to ``call``, oldest first."""
    return Application.objects.filter(call=call, organisation__in=organisations).order_by("created_at")


def pending_invitations(organisation):
    """The organisation's invitations still waiting for an answer and still valid."""
    return organisation.invitations.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def unanswered_invitations(organisation):
    """The organisation's invitations not accepted (expired ones included: they may be cancelled)."""
    return organisation.invitations.filter(accepted_at__isnull=True)


def invitation_by_token(token):
    return Invitation.objects.select_related("organisation", "invited_by", "call").by_token(token)


def issued_documents(application):
    """Every document issued about ``application``, every version, newest first by type."""
    return IssuedDocument.objects.filter(subject_key=subject_key(application)).order_by("kind", "-version")


def application_document(application, document_id):
    """One of the application's uploaded files, or None."""
    return application.documents.filter(pk=document_id).first()
