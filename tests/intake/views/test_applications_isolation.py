"""An applicant sees only their own organisation's applications and files: the rest is 404."""

import pytest
from django.urls import reverse

from intake import services
from intake.models import Answer, Status
from tests.factories import ApplicationFactory, UserFactory
from tests.factories.applications import applicant, call_with_questions, pdf_bytes, question, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cities():
    call = call_with_questions()
    city_a = applicant(full_name="Applicant of city A")
    city_b = applicant(full_name="Applicant of city B")
    application_a = ApplicationFactory(call=call, organisation=city_a.organisations.get())
    application_b = ApplicationFactory(call=call, organisation=city_b.organisations.get())
    services.save_answers(
        application_b,
        [services.AnswerChange(question(call, "motivation"), "City B's secret plans")],
        by=city_b,
    )
    document_b = services.add_document(
        application_b, question(call, "letter"), upload("b-letter.pdf", pdf_bytes("B")), by=city_b
    )
    return city_a, application_a, application_b, document_b


def application_urls(pk):
    return [
        ("get", reverse("intake:application_detail", args=[pk])),
        ("get", reverse("intake:application_summary", args=[pk])),
        ("get", reverse("intake:application_submit", args=[pk])),
        ("post", reverse("intake:application_submit", args=[pk])),
        ("get", reverse("intake:application_withdraw", args=[pk])),
        ("post", reverse("intake:application_withdraw", args=[pk])),
        *[("get", reverse("intake:application_step", args=[pk, step])) for step in (1, 2, 3)],
        *[("post", reverse("intake:application_step", args=[pk, step])) for step in (1, 2, 3)],
        ("post", reverse("intake:application_autosave", args=[pk, 1])),
    ]


def _request(client, method, url):
    data = {
        "q_motivation": "Overwritten by city A",
        "declaration": "on",
        "privacy": "on",
        "confirm": "on",
        "remove_document": "1",
        "action": "save",
    }
    return getattr(client, method)(url, data if method == "post" else None)


def test_applicant_of_city_a_gets_404_on_every_url_of_city_b(client, two_cities):
    city_a, _, application_b, document_b = two_cities
    client.force_login(city_a)
    guessed = application_b.pk + 1000
    for method, url in application_urls(application_b.pk) + application_urls(guessed):
        assert _request(client, method, url).status_code == 404, (method, url)
    for pk in (document_b.pk, document_b.pk + 1000):
        assert client.get(reverse("intake:document_download", args=[pk])).status_code == 404
    application_b.refresh_from_db()
    assert application_b.status == Status.DRAFT
    assert Answer.objects.get(application=application_b).value == "City B's secret plans"
    assert application_b.documents.count() == 1


def test_city_b_data_never_appears_on_city_a_pages(client, two_cities):
    city_a, application_a, application_b, _ = two_cities
    client.force_login(city_a)
    pages = [
        reverse("intake:dashboard"),
        reverse("intake:application_detail", args=[application_a.pk]),
        reverse("intake:application_summary", args=[application_a.pk]),
        reverse("intake:application_step", args=[application_a.pk, 1]),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "secret plans" not in content
        assert application_b.organisation.name not in content


def test_coordinator_of_the_call_reads_but_cannot_edit(client, two_cities):
    _, _, application_b, document_b = two_cities
    coordinator = UserFactory()
    application_b.call.coordinators.add(coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("intake:application_detail", args=[application_b.pk])).status_code == 200
    assert client.get(reverse("intake:document_download", args=[document_b.pk])).status_code == 200
    assert client.get(reverse("intake:application_step", args=[application_b.pk, 1])).status_code == 404


def test_coordinator_of_another_call_gets_404(client, two_cities):
    _, _, application_b, document_b = two_cities
    other = UserFactory()
    call_with_questions().coordinators.add(other)
    client.force_login(other)
    assert client.get(reverse("intake:application_detail", args=[application_b.pk])).status_code == 404
    assert client.get(reverse("intake:document_download", args=[document_b.pk])).status_code == 404


def test_stepping_outside_the_form_is_404(client, two_cities):
    city_a, application_a, _, _ = two_cities
    client.force_login(city_a)
    for step in (0, 4):
        assert (
            client.get(reverse("intake:application_step", args=[application_a.pk, step])).status_code == 404
        )


def test_removing_another_citys_document_through_my_own_form_does_nothing(client, two_cities):
    city_a, application_a, application_b, document_b = two_cities
    client.force_login(city_a)
    client.post(
        reverse("intake:application_step", args=[application_a.pk, 3]), {"remove_document": document_b.pk}
    )
    assert application_b.documents.filter(pk=document_b.pk).exists()
