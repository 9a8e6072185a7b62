"""Seat limits hold when two colleagues nominate at the same moment (PostgreSQL, two connections)."""

import threading

import pytest
from django.db import connection, connections

from partners import services
from partners.models import Participant
from tests.factories.partners import ActivityFactory, participant_values, partner_with_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_simultaneous_nominations_cannot_both_take_the_last_seat():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project, seats_per_partner=1, seats_total=10)
    barrier = threading.Barrier(2)
    outcomes = []

    def nominate(name):
        try:
            barrier.wait(timeout=10)
            services.nominate(partner, activity, by=member, values=participant_values(name=name))
            outcomes.append("nominated")
        except services.PartnershipError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=nominate, args=(name,)) for name in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["nominated", "refused"]
    assert Participant.objects.filter(activity=activity).count() == 1
