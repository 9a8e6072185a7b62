"""A selected city's way into the project in a real browser: it accepts its place, downloads
its partnership agreement and uploads the signed copy, names its focal point, accepts the
participants' privacy notice and nominates an officer; the coordinator, in French, checks the
agreement and confirms the nomination, and the officer receives the invitation.

axe-core is not vendored in the portal yet, so these pages are not run through it here.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import ItemKind, ItemState, Participant, ParticipantStatus, Partner
from portal import roles
from tests.factories.partners import (
    ActivityFactory,
    project_coordinator,
    selected_application,
    standard_checklist,
)

from .conftest import log_in, wait_for_email

SCREENSHOTS = None  # set to a folder path to keep screenshots while working on the pages


def snap(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def selected_city(transactional_db):
    roles.ensure_groups()
    application = selected_application(organisation=None)
    application.organisation.name = "Comune di Bologna"
    application.organisation.save()
    call = application.call
    call.reply_deadline = timezone.now() + dt.timedelta(days=14)
    call.save()
    project = call.project
    project.acronym = "PACTESUR 2"
    project.save()
    standard_checklist(project)
    ActivityFactory(
        project=project,
        title_en="Police academy in Nice",
        title_fr="Académie de police à Nice",
        eligibility="police_only",
    )
    coordinator = project_coordinator(project)
    coordinator.language = "fr"  # the portal speaks French to her once she logs in
    coordinator.save()
    return application, application.organisation.members.get(), coordinator


def test_a_city_accepts_onboards_nominates_and_the_coordinator_confirms(page, selected_city, tmp_path):
    application, member, coordinator = selected_city

    # The city's member answers the decision from the application's page.
    log_in(page, member.email)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Answer the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answer to the decision")
    snap(page, "reply")
    page.get_by_label("We accept the place").check()
    page.get_by_role("button", name="Send our answer").click()
    # Without the authorisation ticked, the summary says so and takes the focus.
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields.")
    expect(page.locator("[data-focus-on-load]")).to_be_focused()
    page.get_by_label("We accept the place").check()
    page.get_by_label("I am authorised to answer for my city.").check()
    page.get_by_role("button", name="Send our answer").click()
    expect(page.locator("main")).to_contain_text("your city is now an associated partner of PACTESUR 2")
    partner = Partner.objects.get(organisation=application.organisation)
    expect(page).to_have_url(re.compile(rf"/partnerships/{partner.pk}/$"))
    expect(page.locator("main")).to_contain_text("0 of 6 steps done.")
    snap(page, "partner-home")

    # The agreement: download it, upload the signed copy.
    page.get_by_role("link", name="Signed partnership agreement").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the partnership agreement (PDF)").click()
    agreement = tmp_path / download.value.suggested_filename
    download.value.save_as(agreement)
    assert agreement.suffix == ".pdf" and agreement.read_bytes().startswith(b"%PDF")
    page.locator("input[name=file]").set_input_files(str(agreement))
    page.get_by_role("button", name="Upload the signed agreement").click()
    expect(page.locator("main")).to_contain_text(
        "The signed agreement is uploaded; the project team will check it."
    )
    snap(page, "agreement-uploaded")

    # The focal point and the deputy.
    page.get_by_role("link", name="Focal point and deputy").click()
    page.locator("[name=focal_point-name]").fill("Giulia Bianchi")
    page.locator("[name=focal_point-email]").fill("giulia.bianchi@comune.example.it")
    page.locator("[name=deputy-name]").fill("Marco Verdi")
    page.locator("[name=deputy-email]").fill("not an address")
    page.get_by_role("button", name="Save the contacts").click()
    expect(page.locator("[data-focus-on-load]")).to_be_focused()
    expect(page.locator("[name=focal_point-name]")).to_have_value("Giulia Bianchi")  # nothing typed is lost
    page.locator("[name=deputy-email]").fill("marco.verdi@comune.example.it")
    page.get_by_role("button", name="Save the contacts").click()
    expect(page.locator("main")).to_contain_text("The contacts are saved.")

    # Before any nomination, the participants' privacy notice.
    page.get_by_role("link", name="Police academy in Nice").click()
    expect(page.locator("main")).to_contain_text("please read and confirm the participants' privacy notice")
    page.get_by_role("link", name="Read the notice").click()
    page.get_by_label(re.compile("I have read the participants' privacy notice")).check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text("the participants' privacy notice is confirmed")
    expect(page.locator("main")).to_contain_text("2 of 6 steps done.")

    # The nomination: the form offers only the categories the activity takes.
    page.get_by_role("link", name="Police academy in Nice").click()
    expect(page.locator("select[name=category] option")).to_have_count(1)
    page.locator("[name=name]").fill("Luca Rossi")
    page.locator("[name=role]").fill("Inspector")
    page.locator("[name=email]").fill("luca.rossi@comune.example.it")
    page.locator("select[name=language]").select_option("fr")
    page.get_by_role("button", name="Nominate").click()
    expect(page.locator("main")).to_contain_text("Luca Rossi is nominated.")
    snap(page, "nominated")
    page.get_by_role("button", name="Log out").click()

    # The coordinator, in French: checks the agreement, confirms the nomination.
    log_in(page, coordinator.email)
    page.goto(f"/coordination/projects/{partner.project.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partenaires et intégration")
    page.get_by_role("link", name="Comune di Bologna").click()
    page.locator("#check-accepted").select_option("yes")
    page.get_by_role("button", name="Enregistrer la vérification").click()
    expect(page.locator("main")).to_contain_text("La vérification de la convention est enregistrée.")
    assert partner.progress.get(item__kind=ItemKind.AGREEMENT).state == ItemState.DONE
    page.get_by_role("link", name="Activités", exact=True).click()
    page.get_by_role("link", name="1 à décider pour Académie de police à Nice").click()
    participant = Participant.objects.get(name="Luca Rossi")
    page.locator(f"#decision-{participant.pk}").select_option("confirmed")
    page.get_by_role("button", name="Appliquer — Luca Rossi").click()
    expect(page.locator("main")).to_contain_text(re.compile(r"Luca Rossi\s:\sConfirmé\."))
    snap(page, "confirmed")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CONFIRMED

    # The officer is invited, in French, with the calendar file; the colleague who
    # nominated him hears of the decision.
    invitation = wait_for_email("luca.rossi@comune.example.it", subject="Votre place est confirmée")
    assert invitation.body.startswith("Bonjour Luca Rossi,")
    assert any(name.endswith(".ics") for name, _content, _type in invitation.attachments)
    wait_for_email(member.email, subject="nomination")


def test_the_coordinator_reorders_the_checklist_with_the_keyboard(page, selected_city):
    _application, _member, coordinator = selected_city
    coordinator.language = "en"
    coordinator.save()
    project = coordinator.coordinated_projects.get()
    first, second = project.checklist_items.order_by("order")[:2]
    log_in(page, coordinator.email)
    page.goto(f"/coordination/projects/{project.slug}/checklist/")
    down = page.get_by_role("button", name=f"Move “{first.title_en}” down")
    down.focus()
    page.keyboard.press("Enter")
    # The list comes back in its new order; the focus stays on the step that moved, and the
    # news is read out.
    expect(page.locator("#checklist-items tbody tr").nth(1)).to_contain_text(first.title_en)
    expect(page.get_by_role("button", name=f"Move “{first.title_en}” down")).to_be_focused()
    expect(page.locator("#checklist-status")).to_have_text(f"“{first.title_en}” is now step 2 of 6.")
    for position in (3, 4):  # on down it goes, the focus with it
        expect(page.get_by_role("button", name=f"Move “{first.title_en}” down")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#checklist-status")).to_have_text(
            f"“{first.title_en}” is now step {position} of 6."
        )
    expect(page.locator("#checklist-items tbody tr").nth(3)).to_contain_text(first.title_en)
    page.reload()
    rows = page.locator("#checklist-items tbody tr")
    expect(rows.nth(0)).to_contain_text(second.title_en)
    expect(rows.nth(3)).to_contain_text(first.title_en)
