"""A call built entirely through the builder's pages, then run to its decision letters.

A project officer starts a project and a call for trainers of a police academy (3 places,
at most 2 per country, its own steps, questions and criteria, in English and French),
publishes it, and the call runs: cities apply and submit, two evaluators score, the
selection is finalised and the letters carry what the builder set. The building is done
in the browser; applying, reviewing and deciding through the services the pages call.
"""

import datetime as dt
import io
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.documents import commitment_letter_pdf
from intake import services as intake_services
from intake.models import Call, Invitation, Organisation, Question, Status
from notifications.models import Message
from portal import roles
from portal.models import User
from reviews import services as review_services
from reviews.letters import current_letter
from reviews.models import Assignment, CallEvaluator, Decision, EligibilityScreening, Outcome
from tests.factories import MembershipFactory, UserFactory
from tests.utils import invitation_token_in

from .conftest import wait_for_email
from .test_evaluator_review import log_in, snap

OFFICER = "officer@academy.example"
EXPERTS = ["trainer.expert1@academy.example", "trainer.expert2@academy.example"]
ZONE = "Europe/Brussels"


@pytest.fixture
def officer(transactional_db):
    roles.ensure_groups()
    return UserFactory(email=OFFICER, full_name="Paula Officer", role=roles.COORDINATOR, verified=True)


def wall_clock(moment):
    """A moment as the call's clock shows it, for a datetime-local input."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def part(page, name):
    """Open a part of the call from the builder's navigation."""
    nav = page.locator("#builder-nav")
    if not nav.is_visible():  # folded on the wide pages (and on a phone)
        page.get_by_role("button", name="Parts of the call").click()
        expect(nav).to_be_visible()
    nav.get_by_role("link", name=name, exact=True).click()


def save(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def build_the_call(page):
    """Every setting of the call, typed in the builder's pages."""
    now = timezone.now()
    page.goto("/builder/")
    page.get_by_role("link", name="New call").click()
    page.locator("[name=project_acronym]").fill("ACADEMY")
    page.locator("[name=project_title_en]").fill("European police academy")
    page.locator("[name=project_title_fr]").fill("Académie européenne de police")
    page.locator("[name=title_en]").fill("Trainers for the police academy")
    page.locator("[name=title_fr]").fill("Formateurs pour l'académie de police")
    page.locator("[name=slug]").fill("academy-trainers")
    page.locator("[name=reference_prefix]").fill("pat27")
    page.locator("[name=timezone]").select_option(ZONE)
    page.locator("[name=opens_at]").fill(wall_clock(now - dt.timedelta(days=1)))
    page.locator("[name=closes_at]").fill(wall_clock(now + dt.timedelta(days=21)))
    snap(page, "builder-new-call")
    save(page, "Create the call")
    expect(page.locator("main")).to_contain_text("The call is created, unpublished.")

    # Texts, side by side, with the public page's preview in French as one types.
    part(page, "Texts")
    texts = {
        "summary_en": "Experienced officers train their peers at the academy's three sessions.",
        "summary_fr": "Des agents expérimentés forment leurs pairs lors des trois sessions de l'académie.",
        "description_en": "The academy needs **trainers**:\n\n- three sessions in 2027\n- [the programme](https://efus.eu)",
        "eligibility_en": "Local police bodies of the eligible countries.",
        "eligibility_fr": "Les polices locales des pays éligibles.",
        "how_to_apply_en": "1. Register your police body\n2. Fill in the form\n3. Submit",
        "how_to_apply_fr": "1. Enregistrez votre police\n2. Remplissez le formulaire\n3. Soumettez",
    }
    for name, value in texts.items():
        page.locator(f"[name={name}]").fill(value)
    page.get_by_label("French", exact=True).check()
    page.locator("[name=description_fr]").fill(
        "L'académie cherche des *formateurs* :\n\n- trois sessions en 2027"
    )
    preview = page.locator("#call-preview")
    expect(preview).to_contain_text("L'académie cherche des formateurs")
    expect(preview.locator("em")).to_have_text("formateurs")
    expect(preview).to_contain_text("Qui peut candidater")
    snap(page, "builder-texts")
    save(page, "Save the texts")
    expect(page.locator("main")).to_contain_text("The texts are saved.")

    # The deadlines after the closing date.
    part(page, "Dates and address")
    page.locator("[name=review_deadline]").fill(wall_clock(now + dt.timedelta(days=35)))
    page.locator("[name=reply_deadline]").fill(wall_clock(now + dt.timedelta(days=60)))
    save(page, "Save the address and dates")
    expect(page.locator("main")).to_contain_text("The address and dates are saved.")
    expect(page.locator(".date-warnings")).to_have_count(0)

    # The form: two steps, every kind of setting the trainers' call needs.
    part(page, "Application form")
    add_step(page, "Your experience", "Votre expérience")
    add_question(
        page,
        "long_text",
        "How have you trained other officers?",
        "Comment avez-vous formé d'autres agents ?",
        max_length="2000",
    )
    add_question(
        page,
        "single_choice",
        "Main subject you would teach",
        "Sujet principal que vous enseigneriez",
        choices=[("Crowd management", "Gestion des foules"), ("Vehicle attacks", "Attaques au véhicule")],
    )
    add_question(page, "number", "Years of service", "Années de service", min_value="0", max_value="45")
    add_step(page, "Documents", "Documents")
    add_question(
        page,
        "file",
        "Signed letter of commitment",
        "Lettre d'engagement signée",
        key="commitment_letter",
        file_types=["pdf"],
    )
    # Reorder with the keyboard's buttons: the focus stays on the moved question.
    page.get_by_role("button", name="Move “Years of service” up").click()
    moved = page.locator("[data-focus-after-swap]")  # only in the outline htmx swapped in
    expect(moved).to_be_focused()
    expect(moved).to_have_accessible_name("Move “Years of service” up")
    page.keyboard.press("Enter")  # again: now first, its "up" is disabled, "down" has the focus
    expect(page.locator("[data-focus-after-swap]")).to_have_accessible_name("Move “Years of service” down")
    expect(page.locator("[data-focus-after-swap]")).to_be_focused()
    snap(page, "builder-form")

    # The FAQ.
    part(page, "FAQ")
    page.get_by_role("link", name="Add an entry").click()
    page.locator("[name=question_en]").fill("Are travel costs covered?")
    page.locator("[name=question_fr]").fill("Les frais de voyage sont-ils couverts ?")
    page.locator("[name=answer_en]").fill("Yes, by the project.")
    page.locator("[name=answer_fr]").fill("Oui, par le projet.")
    save(page, "Save the entry")
    expect(page.locator("main")).to_contain_text("The FAQ entry is added.")

    # The evaluation: three criteria whose weights make 100, two reviews per application.
    part(page, "Evaluation")
    for name_en, name_fr, weight, threshold, priority in [
        ("Teaching experience", "Expérience de formation", "50", "2", "1"),
        ("Motivation", "Motivation", "30", "", "2"),
        ("Languages", "Langues", "25", "", ""),
    ]:
        page.get_by_role("link", name="Add a criterion").click()
        page.locator("[name=name_en]").fill(name_en)
        page.locator("[name=name_fr]").fill(name_fr)
        page.locator("[name=weight]").fill(weight)
        page.locator("[name=threshold]").fill(threshold)
        page.locator("[name=tie_break_priority]").fill(priority)
        save(page, "Save the criterion")
        expect(page.locator("main")).to_contain_text("The criterion is added.")
    expect(page.locator(".weights-total")).to_have_text("105 / 100")
    page.get_by_role("link", name="Edit Languages").click()
    page.locator("[name=weight]").fill("20")
    save(page, "Save the criterion")
    expect(page.locator(".weights-total")).to_have_text("100 / 100")
    page.locator("[name=evaluators_per_application]").fill("2")
    save(page, "Save the settings of the reviews")
    expect(page.locator("main")).to_contain_text("The settings of the reviews are saved.")

    # The selection rules: 3 places, at most 2 per country.
    part(page, "Selection rules")
    page.locator("[name=places]").fill("3")
    page.locator("[name=reserve_size]").fill("1")
    page.locator("[name=max_per_country]").fill("2")
    save(page, "Save the rules")
    expect(page.locator("main")).to_contain_text("The selection rules are saved.")

    # The acceptance letter's own opening, previewed as an email would be, then saved.
    part(page, "Emails and letters")
    page.get_by_role("link", name="Edit and preview Decision: selected").click()
    page.locator("[name=text_en]").fill("Congratulations: {city} will send a trainer to the academy.")
    page.locator("[name=text_fr]").fill("Félicitations : {city} enverra un formateur à l'académie.")
    page.get_by_role("button", name="French email").click()
    frame = page.frame_locator("iframe[name=message-preview]")
    expect(frame.locator("body")).to_contain_text("Félicitations : Ville d'Exemple enverra un formateur")
    save(page, "Save")
    expect(page.locator("main")).to_contain_text("is saved")
    part(page, "Emails and letters")
    page.get_by_role("link", name="Edit and preview Letter: selected").click()
    page.locator("[name=text_en]").fill("{city} joins the trainers' pool of the {project} academy.")
    page.locator("[name=text_fr]").fill("{city} rejoint le vivier des formateurs de l'académie {project}.")
    save(page, "Save")
    expect(page.locator("main")).to_contain_text("is saved")

    # What the letters say on the call's behalf.
    part(page, "Letters' signatory and funding")
    page.locator("[name=project_name]").fill("ACADEMY 2027")
    page.locator("[name=signatory_name]").fill("Jeanne Directrice")
    page.locator("[name=signatory_role_en]").fill("Head of the academy")
    page.locator("[name=signatory_role_fr]").fill("Directrice de l'académie")
    page.locator("[name=associated_role_en]").fill("the three training sessions of 2027")
    page.locator("[name=associated_role_fr]").fill("les trois sessions de formation de 2027")
    save(page, "Save")
    expect(page.locator("main")).to_contain_text("What the letters say is saved.")

    # The evaluators, invited for this call.
    part(page, "Coordinators and evaluators")
    for email in EXPERTS:
        page.locator("[name=email]").fill(email)
        page.get_by_label("Evaluator of this call").check()
        save(page, "Send the invitation")
        expect(page.locator("main")).to_contain_text(f"An invitation is on its way to {email}")

    # The check, then publishing.
    part(page, "Check and publish")
    expect(page.locator("main")).to_contain_text("Nothing to fix: the call is ready to be published.")
    snap(page, "builder-publish")
    save(page, "Publish the call")
    expect(page.locator("main")).to_contain_text("The call is published")
    page.get_by_role("link", name="Open the public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trainers for the police academy")
    expect(page.locator("main")).to_contain_text("3 cities will be selected")


def add_step(page, title_en, title_fr):
    page.get_by_role("link", name="Add a step").click()
    page.locator("[name=title_en]").fill(title_en)
    page.locator("[name=title_fr]").fill(title_fr)
    save(page, "Save the step")
    expect(page.locator("main")).to_contain_text("The step is added.")


def add_question(page, kind, label_en, label_fr, *, choices=(), file_types=(), key="", **settings):
    page.get_by_role("link", name="Add a question").last.click()
    page.locator("[name=kind]").select_option(kind)
    page.locator("[name=label_en]").fill(label_en)
    page.locator("[name=label_fr]").fill(label_fr)
    if key:
        page.locator("[name=key]").fill(key)
    for name, value in settings.items():
        page.locator(f"[name={name}]").fill(value)
    for number, (en, fr) in enumerate(choices):
        page.locator(f"[name=choices-{number}-label_en]").fill(en)
        page.locator(f"[name=choices-{number}-label_fr]").fill(fr)
    for file_type in file_types:
        page.locator(f"[name=file_types][value={file_type}]").check()
    # Only the settings of the chosen kind show.
    if choices:
        expect(page.locator("#choices")).to_be_visible()
    else:
        expect(page.locator("#choices")).to_be_hidden()
    save(page, "Save the question")
    expect(page.locator("main")).to_contain_text("The question is added.")


CITIES = [("Lyon", "FR", 5), ("Nice", "FR", 4.5), ("Marseille", "FR", 4), ("Liège", "BE", 3.5)]


def run_the_call(call, officer):
    """Cities apply; two evaluators accept their invitations and score; the selection is final."""
    experts = []
    for email in EXPERTS:
        token = invitation_token_in(wait_for_email(email).body)  # the link exists only in the email
        expert = UserFactory(email=email, full_name=email.split("@")[0])
        intake_services.accept_invitation(Invitation.objects.by_token(token).get(), expert)
        experts.append(expert)
    assert set(CallEvaluator.objects.filter(call=call).values_list("user__email", flat=True)) == set(EXPERTS)

    questions = {q.key: q for q in Question.objects.filter(section__call=call)}
    for name, country, _quality in CITIES:
        member = MembershipFactory(
            organisation__name=name, organisation__country=country, user__language="fr"
        )
        application, _created = intake_services.start_application(call, member.organisation, by=member.user)
        values = {
            "how_have_you_trained_other_officers": f"{name} trains its officers every spring.",
            "main_subject_you_would_teach": "crowd-management",
            "years_of_service": 12,
        }
        intake_services.save_answers(
            application,
            [intake_services.AnswerChange(questions[k], v) for k, v in values.items()],
            by=member.user,
        )
        pdf = SimpleUploadedFile("letter.pdf", commitment_letter_pdf(name, country), "application/pdf")
        intake_services.add_document(application, questions["commitment_letter"], pdf, by=member.user)
        intake_services.submit_application(application, member.user, declaration=True, privacy_accepted=True)

    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    call.refresh_from_db()
    for application in call.applications.filter(status=Status.SUBMITTED).select_related("organisation"):
        review_services.decide_eligibility(
            application, by=officer, decision=EligibilityScreening.Decision.ELIGIBLE
        )
    review_services.apply_assignments(call, seed=7, by=officer)
    criteria = list(call.criteria.order_by("order"))
    quality = {name: value for name, _country, value in CITIES}
    for assignment in Assignment.objects.filter(application__call=call).select_related(
        "application__organisation", "application__call", "evaluator"
    ):
        level = Decimal(str(quality[assignment.application.organisation.name]))
        review_services.confirm_no_conflict(assignment.evaluator, assignment.application)
        review_services.save_review(
            assignment,
            by=assignment.evaluator,
            values={criterion.pk: level for criterion in criteria},
            comments={criterion.pk: "Clear and concrete." for criterion in criteria},
            overall_comment="A solid application.",
            recommendation="recommend",
            submit=True,
        )
    review_services.finalise_selection(call, by=officer, note="Decided by the academy's board.")


def letter_text(application):
    document = current_letter(application)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_call_built_in_the_browser_runs_to_its_letters(page, officer):
    log_in(page, OFFICER)
    build_the_call(page)

    call = Call.objects.get(slug="academy-trainers")
    assert call.is_published and call.reference_prefix == "PAT27"
    assert (call.places, call.max_per_country, call.timezone) == (3, 2, ZONE)
    keys = Question.objects.filter(section__call=call).order_by("section__order", "order")
    assert list(keys.values_list("key", flat=True)) == [
        "years_of_service",  # moved up twice
        "how_have_you_trained_other_officers",
        "main_subject_you_would_teach",
        "commitment_letter",
    ]
    assert Question.objects.get(section__call=call, key="commitment_letter").file_types == ["pdf"]

    run_the_call(call, officer)

    decisions = {
        d.application.organisation.name: d
        for d in Decision.objects.filter(application__call=call).select_related("application__organisation")
    }
    selected = sorted(name for name, d in decisions.items() if d.outcome == Outcome.SELECTED)
    # Three places, at most two per country: the third French city gives way to Liège.
    assert selected == ["Liège", "Lyon", "Nice"]
    assert decisions["Marseille"].outcome == Outcome.RESERVE
    assert Organisation.objects.filter(name__in=selected, country="FR").count() == 2

    lyon = decisions["Lyon"].application
    text = letter_text(lyon)  # written in French, the language of the person who submitted
    assert "Lyon rejoint le vivier des formateurs de l'académie ACADEMY 2027." in text
    assert "Jeanne Directrice" in text and "Directrice de l'académie" in text
    assert "les trois sessions de formation de 2027" in text
    assert "PACTESUR" not in text
    email = Message.objects.get(kind="decision", to_email=lyon.organisation.members.get().email)
    assert "Félicitations : Lyon enverra un formateur à l'académie." in email.body_text
    assert re.search(r"PAT27-\d{4}-000\d", email.subject)
    assert User.objects.filter(email__in=EXPERTS).count() == 2
