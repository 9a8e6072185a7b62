"""Redis down (the broker and the cache, as the README advises for production): a request
whose work is committed still answers with its success page, and nothing is lost."""

import pytest
from django.test import override_settings
from django.urls import reverse

from intake.models import Application, Status
from notifications.models import Message, MessageStatus
from reviews.models import Decision
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory
from tests.factories.selection import scored_call
from tests.integration.conftest import live_broker, own_queue_name
from tests.utils import page_state

pytestmark = pytest.mark.django_db(transaction=True)


def redis_cache(url):
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


@pytest.fixture
def redis_is_down(postgres_and_redis, private_redis):
    """The portal's broker and cache are a Redis of the test's own, stopped."""
    with (
        live_broker(private_redis.url, own_queue_name()),
        override_settings(CACHES=redis_cache(private_redis.url)),
    ):
        private_redis.stop()
        yield private_redis


def test_finalising_with_redis_down_shows_the_success_page_and_keeps_every_email(client, redis_is_down):
    setup = scored_call(places=1, reserve_size=1)
    setup.city("Nice", "FR", (5, 5, 5), (5, 4, 4), (4, 4, 4))
    setup.city("Turin", "IT", (3, 3, 3), (3, 3, 3), (3, 3, 3))
    client.force_login(setup.coordinator)

    response = client.post(
        reverse("reviews:selection_finalise", args=[setup.call.slug]), {"note": "", "confirm": "on"}
    )

    assert response.status_code == 302
    assert Decision.objects.filter(application__call=setup.call).count() == 2
    decisions = Message.objects.filter(kind="decision")
    assert decisions.count() == 2
    # Waiting for their letters, which the sweep will ask for again once Redis is back.
    assert set(decisions.values_list("status", flat=True)) == {MessageStatus.QUEUED}


def test_submitting_with_redis_down_shows_the_confirmation_and_keeps_its_email(client, redis_is_down):
    call = CallFactory()
    application = ApplicationFactory(call=call)
    user = MembershipFactory(organisation=application.organisation).user
    client.force_login(user)
    url = reverse("intake:application_submit", args=[application.pk])

    response = client.post(url, {**page_state(client, url), "declaration": "on", "privacy": "on"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert Message.objects.filter(kind="submission_confirmation", status=MessageStatus.QUEUED).count() == 1
    assert Application.objects.filter(pk=application.pk, reference__startswith=call.reference_prefix).exists()
