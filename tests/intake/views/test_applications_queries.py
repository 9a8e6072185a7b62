"""The applicant's dashboard: status, next step, deadline and history, in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake import services
from tests.factories import ApplicationFactory, OrganisationFactory
from tests.factories.applications import applicant, call_with_questions, fill_in

pytestmark = pytest.mark.django_db


def applications_of(user, count):
    """``count`` applications of the user's organisations, each with a few status changes."""
    for _ in range(count):
        organisation = OrganisationFactory()
        organisation.memberships.create(user=user)
        call = call_with_questions()
        application, _created = services.start_application(call, organisation, by=user)
        fill_in(application, user)
        services.submit_application(application, user, declaration=True, privacy_accepted=True)


def dashboard_queries(client, count):
    user = applicant()
    applications_of(user, count)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("intake:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("Submitted") >= count
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_applications(client):
    small = dashboard_queries(client, 1)
    large = dashboard_queries(client, 6)
    assert small == large
    assert small <= 8


def test_dashboard_shows_status_next_step_deadline_and_history(client):
    call = call_with_questions(title_en="PACTESUR 2")
    user = applicant(full_name="Ada Rossi")
    application = fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user)
    services.submit_application(application, user, declaration=True, privacy_accepted=True)
    application.refresh_from_db()
    client.force_login(user)
    content = client.get(reverse("intake:dashboard")).content.decode()
    assert application.reference in content
    assert "Submitted. The coordinators will check eligibility" in content
    assert "Deadline:" in content and ("CET" in content or "CEST" in content)
    assert "Ada Rossi · Draft → Submitted" in content


def test_a_submitted_application_after_the_closing_shows_no_deadline_and_no_form_marks(client):
    call = call_with_questions(title_en="PACTESUR 2")
    user = applicant(full_name="Ada Rossi")
    application = fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user)
    services.submit_application(application, user, declaration=True, privacy_accepted=True)
    client.force_login(user)
    page = reverse("intake:application_detail", args=[application.pk])

    before = client.get(page).content.decode()
    call.opens_at -= dt.timedelta(days=60)
    call.closes_at = timezone.now() - dt.timedelta(days=1)
    call.save()
    after = client.get(page).content.decode()

    assert "Deadline:" in before
    assert "Deadline:" not in after
    assert "(required)" not in after
