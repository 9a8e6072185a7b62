"""Candidate organisations, their members and invitations."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.models import Invitation, Membership, Organisation, Status
from notifications.models import Message
from portal.models import AuditEvent
from tests.factories import (
    DEFAULT_PASSWORD,
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    UserFactory,
)
from tests.utils import invitation_token_in

pytestmark = pytest.mark.django_db

CITY = {
    "name": "Ville de Liège",
    "country": "BE",
    "kind": "municipality",
    "population": "195000",
    "address": "Place du Marché 2, 4000 Liège",
    "website": "https://www.liege.be",
    "efus_member": "on",
}


def detail_url(organisation):
    return reverse("intake:organisation_detail", args=[organisation.pk])


def invite_url(organisation):
    return reverse("intake:organisation_invite", args=[organisation.pk])


def accept_url(invitation):
    """The link of the invitation's latest email (the portal keeps only the token's digest)."""
    message = Message.objects.filter(idempotency_key__endswith=invitation.token_hash).get()
    return reverse("intake:invitation_accept", args=[invitation_token_in(message.body_text)])


# --- Creating an organisation -------------------------------------------------------------


def test_creating_an_organisation_makes_the_creator_a_member_and_is_audited(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("intake:organisation_create"), CITY)
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(organisation)
    assert organisation.name == "Ville de Liège"
    assert organisation.efus_member is True
    assert organisation.created_by == user
    assert Membership.objects.filter(organisation=organisation, user=user).exists()
    event = AuditEvent.objects.for_object(organisation).get()
    assert event.action == "organisation.created"
    assert event.actor == user


def test_creating_an_organisation_needs_a_login(client):
    response = client.get(reverse("intake:organisation_create"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_country_must_be_one_the_call_accepts(client):
    call = CallFactory(eligible_countries=["BE", "FR"])
    client.force_login(UserFactory())
    url = reverse("intake:organisation_create") + f"?call={call.slug}"
    response = client.post(url, {**CITY, "country": "DK"})
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert "Belgium" in response.text
    assert "Denmark" not in response.text


def test_without_a_call_every_eu_country_is_offered(client):
    client.force_login(UserFactory())
    text = client.get(reverse("intake:organisation_create")).text
    assert "Denmark" in text
    assert "Switzerland" not in text


def test_creation_returns_to_a_safe_next_page(client):
    call = CallFactory()
    client.force_login(UserFactory())
    next_url = reverse("intake:call_detail", args=[call.slug])
    response = client.post(reverse("intake:organisation_create") + f"?next={next_url}", CITY)
    assert response.url == next_url


def test_creation_ignores_a_next_page_on_another_site(client):
    client.force_login(UserFactory())
    response = client.post(reverse("intake:organisation_create") + "?next=https://evil.example/", CITY)
    assert response.url == detail_url(Organisation.objects.get())


# --- Who sees an organisation -------------------------------------------------------------


def test_member_sees_members_and_pending_invitations(client):
    membership = MembershipFactory()
    colleague = MembershipFactory(organisation=membership.organisation)
    services.invite_to_organisation(membership.organisation, "newcomer@example.org", by=membership.user)
    client.force_login(membership.user)
    text = client.get(detail_url(membership.organisation)).text
    assert colleague.user.email in text
    assert "newcomer@example.org" in text


def test_member_of_a_gets_404_on_every_page_of_b(client):
    mine = MembershipFactory()
    theirs = MembershipFactory()
    invitation = services.invite_to_organisation(theirs.organisation, "x@example.org", by=theirs.user)
    client.force_login(mine.user)
    other = theirs.organisation
    assert client.get(detail_url(other)).status_code == 404
    assert client.get(invite_url(other)).status_code == 404
    assert client.post(invite_url(other), {"email": "spy@example.org"}).status_code == 404
    cancel = reverse("intake:invitation_cancel", args=[other.pk, invitation.pk])
    assert client.post(cancel).status_code == 404
    # Nor through an invitation of B addressed from A's page.
    cancel_via_mine = reverse("intake:invitation_cancel", args=[mine.organisation.pk, invitation.pk])
    assert client.post(cancel_via_mine).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert not Invitation.objects.filter(email="spy@example.org").exists()


def test_organisation_page_without_an_id_leads_to_my_organisation(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.get(reverse("intake:organisation_detail"))
    assert response.url == detail_url(membership.organisation)


def test_organisation_page_without_an_id_offers_to_register_one(client):
    client.force_login(UserFactory())
    response = client.get(reverse("intake:organisation_detail"))
    assert response.url == reverse("intake:organisation_create")


def _organisation_with_members(size):
    first = MembershipFactory()
    for index in range(size - 1):
        MembershipFactory(organisation=first.organisation)
        services.invite_to_organisation(first.organisation, f"invitee{index}@example.org", by=first.user)
    return first


def test_organisation_page_query_count_does_not_grow_with_members(client):
    counts = []
    for size in (2, 12):
        membership = _organisation_with_members(size)
        client.force_login(membership.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(membership.organisation)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Inviting colleagues ------------------------------------------------------------------


def test_inviting_a_colleague_queues_an_email_valid_14_days(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(invite_url(membership.organisation), {"email": "Colleague@Example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "colleague@example.org"
    assert invitation.organisation == membership.organisation
    remaining = invitation.expires_at - timezone.now()
    assert dt.timedelta(days=13, hours=23) < remaining <= dt.timedelta(days=14)
    message = Message.objects.get(kind="organisation_invitation")
    assert message.to_email == "colleague@example.org"
    assert Invitation.objects.by_token(invitation_token_in(message.body_text)).get() == invitation
    assert invitation.token_hash not in message.body_text
    assert membership.organisation.name in message.subject
    assert AuditEvent.objects.filter(action="organisation.invitation_sent").exists()


def test_reinviting_the_same_address_does_not_duplicate_the_invitation(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(invite_url(membership.organisation), {"email": "colleague@example.org"})
    client.post(invite_url(membership.organisation), {"email": "COLLEAGUE@example.org"})
    assert Invitation.objects.count() == 1


def test_inviting_a_member_again_is_refused_with_a_message(client):
    membership = MembershipFactory()
    colleague = MembershipFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    response = client.post(invite_url(membership.organisation), {"email": colleague.user.email})
    assert response.status_code == 200
    assert "already a member" in response.text
    assert not Invitation.objects.exists()


def test_invitation_email_escapes_the_organisation_name():
    membership = MembershipFactory(organisation__name='<a href="https://evil.example">Click</a>')
    services.invite_to_organisation(membership.organisation, "colleague@example.org", by=membership.user)
    message = Message.objects.get()
    assert '<a href="https://evil.example">' not in message.body_html
    assert "&lt;a href=" in message.body_html


def test_cancelling_an_invitation_is_audited(client):
    membership = MembershipFactory()
    invitation = services.invite_to_organisation(membership.organisation, "c@example.org", by=membership.user)
    client.force_login(membership.user)
    client.post(reverse("intake:invitation_cancel", args=[membership.organisation.pk, invitation.pk]))
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.filter(action="organisation.invitation_cancelled").exists()


# --- Accepting an invitation --------------------------------------------------------------


@pytest.fixture
def invitation():
    membership = MembershipFactory()
    return services.invite_to_organisation(
        membership.organisation, "colleague@example.org", by=membership.user
    )


def test_invited_person_logged_in_with_the_address_joins(client, invitation):
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(colleague)
    assert "Join the organisation" in client.get(accept_url(invitation)).text
    response = client.post(accept_url(invitation))
    assert response.url == detail_url(invitation.organisation)
    assert Membership.objects.filter(organisation=invitation.organisation, user=colleague).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague
    assert AuditEvent.objects.filter(action="organisation.member_joined").exists()
    # The link reached the address: it counts as confirmed.
    assert client.get(detail_url(invitation.organisation)).status_code == 200


def test_accepting_confirms_the_invited_address(client, invitation):
    colleague = UserFactory(email="colleague@example.org")
    EmailAddress.objects.create(user=colleague, email=colleague.email, verified=False, primary=True)
    client.force_login(colleague)
    client.post(accept_url(invitation))
    assert EmailAddress.objects.get(user=colleague).verified


def test_anonymous_visitor_is_asked_to_sign_up_or_log_in_and_comes_back(client, invitation):
    response = client.get(accept_url(invitation))
    assert response.status_code == 200
    assert f"{reverse('account_signup')}?next={accept_url(invitation)}" in response.text
    UserFactory(email="colleague@example.org")
    response = client.post(
        reverse("account_login") + f"?next={accept_url(invitation)}",
        {"login": "colleague@example.org", "password": DEFAULT_PASSWORD},
    )
    assert response.url == accept_url(invitation)
    client.post(accept_url(invitation))
    assert invitation.organisation.members.filter(email="colleague@example.org").exists()


def test_signing_up_from_an_invitation_comes_back_to_it(client, invitation):
    client.get(accept_url(invitation))
    signup_page = client.get(reverse("account_signup") + f"?next={accept_url(invitation)}")
    assert 'value="colleague@example.org"' in signup_page.text
    response = client.post(
        reverse("account_signup") + f"?next={accept_url(invitation)}",
        {
            "full_name": "A Colleague",
            "email": "colleague@example.org",
            "password1": "A-long-secret-99",
            "password2": "A-long-secret-99",
        },
    )
    assert response.status_code == 302
    assert response.url == accept_url(invitation)
    client.post(accept_url(invitation))
    assert invitation.organisation.members.filter(email="colleague@example.org").exists()
    # The invitation link proved the address: no confirmation email is needed.
    assert EmailAddress.objects.get(email="colleague@example.org").verified


def test_wrong_account_is_told_clearly_and_does_not_join(client, invitation):
    intruder = UserFactory(email="someone-else@example.org")
    client.force_login(intruder)
    response = client.post(accept_url(invitation))
    assert response.status_code == 200
    assert "This invitation was sent to colleague@example.org" in response.text
    assert "someone-else@example.org" in response.text
    assert not Membership.objects.filter(user=intruder).exists()


def test_expired_invitation_is_refused_clearly(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(colleague)
    response = client.post(accept_url(invitation))
    assert "This invitation has expired" in response.text
    assert not Membership.objects.filter(user=colleague).exists()


def test_used_invitation_cannot_be_used_again(client, invitation):
    colleague = UserFactory(email="colleague@example.org")
    client.force_login(colleague)
    client.post(accept_url(invitation))
    response = client.post(accept_url(invitation))
    assert "already been used" in response.text


def test_unknown_invitation_token_is_not_found(client):
    assert client.get(reverse("intake:invitation_accept", args=["nope" * 10])).status_code == 404


def test_applicants_find_their_organisation_from_the_menu(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    text = client.get(reverse("intake:call_list")).text
    assert f'href="{reverse("intake:organisation_detail")}"' in text


def test_invitations_waiting_for_an_answer_are_capped(client):
    membership = MembershipFactory()
    for index in range(services.MAX_PENDING_INVITATIONS):
        services.invite_to_organisation(membership.organisation, f"c{index}@example.org", by=membership.user)
    client.force_login(membership.user)
    response = client.post(invite_url(membership.organisation), {"email": "one-more@example.org"})
    assert "Too many invitations" in response.text
    assert not Invitation.objects.filter(email="one-more@example.org").exists()
    # Renewing one that is already pending still works.
    response = client.post(invite_url(membership.organisation), {"email": "c0@example.org"})
    assert response.status_code == 302


# --- Editing the details ------------------------------------------------------------------


def test_member_edits_the_details_and_the_change_is_audited(client):
    membership = MembershipFactory(organisation__population=100000)
    client.force_login(membership.user)
    url = reverse("intake:organisation_edit", args=[membership.organisation.pk])
    data = {**CITY, "name": membership.organisation.name, "country": "IT", "population": "120000"}
    response = client.post(url, data)
    assert response.url == detail_url(membership.organisation)
    membership.organisation.refresh_from_db()
    assert membership.organisation.population == 120000
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.before["population"] == 100000
    assert event.after["population"] == 120000


def test_details_are_locked_once_an_application_is_submitted(client):
    membership = MembershipFactory()
    ApplicationFactory(organisation=membership.organisation, status=Status.SUBMITTED)
    client.force_login(membership.user)
    url = reverse("intake:organisation_edit", args=[membership.organisation.pk])
    response = client.post(url, {**CITY, "country": "IT"})
    assert response.status_code == 302
    membership.organisation.refresh_from_db()
    assert membership.organisation.name != CITY["name"]
    assert "Edit the details" not in client.get(detail_url(membership.organisation)).text


def test_non_member_cannot_edit(client):
    client.force_login(MembershipFactory().user)
    other = MembershipFactory().organisation
    assert client.get(reverse("intake:organisation_edit", args=[other.pk])).status_code == 404
