"""Creating, copying, changing and publishing a call through the builder's services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from builder import services
from builder.checks import publish_problems
from intake.models import Application, CallMessageText, MessageKind, Question, Status
from portal import roles
from portal.models import AuditEvent
from reviews.models import CallEvaluator, Criterion, Decision, Outcome, Review, ReviewSettings
from tests.factories import CallFactory, MembershipFactory, ProjectFactory, UserFactory
from tests.factories.reviews import assigned, evaluator_of, submitted_review

from .conftest import complete, new_call

pytestmark = pytest.mark.django_db


# --- Who may create -----------------------------------------------------------------------


def test_a_new_call_is_unpublished_coordinated_by_its_creator_and_audited(officer, project, call):
    assert not call.is_published
    assert list(call.coordinators.all()) == [officer]
    assert ReviewSettings.objects.filter(call=call).exists()
    event = AuditEvent.objects.get(action="call.created")
    assert event.actor == officer and event.call_id == call.pk
    assert event.after == {"project": "ACADEMY", "slug": "trainers-2027", "reference_prefix": "TA27"}


def test_a_call_goes_only_into_a_project_its_creator_may_use(officer):
    someone_elses = ProjectFactory()
    with pytest.raises(services.BuildRefused, match="project you coordinate"):
        new_call(officer, someone_elses)


def test_which_projects_a_person_may_add_a_call_to():
    roles.ensure_groups()
    own, through_a_call, other = ProjectFactory(), ProjectFactory(), ProjectFactory()
    member = UserFactory(role=roles.COORDINATOR)
    own.coordinators.add(member)
    CallFactory(project=through_a_call).coordinators.add(member)
    assert set(services.projects_for_new_call(member)) == {own, through_a_call}
    assert services.may_create_projects(member)

    project_only = UserFactory()  # coordinates a project, not in the coordinator group
    own.coordinators.add(project_only)
    CallFactory(project=other).coordinators.add(project_only)
    assert set(services.projects_for_new_call(project_only)) == {own}
    assert services.may_create_calls(project_only) and not services.may_create_projects(project_only)

    nobody = UserFactory()
    assert not services.may_create_calls(nobody)
    with pytest.raises(services.BuildRefused):
        services.create_project(by=nobody, acronym="X", title_en="X")


def test_a_new_project_is_coordinated_by_whoever_starts_it(officer):
    project = services.create_project(by=officer, acronym="SAFE 3", title_en="Safer cities")
    assert project.slug == "safe-3"
    assert project.coordinators.filter(pk=officer.pk).exists()
    assert project in services.projects_for_new_call(officer)


@pytest.mark.parametrize(
    ("slug", "prefix", "field"),
    [
        ("Not A Slug", "TA28", "slug"),
        ("trainers-2027", "TA28", "slug"),  # taken by the fixture's call
        ("trainers-2028", "ta27", "reference_prefix"),  # the same prefix, whatever its case
        ("trainers-2028", "TA-28", "reference_prefix"),
    ],
)
def test_web_address_and_reference_prefix_are_unique_and_well_formed(
    officer, project, call, slug, prefix, field
):
    with pytest.raises(services.BuildRefused) as refused:
        new_call(officer, project, slug=slug, prefix=prefix)
    assert field in refused.value.errors


# --- Copying ------------------------------------------------------------------------------


@pytest.fixture
def run_call(officer, project):
    """A call that ran: published, applied to, reviewed and decided."""
    call = complete(new_call(officer, project, slug="trainers-2026", prefix="TA26"), officer)
    services.add_faq_entry(call, by=officer, question_en="Who?", question_fr="Qui ?", answer_en="Police.")
    services.change_message_text(
        call,
        MessageKind.LETTER_SELECTED,
        by=officer,
        text_en="Welcome, {city}.",
        text_fr="Bienvenue, {city}.",
    )
    services.change_review_settings(
        call, by=officer, changes={"review_deadline": call.closes_at + dt.timedelta(days=10)}
    )
    services.change_call_basics(
        call, by=officer, changes={"reply_deadline": call.closes_at + dt.timedelta(days=30)}
    )
    expert = evaluator_of(call, country="FR")
    member = MembershipFactory()
    application = Application.objects.create(
        call=call, organisation=member.organisation, status=Status.IN_REVIEW
    )
    submitted_review(assigned(application, expert), list(call.criteria.order_by("order")), [4, 3])
    Decision.objects.create(application=application, outcome=Outcome.SELECTED, rank=1)
    return call


def copy_of(run_call, officer, **extra):
    closes = run_call.closes_at + dt.timedelta(days=365)
    return services.copy_call(
        run_call,
        by=officer,
        slug="trainers-2027",
        reference_prefix="ta27",
        opens_at=closes - dt.timedelta(days=40),
        closes_at=closes,
        **extra,
    )


def test_a_copy_takes_texts_form_criteria_rules_and_messages_but_no_application(run_call, officer):
    copy = copy_of(run_call, officer)
    assert not copy.is_published and copy.reference_prefix == "TA27"
    assert copy.description_fr == run_call.description_fr
    assert copy.signatory_name == "Jeanne Exemple"
    keys = list(
        Question.objects.filter(section__call=copy)
        .order_by("section__order", "order")
        .values_list("key", "file_types")
    )
    assert keys == [("your_experience", []), ("commitment_letter", ["pdf"])]
    assert list(copy.criteria.order_by("order").values_list("name_fr", "weight")) == [
        ("Expérience", Decimal(60)),
        ("Motivation", Decimal(40)),
    ]
    assert copy.faq_entries.get().question_fr == "Qui ?"
    assert CallMessageText.objects.get(call=copy).text_fr == "Bienvenue, {city}."
    assert ReviewSettings.objects.get(call=copy).evaluators_per_application == 2
    # Nothing of what happened in the call it copies.
    assert not Application.objects.filter(call=copy).exists()
    assert not Review.objects.filter(application__call=copy).exists()
    assert not Decision.objects.filter(application__call=copy).exists()
    assert not CallEvaluator.objects.filter(call=copy).exists()
    assert list(copy.coordinators.all()) == [officer]
    assert AuditEvent.objects.get(action="call.copied").after["from"] == "trainers-2026"


def test_a_copy_keeps_its_deadlines_distance_to_the_closing_date(run_call, officer):
    copy = copy_of(run_call, officer)
    shift = copy.closes_at - run_call.closes_at
    assert copy.reply_deadline == run_call.reply_deadline + shift
    original = ReviewSettings.objects.get(call=run_call).review_deadline
    assert ReviewSettings.objects.get(call=copy).review_deadline == original + shift


def test_a_copy_takes_the_evaluators_when_asked(run_call, officer):
    copy = copy_of(run_call, officer, evaluators=True)
    assert list(CallEvaluator.objects.filter(call=copy).values_list("country", flat=True)) == ["FR"]


def test_only_a_call_one_coordinates_can_be_copied(run_call):
    stranger = UserFactory(role=roles.COORDINATOR)
    with pytest.raises(services.BuildRefused, match="only a call you coordinate"):
        copy_of(run_call, stranger)


def test_a_copy_needs_its_own_address_and_prefix(run_call, officer):
    with pytest.raises(services.BuildRefused) as refused:
        services.copy_call(
            run_call,
            by=officer,
            slug=run_call.slug,
            reference_prefix=run_call.reference_prefix,
            opens_at=run_call.opens_at,
            closes_at=run_call.closes_at,
        )
    assert set(refused.value.errors) == {"slug", "reference_prefix"}


# --- Changing -----------------------------------------------------------------------------


def test_a_change_of_texts_is_audited_with_before_and_after(officer, call):
    services.change_call_texts(call, by=officer, changes={"summary_fr": "Résumé", "title_en": call.title_en})
    event = AuditEvent.objects.get(action="call.changed")
    assert event.before == {"summary_fr": ""} and event.after == {"summary_fr": "Résumé"}


def test_a_text_with_a_script_link_or_html_is_refused_and_nothing_changes(officer, call):
    with pytest.raises(services.BuildRefused) as refused:
        services.change_call_texts(
            call, by=officer, changes={"description_en": "[Apply](javascript:alert(1))", "summary_en": "New"}
        )
    assert "description_en" in refused.value.errors
    call.refresh_from_db()
    assert call.summary_en == "" and not AuditEvent.objects.filter(action="call.changed").exists()


def test_dates_must_follow_one_another(officer, call):
    with pytest.raises(services.BuildRefused, match="close after it opens"):
        services.change_call_basics(call, by=officer, changes={"closes_at": call.opens_at})
    services.change_call_basics(
        call,
        by=officer,
        changes={"review_deadline": call.closes_at - dt.timedelta(days=1), "reply_deadline": call.opens_at},
    )
    review_deadline = ReviewSettings.objects.get(call=call).review_deadline
    assert review_deadline == call.closes_at - dt.timedelta(days=1)
    fields = [field for field, _message in services.date_warnings(call, review_deadline)]
    assert fields == ["review_deadline", "reply_deadline"]


def test_a_published_call_keeps_its_address_and_a_submitted_one_its_prefix(officer, call):
    call.is_published = True
    call.save()
    with pytest.raises(services.BuildRefused, match="keeps its web address"):
        services.change_call_basics(call, by=officer, changes={"slug": "another-address"})
    Application.objects.create(
        call=call, organisation=MembershipFactory().organisation, status=Status.SUBMITTED
    )
    with pytest.raises(services.BuildRefused, match="already carry references"):
        services.change_call_basics(call, by=officer, changes={"reference_prefix": "NEW"})


def test_selection_rules_are_checked_and_the_minimum_of_countries_is_the_evaluations(officer, call):
    with pytest.raises(services.BuildRefused) as refused:
        services.change_selection_rules(
            call, by=officer, changes={"eligible_countries": ["FR", "ZZ"], "places": 0}
        )
    assert set(refused.value.errors) == {"eligible_countries", "places"}
    services.change_selection_rules(
        call,
        by=officer,
        changes={
            "places": 3,
            "max_per_country": 2,
            "eligible_countries": ["fr", "be", "FR"],
            "min_distinct_countries": 2,
        },
    )
    call.refresh_from_db()
    assert (call.places, call.max_per_country, call.eligible_countries) == (3, 2, ["BE", "FR"])
    assert ReviewSettings.objects.get(call=call).min_distinct_countries == 2


def test_a_final_selection_freezes_the_rules(officer, call):
    ReviewSettings.objects.filter(call=call).update(finalised_at=timezone.now())
    call.__dict__.pop("_review_settings", None)
    with pytest.raises(services.BuildRefused, match="final"):
        services.change_selection_rules(call, by=officer, changes={"places": 4})


# --- Publishing ---------------------------------------------------------------------------


def test_publishing_is_refused_until_nothing_is_left_to_fix(client, officer, call):
    with pytest.raises(services.BuildRefused) as refused:
        services.publish_call(call, by=officer)
    assert refused.value.problems and not call.is_published
    assert client.get(reverse("intake:call_detail", args=[call.slug])).status_code == 404
    complete(call, officer)
    assert publish_problems(call) == []
    services.publish_call(call, by=officer)
    call.refresh_from_db()
    assert call.is_published
    assert AuditEvent.objects.get(action="call.published").after == {"is_published": True}
    # Its public page appears at once, in both languages.
    page = client.get(reverse("intake:call_detail", args=[call.slug]))
    assert page.status_code == 200 and "Trainers for the police academy" in page.text
    client.post(reverse("set_language"), {"language": "fr"})
    assert (
        "Formateurs pour l&#x27;académie de police"
        in client.get(reverse("intake:call_detail", args=[call.slug])).text
    )


def test_a_call_is_unpublished_only_while_nobody_applied(officer, call):
    complete(call, officer)
    services.publish_call(call, by=officer)
    Application.objects.create(call=call, organisation=MembershipFactory().organisation)
    with pytest.raises(services.BuildRefused, match="stays published"):
        services.unpublish_call(call, by=officer)
    Application.objects.filter(call=call).delete()
    services.unpublish_call(call, by=officer)
    assert not call.is_published
    assert AuditEvent.objects.filter(action="call.unpublished").exists()


def test_criteria_weights_are_kept_by_the_copy(run_call, officer):
    copy = copy_of(run_call, officer)
    assert services.weights_total(copy) == 100
    assert Criterion.objects.filter(call=copy).count() == 2


def test_a_call_keeps_at_least_one_eligible_country_and_type(officer, call):
    with pytest.raises(services.BuildRefused) as refused:
        services.change_selection_rules(
            call, by=officer, changes={"eligible_countries": [], "eligible_kinds": []}
        )
    assert refused.value.errors == {
        "eligible_countries": "Tick at least one eligible country.",
        "eligible_kinds": "Tick at least one type of organisation.",
    }
