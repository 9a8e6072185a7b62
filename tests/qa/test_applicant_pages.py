"""The applicant's step pages as a person sees them."""

import re

import pytest
from django.urls import reverse

from intake.models import Application
from tests.factories.applications import applicant, call_with_questions

pytestmark = pytest.mark.django_db


def test_step_badges_never_shrink_over_a_long_section_title(client):
    call = call_with_questions()
    user = applicant()
    client.force_login(user)
    client.post(reverse("intake:apply", args=[call.slug]), {"organisation": user.organisations.get().pk})
    application = Application.objects.get()

    page = client.get(reverse("intake:application_step", args=[application.pk, 1])).content.decode()

    steps = re.findall(r'<li class="list-group-item d-flex[^"]*"', page)
    badges = re.findall(r'<span class="badge text-bg-(?:success|warning)[^"]*"', page)
    assert steps and all("gap-2" in item for item in steps)
    assert badges and all("flex-shrink-0" in badge for badge in badges)


def test_application_page_names_the_city_once_in_its_header(client):
    call = call_with_questions()
    user = applicant()
    client.force_login(user)
    client.post(reverse("intake:apply", args=[call.slug]), {"organisation": user.organisations.get().pk})
    application = Application.objects.get()
    name = application.organisation.name

    detail = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
    step = client.get(reverse("intake:application_step", args=[application.pk, 1])).content.decode()

    header = detail[detail.index('<header class="mb-4">') : detail.index("</header>")]
    assert header.count(name) == 1
    # Where the heading is the step, the city is named beside the status.
    step_header = step[step.index('<header class="mb-4">') : step.index("</header>")]
    assert name in step_header
