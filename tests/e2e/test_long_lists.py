"""The coordinator's long lists in a real browser: pages of the ranking and of the
applications, filters kept from page to page, in English and French, with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from portal import roles
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import log_in
from tests.factories.selection import scored_call

COUNTRIES = ["FR", "IT", "ES", "BE", "DE", "PT", "NL"]


@pytest.fixture
def crowded(transactional_db, monkeypatch):
    from reviews.views import coordinator, ranking

    monkeypatch.setattr(ranking, "RANKING_PER_PAGE", 4)
    monkeypatch.setattr(coordinator, "APPLICATIONS_PER_PAGE", 4)
    roles.ensure_groups()
    setup = scored_call(places=3, reserve_size=2, max_per_country=1)
    for i in range(10):
        setup.city(f"City {i:02d}", COUNTRIES[i % len(COUNTRIES)], (5 - i * 0.4, 4, 4), (4, 4, 4))
    setup.coordinator.email = "officer@efus.example"
    setup.coordinator.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=setup.coordinator, email=setup.coordinator.email, verified=True, primary=True
    )
    return setup


def test_a_coordinator_pages_through_the_ranking_and_the_applications(page, crowded):
    log_in(page, "officer@efus.example")
    page.goto(f"/coordination/calls/{crowded.call.slug}/ranking/")
    main = page.locator("main")
    expect(main).to_contain_text("10 applications ranked.")
    expect(main).to_contain_text("3 proposed for a place, 2 on the reserve list.")
    pages = page.get_by_role("navigation", name="Pages of the ranking")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–4 of 10")
    assert_accessible(page, where="ranking, first page")
    pages.get_by_role("link", name="Next").click()
    expect(pages.locator("[aria-current=page]")).to_have_text("5–8 of 10")
    expect(main.locator("tbody tr").first).to_contain_text("City 04")
    pages.get_by_role("link", name="Last").click()
    expect(pages.locator("[aria-current=page]")).to_have_text("9–10 of 10")

    page.goto(f"/coordination/calls/{crowded.call.slug}/applications/")
    page.get_by_label("Sort by").select_option("city")
    page.get_by_role("button", name="Filter").click()
    pages = page.get_by_role("navigation", name="Pages of applications")
    pages.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"sort=city.*after=|after=.*sort=city"))
    expect(page.locator("main tbody tr").first).to_contain_text("City 04")
    assert_accessible(page, where="applications, second page")

    page.goto(f"/coordination/calls/{crowded.call.slug}/ranking/")
    page.locator("button[name=language][value=fr]").click()
    pages = page.get_by_role("navigation", name="Pages du classement")
    expect(pages.locator("[aria-current=page]")).to_have_text("1–4 sur 10")
    expect(pages.get_by_role("link", name="Suivant")).to_be_visible()
    assert_accessible(page, where="ranking in French")
