"""The page where a selected city answers its decision: accept, decline, what it needs,
what it shows after the answer or the deadline, and who may open it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import Status
from partners import services
from partners.models import Partner
from reviews.models import Decision, Outcome, Response
from tests.factories import DEFAULT_PASSWORD
from tests.factories.intake import MembershipFactory
from tests.factories.partners import project_coordinator, selected_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def selected(client):
    application = selected_application()
    application.call.reply_deadline = timezone.now() + dt.timedelta(days=10)
    application.call.save()
    member = application.organisation.members.get()
    client.force_login(member)
    return application, member


def reply_url(application):
    return reverse("partners:reply", args=[application.pk])


def decision_of(application):
    return Decision.objects.get(application=application)


def test_the_page_gives_the_deadline_and_what_each_answer_means(client, selected):
    application, _member = selected
    page = client.get(reply_url(application)).content.decode()
    assert "Please answer by" in page and application.call.timezone in page
    assert "becomes an associated partner" in page and "reserve list" in page
    assert 'name="answer"' in page and 'name="confirm"' in page


def test_without_the_authorisation_ticked_nothing_is_recorded_and_the_note_stays(client, selected):
    application, _member = selected
    response = client.post(reply_url(application), {"answer": "decline", "note": "Council vote of 2 May"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the marked fields." in page and "data-focus-on-load" in page
    assert "Council vote of 2 May" in page
    assert decision_of(application).response == Response.PENDING


def test_declining_hands_the_place_on_and_says_so(client, selected):
    application, _member = selected
    reserve = selected_application(application.call)
    reserve.status = Status.RESERVE
    reserve.save()
    Decision.objects.filter(application=reserve).update(outcome=Outcome.RESERVE, reserve_position=1, rank=12)
    application.call.places = 1
    application.call.save()
    response = client.post(
        reply_url(application),
        {"answer": "decline", "confirm": "on", "note": "No staff this year"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("intake:application_detail", args=[application.pk])
    assert "your city declines the place" in response.content.decode()
    assert decision_of(application).response == Response.DECLINED
    reserve.refresh_from_db()
    assert reserve.status == Status.SELECTED and not Partner.objects.exists()
    page = client.get(reply_url(application)).content.decode()
    assert "Your city declined its place." in page and 'name="answer"' not in page


def test_once_accepted_the_page_leads_to_the_partner_space_and_takes_no_second_answer(client, selected):
    application, member = selected
    partner = services.accept_place(application, by=member)
    page = client.get(reply_url(application)).content.decode()
    assert "accepted its place" in page and 'name="answer"' not in page
    assert reverse("partners:partner_home", args=[partner.pk]) in page
    client.post(reply_url(application), {"answer": "decline", "confirm": "on"})
    assert decision_of(application).response == Response.ACCEPTED


def test_after_the_deadline_the_city_is_told_to_write_and_a_post_records_nothing(client, selected):
    application, _member = selected
    application.call.reply_deadline = timezone.now() - dt.timedelta(minutes=1)
    application.call.save()
    page = client.get(reply_url(application)).content.decode()
    assert "The reply deadline has passed" in page and 'name="answer"' not in page
    client.post(reply_url(application), {"answer": "accept", "confirm": "on"})
    assert decision_of(application).response == Response.PENDING and not Partner.objects.exists()


def test_a_city_on_the_reserve_list_has_nothing_to_answer(client, selected):
    application, _member = selected
    application.status = Status.RESERVE
    application.save()
    page = client.get(reply_url(application)).content.decode()
    assert "There is nothing to answer" in page and 'name="answer"' not in page


def test_another_city_a_coordinator_and_an_undecided_application_get_404(client, selected):
    application, _member = selected
    client.force_login(MembershipFactory().user)
    assert client.get(reply_url(application)).status_code == 404
    assert client.post(reply_url(application), {"answer": "accept", "confirm": "on"}).status_code == 404
    client.force_login(project_coordinator(application.call.project))
    assert client.get(reply_url(application)).status_code == 404
    undecided = selected_application()
    Decision.objects.filter(application=undecided).delete()
    client.force_login(undecided.organisation.members.get())
    assert client.get(reply_url(undecided)).status_code == 404
    assert decision_of(application).response == Response.PENDING


def test_the_main_menu_offers_the_partnership_once_accepted_and_at_each_login(client, selected):
    application, _member = selected
    menu_entry = f'href="{reverse("partners:my_partnerships")}"'
    before = client.get(reverse("intake:dashboard")).content.decode()
    assert "My organisation" in before and menu_entry not in before

    client.post(reply_url(application), {"answer": "accept", "confirm": "on"})
    assert menu_entry in client.get(reverse("intake:dashboard")).content.decode()

    colleague = MembershipFactory(organisation=application.organisation).user
    other = Client()
    other.post(reverse("account_login"), {"login": colleague.email, "password": DEFAULT_PASSWORD})
    assert menu_entry in other.get(reverse("intake:dashboard")).content.decode()
