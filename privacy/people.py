"""Whose data a request covers, and where the portal holds it.

A request is carried out within a ``Scope``: one call (a coordinator of the call, who sees
only what concerns it) or everything (an administrator). "A person" is an account; the
people of a call are the members of the organisations that applied to it (submitted
applications: drafts are their city's own), the evaluators it has or had, and its
coordinators (directly or through the project). Every query below is limited to the scope,
so an export or an erasure never reaches beyond what the person carrying it out may see.
"""

from dataclasses import dataclass

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from intake.models import (
    Answer,
    Application,
    Call,
    Document,
    Invitation,
    Membership,
    Organisation,
    Project,
    outbox_scope,
)
from notifications.models import Message
from partners.models import Participant, Partner, PartnerContact
from portal import roles
from portal.models import AuditEvent, User
from reviews.models import Assignment, CallEvaluator, ConflictDeclaration, Review

from .models import DataRequest


@dataclass(frozen=True)
class Scope:
    """What a request covers: ``call``'s data, or (``call`` None) everything the portal holds."""

    call: Call | None = None

    @property
    def everything(self):
        return self.call is None

    # --- The call's own objects ------------------------------------------------------------

    def call_applications(self):
        return Application.objects.submitted_to(self.call)

    def call_organisations(self):
        return Organisation.objects.filter(pk__in=self.call_applications().values("organisation_id"))

    # --- One person's data, within the scope ------------------------------------------------

    def applications(self, person):
        """Applications of the person's organisations, or that they started, submitted or wrote in."""
        mine = (
            Q(organisation__in=Membership.objects.filter(user=person).values("organisation_id"))
            | Q(created_by=person)
            | Q(submitted_by=person)
            | Q(pk__in=Answer.objects.filter(updated_by=person).values("application_id"))
            | Q(pk__in=Document.objects.filter(uploaded_by=person).values("application_id"))
        )
        applications = Application.objects.all() if self.everything else self.call_applications()
        return applications.filter(mine)

    def memberships(self, person):
        memberships = Membership.objects.filter(user=person).select_related("organisation")
        if not self.everything:
            memberships = memberships.filter(organisation__in=self.call_organisations())
        return memberships.order_by("joined_at", "pk")

    def messages(self, person):
        """Emails sent to the person: to their account, or to their address."""
        messages = Message.objects.filter(Q(recipient=person) | Q(to_email__iexact=person.email))
        if not self.everything:
            messages = messages.filter(scope=outbox_scope(self.call.pk))
        return messages

    def invitations(self, person):
        invitations = Invitation.objects.filter(email__iexact=person.email)
        if not self.everything:
            invitations = invitations.filter(
                Q(call=self.call) | Q(organisation__in=self.call_organisations())
            )
        return invitations

    def events(self):
        """The audit rows within the scope (every row, for everything)."""
        if self.everything:
            return AuditEvent.objects.all()
        # Audit rows name their object by a text id.
        applications = self.call_applications().annotate(key=Cast("pk", CharField())).values("key")
        organisations = self.call_organisations().annotate(key=Cast("pk", CharField())).values("key")
        return AuditEvent.objects.filter(
            Q(call_id=self.call.pk)
            | Q(object_type="intake.application", object_id__in=applications)
            | Q(object_type="intake.organisation", object_id__in=organisations)
        )

    def events_of(self, person):
        """What the person did, as the audit log recorded it."""
        return self.events().filter(actor=person)

    def events_about(self, person):
        """Audit rows whose object is the person's account."""
        return self.events().filter(object_type=person._meta.label_lower, object_id=str(person.pk))

    def reviews(self, person):
        reviews = Review.objects.filter(evaluator=person)
        if not self.everything:
            reviews = reviews.filter(application__call=self.call)
        return reviews

    def evaluator_records(self, person):
        records = CallEvaluator.objects.filter(user=person).select_related("call")
        if not self.everything:
            records = records.filter(call=self.call)
        return records

    def conflicts(self, person):
        declarations = ConflictDeclaration.objects.filter(evaluator=person)
        if not self.everything:
            declarations = declarations.filter(call=self.call)
        return declarations

    def coordinated_calls(self, person):
        calls = Call.objects.filter(Q(coordinators=person) | Q(project__coordinators=person)).distinct()
        if not self.everything:
            calls = calls.filter(pk=self.call.pk)
        return calls

    def participants(self, person):
        """The partners' participant records with the person's address (``partners.services.privacy``)."""
        participants = Participant.objects.filter(email__iexact=person.email).select_related(
            "activity__project", "partner__organisation"
        )
        if not self.everything:
            participants = participants.filter(activity__project_id=self.call.project_id)
        return participants

    def partner_contacts(self, person):
        contacts = PartnerContact.objects.filter(email__iexact=person.email).select_related(
            "partner__organisation", "partner__project"
        )
        if not self.everything:
            contacts = contacts.filter(partner__project_id=self.call.project_id)
        return contacts


EVERYTHING = Scope()


# --------------------------------------------------------------------------------------
# The people of a call
# --------------------------------------------------------------------------------------


def people_of_call(call):
    """Every account that acts in ``call``, as one queryset (no duplicates)."""
    applications = Application.objects.submitted_to(call)
    return User.objects.filter(
        Q(pk__in=Membership.objects.filter(organisation__applications__in=applications).values("user_id"))
        | Q(pk__in=applications.values("created_by_id"))
        | Q(pk__in=applications.values("submitted_by_id"))
        | Q(pk__in=CallEvaluator.objects.filter(call=call).values("user_id"))
        | Q(pk__in=Assignment.objects.filter(application__call=call).values("evaluator_id"))
        | Q(pk__in=call.coordinators.values("pk"))
        | Q(pk__in=Project.objects.filter(pk=call.project_id).values("coordinators"))
    )


def search(people, query):
    """Those of ``people`` whose name or address contains ``query``, by name."""
    query = (query or "").strip()
    if query:
        people = people.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    return people.order_by("full_name", "email", "pk")


def everyone():
    """Every account, for the administrators' search."""
    return User.objects.all()


def requests_about(person, scope):
    """The data requests (exports, erasures) made about ``person`` that ``scope`` covers."""
    requests = DataRequest.objects.filter(person=person).select_related("by", "call")
    return requests if scope.everything else requests.filter(call=scope.call)


@dataclass
class Role:
    """What a person is in a call: "Member of Nice (PS2-2026-0004)", "Evaluator", ..."""

    label: str
    application: Application | None = None


def roles_in_call(call, people):
    """``{user id: [Role, ...]}`` for ``people`` (a list of users), in a fixed number of queries."""
    ids = [person.pk for person in people]
    found = {pk: [] for pk in ids}
    memberships = list(
        Membership.objects.filter(
            user_id__in=ids, organisation__applications__in=Application.objects.submitted_to(call)
        ).values_list("user_id", "organisation_id")
    )
    applications = {
        application.organisation_id: application
        for application in Application.objects.submitted_to(call)
        .filter(organisation_id__in={organisation_id for _user_id, organisation_id in memberships})
        .select_related("organisation")
    }
    for user_id, organisation_id in memberships:
        application = applications[organisation_id]
        found[user_id].append(
            Role(
                _("Member of %(city)s") % {"city": application.organisation.name},
                application=application,
            )
        )
    evaluators = set(
        CallEvaluator.objects.filter(call=call, user_id__in=ids).values_list("user_id", flat=True)
    )
    evaluators |= set(
        Assignment.objects.filter(application__call=call, evaluator_id__in=ids).values_list(
            "evaluator_id", flat=True
        )
    )
    coordinators = set(call.coordinators.filter(pk__in=ids).values_list("pk", flat=True))
    coordinators |= set(
        User.objects.filter(pk__in=ids, coordinated_projects=call.project_id).values_list("pk", flat=True)
    )
    for pk in ids:
        if pk in evaluators:
            found[pk].append(Role(_("Evaluator")))
        if pk in coordinators:
            found[pk].append(Role(_("Coordinator")))
        if not found[pk]:
            found[pk].append(Role(_("Started or wrote in an application")))
    return found


def person_in_call(call, pk):
    """The person ``pk`` if they act in ``call``, else None."""
    return people_of_call(call).filter(pk=pk).first()


# --------------------------------------------------------------------------------------
# Who may erase an account
# --------------------------------------------------------------------------------------


def elsewhere(person, call):
    """Why the account is not ``call``'s alone (an empty list when it is).

    A coordinator of the call anonymises what the call holds; the account itself (name,
    email, login) is erased with it only when the person acts nowhere else, and is never
    a member of staff: an administrator erases those.
    """
    reasons = []
    if person.is_superuser or person.is_staff:
        reasons.append(_("They are an administrator."))
    if roles.COORDINATOR in roles.role_names(person) or (
        Call.objects.filter(Q(coordinators=person) | Q(project__coordinators=person)).exists()
        or Project.objects.filter(coordinators=person).exists()
    ):
        reasons.append(_("They coordinate calls or projects."))
    other_calls = Call.objects.exclude(pk=call.pk).filter(
        Q(pk__in=Application.objects.filter(organisation__memberships__user=person).values("call_id"))
        | Q(
            pk__in=Application.objects.filter(Q(created_by=person) | Q(submitted_by=person)).values("call_id")
        )
        | Q(pk__in=CallEvaluator.objects.filter(user=person).values("call_id"))
        | Q(pk__in=Assignment.objects.filter(evaluator=person).values("application__call_id"))
    )
    if other_calls.exists():
        reasons.append(_("They act in other calls."))
    if (
        Partner.objects.for_member(person).exists()
        or Participant.objects.filter(email__iexact=person.email).exists()
        or PartnerContact.objects.filter(email__iexact=person.email).exists()
    ):
        reasons.append(_("They take part in a project's partnership."))
    return reasons
