"""An invitation names its call: accepting it makes the person coordinator or evaluator of that call."""

import pytest
from django.urls import reverse

from intake import services
from intake.models import Invitation
from portal import roles
from portal.models import AuditEvent
from reviews.models import CallEvaluator
from tests.factories import CallFactory, UserFactory
from tests.factories.reviews import evaluator_of

pytestmark = pytest.mark.django_db


def accept(client, user, invitation):
    client.force_login(user)
    return client.post(reverse("intake:invitation_accept", args=[invitation.token]))


def test_an_evaluator_invited_for_a_call_evaluates_that_call_only(client):
    call, other = CallFactory(), CallFactory()
    officer = UserFactory(role=roles.COORDINATOR)
    invitation = services.invite_staff("expert@example.org", roles.EVALUATOR, by=officer, call=call)
    expert = UserFactory(email="expert@example.org")
    accept(client, expert, invitation)
    record = CallEvaluator.objects.get(user=expert)
    assert record.call == call and record.is_active
    assert not CallEvaluator.objects.filter(call=other).exists()
    assert roles.EVALUATOR in roles.role_names(expert)
    event = AuditEvent.objects.get(action="evaluator.added")
    assert event.actor == officer and event.call_id == call.pk
    assert not call.coordinators.filter(pk=expert.pk).exists()


def test_accepting_again_as_an_existing_evaluator_adds_no_second_record(client):
    call = CallFactory()
    expert = evaluator_of(call, email="expert@example.org")
    CallEvaluator.objects.filter(user=expert).update(is_active=False)
    invitation = services.invite_staff("expert@example.org", roles.EVALUATOR, call=call)
    accept(client, expert, invitation)
    assert list(CallEvaluator.objects.filter(user=expert).values_list("is_active", flat=True)) == [True]


def test_a_coordinator_invited_for_a_call_coordinates_it_and_is_no_evaluator(client):
    call = CallFactory()
    invitation = services.invite_staff("officer@example.org", roles.COORDINATOR, call=call)
    officer = UserFactory(email="officer@example.org", totp=True)  # staff set up two factors
    accept(client, officer, invitation)
    assert call.coordinators.filter(pk=officer.pk).exists()
    assert not CallEvaluator.objects.exists()
    # The call's pages open to them at once.
    assert client.get(reverse("reviews:call_overview", args=[call.slug])).status_code == 200


def test_an_invitation_without_a_call_grants_only_the_role(client):
    invitation = services.invite_staff("expert@example.org", roles.EVALUATOR)
    expert = UserFactory(email="expert@example.org")
    accept(client, expert, invitation)
    assert roles.EVALUATOR in roles.role_names(expert)
    assert not CallEvaluator.objects.exists()
    assert Invitation.objects.get().accepted_by == expert
