"""Applying an automatic assignment is a bulk job: its queries do not grow with the applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEvent
from reviews import services
from reviews.models import Assignment
from tests.factories import OrganisationFactory

from .factories import ClosedCallFactory, InReviewApplicationFactory, coordinator_of, evaluator_of

pytestmark = pytest.mark.django_db


def applied_run(n_applications):
    """(call, queries) of applying an automatic run to a call of ``n_applications``, 4 evaluators."""
    call = ClosedCallFactory()
    for i in range(n_applications):
        InReviewApplicationFactory(call=call, organisation=OrganisationFactory(country=("FR", "IT")[i % 2]))
    for _ in range(4):
        evaluator_of(call)
    coordinator = coordinator_of(call)
    with CaptureQueriesContext(connection) as captured:
        services.apply_assignments(call, seed=11, by=coordinator)
    return call, len(captured.captured_queries)


def test_applying_a_run_takes_the_same_queries_for_few_and_many_applications():
    _call, few = applied_run(3)
    call, many = applied_run(30)
    assert many == few
    # Each assignment is stored and audited, one audit entry each.
    created = {
        str(pk) for pk in Assignment.objects.filter(application__call=call).values_list("pk", flat=True)
    }
    assert len(created) == 90
    audited = AuditEvent.objects.filter(call_id=call.pk, action="assignment.created")
    assert set(audited.values_list("object_id", flat=True)) == created
