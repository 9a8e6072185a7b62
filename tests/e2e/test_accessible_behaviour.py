"""What axe cannot see, checked as a keyboard or screen-reader user would meet it: where the
focus goes after a refused form, what row links are called, whether the step's sticky bar hides
the focused field, what the character counter announces, charts told as tables, and pages that
fit a 320 px wide screen without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from intake import services as intake_services
from intake.models import Application
from portal import roles
from tests.factories.applications import applicant, call_with_questions
from tests.factories.reviews import SubmittedApplicationFactory, assigned, coordinator_of
from tests.factories.selection import scored_call

from .conftest import log_in
from .test_accessibility import logged_in

PHONE = {"width": 320, "height": 640}
FOCUSED_BOX = """() => {
  const element = document.activeElement;
  return {tag: element.tagName, bottom: element.getBoundingClientRect().bottom,
          inBar: !!element.closest(".step-actions")};
}"""


@pytest.fixture
def draft(transactional_db):
    roles.ensure_groups()
    call = call_with_questions()
    user = applicant()
    application, _ = intake_services.start_application(call, user.organisations.get(), by=user)
    return application, user


def open_step(page, application, user, step):
    log_in(page, user.email)
    page.goto(f"/applications/{application.pk}/steps/{step}/")


WIDER_THAN_THE_SCREEN = """() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) { return []; }
  return Array.from(document.querySelectorAll("body *"))
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(element => !element.closest(".table-responsive, .visually-hidden"))
    .slice(0, 8)
    .map(element => [element.tagName, element.className, Math.round(element.getBoundingClientRect().right)]);
}"""


def fits_the_width(page):
    """True when nothing scrolls sideways; else fails naming what sticks out."""
    wider = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert not wider, f"{page.url} scrolls sideways at {page.viewport_size['width']} px: {wider}"
    return True


def test_after_a_refused_save_the_focus_is_on_a_summary_linking_to_each_field(page, draft):
    application, user = draft
    open_step(page, application, user, 1)
    page.locator("[name=q_officers]").fill("999999")  # at most 5000
    page.locator(".step-actions").get_by_role("button", name="Save", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Some answers were not saved")
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator("[name=q_officers]")).to_be_focused()


def test_a_refused_login_is_announced_and_focused(page, transactional_db):
    user = applicant()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill("not the password")
    page.locator("main form button[type=submit]").click()

    alert = page.get_by_role("alert")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("not correct")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 375, "height": 600}])
def test_the_sticky_save_bar_never_hides_the_focused_field(page, draft, viewport):
    application, user = draft
    page.set_viewport_size(viewport)
    page.emulate_media(reduced_motion="reduce")  # the page jumps to the field instead of gliding
    open_step(page, application, user, 2)
    bar = page.locator(".step-actions")
    fields = page.locator("#application-form .autosave-area").locator(
        "input:visible, select:visible, textarea:visible"
    )
    assert fields.count() >= 3
    page.locator("#application-form .autosave-area").locator("input, select, textarea").first.focus()
    for _ in range(fields.count() + 2):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_BOX)
        if focused["inBar"] or focused["tag"] == "BODY":
            break
        bar_top = bar.bounding_box()["y"]
        assert focused["bottom"] <= bar_top, (focused, bar_top)


def test_the_character_counter_speaks_only_near_the_limit_once_typing_pauses(page, draft):
    application, user = draft
    open_step(page, application, user, 1)
    field = page.locator("[name=q_motivation]")  # at most 200 characters
    counter = page.locator(".char-counter")
    expect(counter).not_to_have_attribute("aria-live", re.compile(".*"))
    announcer = page.locator("#counter-announcer")
    expect(announcer).to_have_attribute("role", "status")

    field.press_sequentially("A short start.")
    page.wait_for_timeout(1300)
    expect(announcer).to_have_text("")
    expect(counter).to_contain_text("14 / 200")

    field.fill("x" * 185)
    field.press_sequentially("yy")
    expect(announcer).to_have_text("")  # still typing
    expect(announcer).to_have_text("13 characters left", timeout=3000)
    field.press_sequentially("z" * 20)
    expect(announcer).to_have_text("too long by 7", timeout=3000)


@pytest.fixture
def screened_call(transactional_db):
    roles.ensure_groups()
    scored = scored_call(evaluators=2)
    bologna = scored.city("Bologna", "IT", [4, 4, 4], [3, 4, 3])
    scored.city("Lyon", "FR", [2, 2, 1], [2, 1, 2])
    scored.city("Porto", "PT", [3, 3, 3])
    for name in ("Gent", "Graz"):
        application = SubmittedApplicationFactory(call=scored.call, organisation__name=name)
        assigned(application, scored.evaluators[0], confirmed=False)
    return scored, bologna


def test_row_links_name_their_city(page, live_server, screened_call):
    scored, _bologna = screened_call
    logged_in(page.context, scored.coordinator, live_server.url)
    page.goto(f"/coordination/calls/{scored.call.slug}/screening/")
    names = page.locator("tbody a").evaluate_all(
        "links => links.map(link => link.textContent.replace(/\\s+/g, ' ').trim())"
    )
    assert len(names) == 5 and len(set(names)) == 5, names
    expect(page.get_by_role("link", name=re.compile(r"^Screen Gent\b"))).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile(r"^See Bologna\b"))).to_have_count(1)

    evaluator = scored.evaluators[0]
    logged_in(page.context, evaluator, live_server.url)
    page.goto("/evaluation/")
    names = page.locator("tbody a").evaluate_all(
        "links => links.map(link => link.textContent.replace(/\\s+/g, ' ').trim())"
    )
    assert len(names) == 5 and len(set(names)) == 5, names
    expect(page.get_by_role("link", name=re.compile(r"^Open the review Bologna\b"))).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile(r"^Check for conflicts Graz\b"))).to_have_count(1)


def test_the_dashboard_tells_its_charts_as_tables_and_fits_a_phone(page, live_server, screened_call):
    scored, _bologna = screened_call
    logged_in(page.context, scored.coordinator, live_server.url)
    page.set_viewport_size(PHONE)
    page.goto(f"/coordination/calls/{scored.call.slug}/dashboard/")
    assert fits_the_width(page)

    tables = page.locator("details.chart-data")
    expect(tables).to_have_count(3)
    by_country = tables.filter(has_text="Applications by country")
    by_country.locator("summary").click()
    expect(by_country.get_by_role("row", name=re.compile(r"^Italy 3$"))).to_be_visible()
    scores = tables.filter(has_text="Distribution of final scores")
    scores.locator("summary").click()
    rows = scores.locator("tbody tr")
    counts = [int(text) for text in rows.locator("td").all_inner_texts()]
    assert sum(counts) == 3  # Bologna, Lyon and Porto have a final score
    assert fits_the_width(page)


def test_the_applicants_pages_fit_a_phone(page, draft):
    application, user = draft
    page.set_viewport_size(PHONE)
    log_in(page, user.email)
    for url in (
        "/dashboard/",
        "/applications/",
        f"/calls/{application.call.slug}/",
        f"/applications/{application.pk}/",
        f"/applications/{application.pk}/steps/1/",
        f"/applications/{application.pk}/steps/2/",
        f"/applications/{application.pk}/steps/3/",
        f"/applications/{application.pk}/summary/",
        f"/applications/{application.pk}/submit/",
    ):
        page.goto(url)
        assert fits_the_width(page), url
    assert Application.objects.get().is_draft


def test_scores_under_a_threshold_are_marked_in_words(page, live_server, transactional_db):
    roles.ensure_groups()
    scored = scored_call(evaluators=1, threshold=2)
    scored.city("Lyon", "FR", [1, 3, 3])
    coordinator = coordinator_of(scored.call)
    logged_in(page.context, coordinator, live_server.url)
    page.goto(f"/coordination/calls/{scored.call.slug}/ranking/")
    expect(page.locator("tbody td.text-danger")).to_contain_text("below threshold")


# The contrast of two CSS colours (WCAG 2.1 relative luminance), computed in the page.
CONTRAST = """([first, second]) => {
  const channel = value => {
    value /= 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = colour => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(channel);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


def style(locator, prop):
    return locator.evaluate("(element, prop) => getComputedStyle(element)[prop]", prop)


def test_field_edges_and_focus_rings_stand_out_three_to_one(page, draft):
    application, user = draft
    open_step(page, application, user, 1)
    background = style(page.locator("main"), "backgroundColor")
    if background in ("rgba(0, 0, 0, 0)", "transparent"):
        background = style(page.locator("body"), "backgroundColor")
    for field in ("[name=q_motivation]", "[name=q_officers]", "[name=q_efus_member]"):
        edge = style(page.locator(field).first, "borderTopColor")
        assert page.evaluate(CONTRAST, [edge, background]) >= 3, (field, edge, background)

    page.locator("[name=q_officers]").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, as :focus-visible asks
    ring = style(page.locator("[name=q_officers]"), "outlineColor")
    assert page.evaluate(CONTRAST, [ring, background]) >= 3

    navbar = page.locator(".portal-navbar")
    link = navbar.get_by_role("link", name="My dashboard")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    ring = style(link, "outlineColor")
    assert style(link, "outlineStyle") == "solid"
    assert page.evaluate(CONTRAST, [ring, style(navbar, "backgroundColor")]) >= 3
