"""Who is offered to apply on the public call page."""

import pytest
from django.urls import reverse

from portal import roles
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db


def apply_link_shown(client, user):
    call = CallFactory()
    if user:
        client.force_login(user)
    page = client.get(reverse("intake:call_detail", args=[call.slug])).content.decode()
    return reverse("intake:apply", args=[call.slug]) in page


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.EVALUATOR])
def test_staff_are_not_offered_to_apply(client, role):
    assert not apply_link_shown(client, UserFactory(role=role))


def test_applicants_and_visitors_are_offered_to_apply(client):
    assert apply_link_shown(client, None)
    assert apply_link_shown(client, UserFactory(role=roles.APPLICANT))
