"""The Django admin changes a call's evaluation settings the way the pages do: audited, and
not at all once the selection is final."""

import lxml.html
import pytest

from portal.models import AuditEvent
from reviews.models import ReviewSettings
from tests.factories import UserFactory
from tests.factories.reviews import ClosedCallFactory

pytestmark = pytest.mark.django_db


def form_data(page):
    """What the browser would post for the admin's change form as rendered."""
    form = lxml.html.fromstring(page).get_element_by_id("call_form")
    data = {}
    for field in form.inputs:
        if field.name is None or getattr(field, "type", "") in ("submit", "file"):
            continue
        if getattr(field, "type", "") == "checkbox":
            if field.checked:
                data[field.name] = field.value or "on"
            continue
        if field.tag == "select" and field.multiple:
            data[field.name] = list(field.value)
            continue
        data[field.name] = field.value or ""
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_url(call):
    return f"/admin/intake/call/{call.pk}/change/"


def test_a_settings_change_in_the_admin_is_audited_like_one_on_the_pages(admin_client):
    call = ClosedCallFactory()
    ReviewSettings.objects.ensure(call)
    data = form_data(admin_client.get(change_url(call)).content)
    data["review_settings-0-evaluators_per_application"] = "2"

    response = admin_client.post(change_url(call), data)

    assert response.status_code == 302
    assert ReviewSettings.objects.get(call=call).evaluators_per_application == 2
    event = AuditEvent.objects.get(action="review_settings.changed", call_id=call.pk)
    assert event.after == {"evaluators_per_application": 2}


def test_the_admin_cannot_change_the_settings_of_a_final_selection(admin_client):
    call = ClosedCallFactory()
    review_settings = ReviewSettings.objects.ensure(call)
    review_settings.finalised_at = call.closes_at
    review_settings.save()
    data = form_data(admin_client.get(change_url(call)).content)
    data["review_settings-0-evaluators_per_application"] = "2"

    response = admin_client.post(change_url(call), data)

    assert response.status_code == 200
    assert "The selection is final" in response.content.decode()
    assert ReviewSettings.objects.get(call=call).evaluators_per_application == 3
