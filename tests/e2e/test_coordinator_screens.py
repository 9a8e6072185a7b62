"""The coordinator's pages on the screens they are used on, in English and French.

At 1366 × 768 (the usual office laptop) the ranking table shows every column inside its
box, with headings that are not cut and the city kept in view when it scrolls; the main
menu fits; the dashboard's charts keep their names whole and readable on a phone; the
applicant's step list wraps between words, never inside one.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from demo.accounts import ensure_user
from demo.data.people import COORDINATOR_EMAIL, DEMO_PASSWORD, DEMO_TOTP_SECRETS, EVALUATOR_EMAILS
from demo.finished_call import seed_finished_call
from demo.open_call import ensure_call
from intake.models import Application
from portal import roles
from tests.e2e.conftest import log_in
from tests.factories import ApplicationFactory
from tests.factories.applications import applicant

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def finished_call(transactional_db):
    roles.ensure_groups()
    coordinator = ensure_user(
        COORDINATOR_EMAIL,
        "Claire Demo (coordinator)",
        role=roles.COORDINATOR,
        totp_secret=DEMO_TOTP_SECRETS[COORDINATOR_EMAIL],
    )
    evaluators = [
        ensure_user(
            email,
            f"Evaluator {n} (external expert)",
            role=roles.EVALUATOR,
            totp_secret=DEMO_TOTP_SECRETS[email],
        )
        for n, email in enumerate(EVALUATOR_EMAILS, 1)
    ]
    return seed_finished_call(coordinator, evaluators, letters=False)


def switch_language(page, language):
    page.set_viewport_size(LAPTOP)
    page.locator(f"button[name=language][value={language}]").click()
    page.wait_for_load_state()


RANKING_FITS = """() => {
  const table = document.querySelector('.ranking-table');
  const box = table.closest('.table-responsive');
  const cut = [...table.querySelectorAll('thead th')]
    .filter((th) => th.scrollWidth > th.clientWidth)
    .map((th) => th.textContent.trim());
  const city = table.querySelector('tbody .ranking-city');
  return {table: table.scrollWidth, box: box.clientWidth, cut, cityPosition: getComputedStyle(city).position};
}"""

CITY_STAYS = """() => {
  const box = document.querySelector('.ranking-scroll');
  const city = document.querySelector('.ranking-table tbody .ranking-city');
  const before = city.getBoundingClientRect().left;
  box.scrollLeft = box.scrollWidth;
  return {scrolled: box.scrollLeft, moved: city.getBoundingClientRect().left - before};
}"""

NAVBAR_FITS = """() => {
  const bar = document.querySelector('.portal-navbar .container');
  const toggler = getComputedStyle(document.querySelector('.navbar-toggler')).display;
  return {scroll: bar.scrollWidth, client: bar.clientWidth, toggler};
}"""

# Each chart's text as the eye sees it (its size times the chart's scale), and any text
# that starts left of the chart's edge (a name cut off).
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map((text) => ({
    text: text.textContent,
    px: parseFloat(text.getAttribute('font-size')) * scale,
    left: text.getBBox().x,
    right: text.getBBox().x + text.getBBox().width - svg.viewBox.baseVal.width,
  }));
})"""


def test_the_ranking_fits_a_laptop_screen_in_both_languages(page, finished_call):
    log_in(page, COORDINATOR_EMAIL, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRETS[COORDINATOR_EMAIL])
    ranking = reverse("reviews:ranking", args=[finished_call.slug])
    for language in ("en", "fr"):
        switch_language(page, language)
        page.goto(ranking)
        expect(page.locator(".ranking-table tbody tr")).not_to_have_count(0)
        measured = page.evaluate(RANKING_FITS)
        assert measured["table"] <= measured["box"], (language, measured)
        assert measured["cut"] == [], (language, measured)
        assert measured["cityPosition"] == "sticky"
        # Every criterion's abbreviation says its full name, which the key also gives.
        for criterion in finished_call.criteria.all():
            name = criterion.name_fr if language == "fr" and criterion.name_fr else criterion.name_en
            expect(page.locator("#ranking-criteria")).to_contain_text(name)
            expect(page.locator(f'.ranking-table thead abbr[title="{name}"]')).to_have_count(1)
        # Notes are folded: a tie's explanation opens on demand.
        if page.locator(".ranking-note").count():
            note = page.locator(".ranking-note").first
            expect(note.locator("summary")).to_be_visible()
            assert note.get_attribute("open") is None
        # Narrower, the table scrolls sideways and the city stays in view.
        page.set_viewport_size({"width": 992, "height": 768})
        moved = page.evaluate(CITY_STAYS)
        assert moved["scrolled"] > 0 and abs(moved["moved"]) < 1, moved
        page.set_viewport_size(LAPTOP)


def test_the_main_menu_fits_and_the_call_has_one_navigation_bar(page, finished_call):
    log_in(page, COORDINATOR_EMAIL, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRETS[COORDINATOR_EMAIL])
    switch_language(page, "fr")
    pages = ["call_overview", "call_dashboard", "ranking", "sensitivity", "exports", "call_audit"]
    for name in pages:
        for width in (1366, 1200, 992):
            page.set_viewport_size({"width": width, "height": 768})
            page.goto(reverse(f"reviews:{name}", args=[finished_call.slug]))
            measured = page.evaluate(NAVBAR_FITS)
            assert measured["scroll"] <= measured["client"], (name, width, measured)
            # Below 1200 px the menu is behind its button rather than squeezed.
            assert (measured["toggler"] == "none") == (width >= 1200), (name, width, measured)
        # One bar of the call's sections, the page's own entry marked as current.
        bars = page.locator("main nav.nav")
        expect(bars).to_have_count(1)
        expect(bars.locator("[aria-current=page]")).to_have_count(1)


def test_dashboard_charts_keep_names_whole_and_text_readable_on_a_phone(page, finished_call):
    log_in(page, COORDINATOR_EMAIL, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRETS[COORDINATOR_EMAIL])
    dashboard = reverse("reviews:call_dashboard", args=[finished_call.slug])
    for language in ("en", "fr"):
        switch_language(page, language)
        for viewport in (LAPTOP, PHONE):
            page.set_viewport_size(viewport)
            page.goto(dashboard)
            texts = page.evaluate(CHART_TEXT)
            assert texts
            small = [t for t in texts if t["px"] < 11.9]
            assert small == [], (language, viewport, small[:3])
            # A glyph may overhang its origin by a pixel (a "J"); a cut name loses far more.
            cut = [t["text"] for t in texts if t["left"] < -2 or t["right"] > 2]
            assert cut == [], (language, viewport, cut)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # Each evaluator's whole name is in the progress chart (as its text, or its tooltip).
    progress = page.locator("svg.chart").nth(2)
    for name in finished_call.evaluators.values_list("user__full_name", flat=True).distinct():
        expect(progress).to_contain_text(name)


STEP_WORDS_SPLIT = """() => [...document.querySelectorAll('.step-list .step-title a')].flatMap((link) => {
  const node = link.firstChild;
  const split = [];
  let at = 0;
  for (const part of node.textContent.split(/(\\s+)/)) {
    if (part.trim()) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + part.length);
      if (range.getClientRects().length > 1) split.push(part);
    }
    at += part.length;
  }
  return split;
})"""


def test_the_step_list_wraps_between_words_in_french(page, transactional_db):
    roles.ensure_groups()
    call, _created = ensure_call()
    person = applicant(email="maire@ville.example.fr", verified=True)
    application = ApplicationFactory(call=call, organisation=person.memberships.get().organisation)
    assert Application.objects.filter(pk=application.pk).exists()
    log_in(page, person.email)
    page.goto(reverse("intake:application_step", args=[application.pk, 1]))
    switch_language(page, "fr")
    for width in (1366, 992, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("intake:application_step", args=[application.pk, 1]))
        title = page.locator(".step-list .step-title").first
        assert title.evaluate("(e) => [getComputedStyle(e).wordBreak, getComputedStyle(e).overflowWrap]") == [
            "normal",
            "normal",
        ]
        assert page.evaluate(STEP_WORDS_SPLIT) == [], width
        overflowing = page.evaluate(
            "() => [...document.querySelectorAll('.step-list li')]"
            ".filter((li) => li.scrollWidth > li.clientWidth).length"
        )
        assert overflowing == 0, width
