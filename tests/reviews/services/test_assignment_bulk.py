"""Applying an automatic assignment is a bulk job: its queries do not grow with the applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEvent
from reviews import services
from reviews.models import Assignment
from tests.factories import OrganisationFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    coordinator_of,
    evaluator_of,
)

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


def test_an_assignment_reads_the_same_in_the_audit_log_whether_made_by_hand_or_by_a_run():
    call = ClosedCallFactory()
    by_hand, by_run = (InReviewApplicationFactory(call=call) for _ in range(2))
    first, second = evaluator_of(call), evaluator_of(call)
    coordinator = coordinator_of(call)
    services.assign_evaluator(by_hand, first, by=coordinator)
    services.assign_evaluator(by_hand, second, by=coordinator)
    services.apply_assignments(call, seed=3, by=coordinator)

    events = {
        event.object_id: event
        for event in AuditEvent.objects.filter(call_id=call.pk, action="assignment.created")
    }
    manual = Assignment.objects.get(application=by_hand, evaluator=first)
    automatic = Assignment.objects.filter(application=by_run).first()
    manual_event, automatic_event = events[str(manual.pk)], events[str(automatic.pk)]
    assert manual_event.object_repr == str(manual)
    assert automatic_event.object_repr == str(automatic)
    assert automatic_event.actor == manual_event.actor == coordinator
    assert set(manual_event.after) == {"application", "evaluator", "batch"}
    assert set(automatic_event.after) == {"application", "evaluator", "batch", "seed"}
