"""The pages that read the stored ranking: the selection, a sheet, the dashboard, the sensitivity."""

import pytest
from django.conf import settings
from django.urls import reverse

from reviews import aggregation, services, snapshot, tasks
from reviews.models import RankingSnapshot, SelectionOverride
from reviews.views import ranking as ranking_views
from tests.factories.selection import scored_call
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    """Two places, one per country: Nice and Turin proposed, Lyon left out for France; Ghent waits."""
    setup = scored_call(places=2, reserve_size=2, max_per_country=1)
    setup.nice = setup.city("Nice", "FR", (5, 5, 5), (5, 4, 4))
    setup.lyon = setup.city("Lyon", "FR", (4, 4, 4), (4, 4, 4))
    setup.turin = setup.city("Turin", "IT", (4, 4, 4), (4, 3, 5))
    setup.liege = setup.city("Liège", "BE", (3, 3, 3), (2, 4, 3))
    setup.madrid = setup.city("Madrid", "ES", (2, 2, 2), (2, 2, 2))
    setup.ghent = setup.city("Ghent", "BE", (5, 5, 5), pending=1)
    return setup


def page(client, setup, name, *args, **params):
    client.force_login(setup.coordinator)
    response = client.get(reverse(name, args=[setup.call.slug, *args]), params)
    assert response.status_code == 200
    return response


def names(cities):
    return [city.application.organisation.name for city in cities]


def test_a_sheet_shows_the_numbers_the_whole_call_computes(client, setup):
    whole = aggregation.load_call_results(setup.call)
    for expected in whole.results:
        response = page(client, setup, "reviews:ranking_sheet", expected.pk)
        shown = response.context["result"]
        assert shown.final_score == expected.final_score
        assert shown.rank == expected.rank
        # The z-scores compare each review with the evaluator's other reviews of the call.
        assert shown.normalised_mean == expected.normalised_mean
        assert [r.z_score for r in shown.reviews] == [r.z_score for r in expected.reviews]
        assert shown.tie_above == expected.tie_above and shown.tie_below == expected.tie_below
    lyon = page(client, setup, "reviews:ranking_sheet", setup.lyon.pk)
    neighbours = lyon.context["neighbours"]
    assert neighbours["above"].application.organisation.name == "Nice"
    assert neighbours["below"].application.organisation.name == "Turin"


def test_the_selection_page_follows_each_change(client, setup):
    selection = page(client, setup, "reviews:selection").context["selection"]
    assert names(selection.selected) == ["Nice", "Turin"]
    assert [(c.application.organisation.name, c.entry.reason) for c in selection.left_out] == [
        ("Lyon", "country_limit")
    ]
    assert [city.organisation.name for city in selection.left_out[0].taken_by] == ["Nice"]
    exclude = SelectionOverride.Action.EXCLUDE
    services.override_decision(
        setup.call, setup.nice, by=setup.coordinator, action=exclude, justification="-"
    )
    response = page(client, setup, "reviews:selection")
    selection = response.context["selection"]
    assert names(selection.selected) == ["Lyon", "Turin"]
    assert [(c.application.organisation.name, c.entry.reason) for c in selection.left_out] == [
        ("Nice", "override_excluded")
    ]
    assert names(o for o in selection.overrides) == ["Nice"]
    assert "Departures from the proposal" in response.content.decode()


def test_the_cities_not_considered_come_a_page_at_a_time(client, setup, monkeypatch):
    monkeypatch.setattr(ranking_views, "SELECTION_UNRANKED_PER_PAGE", 1)
    setup.city("Porto", "PT", (4, 4, 4), pending=1)
    first = page(client, setup, "reviews:selection").context["unranked"]
    assert [e.application.organisation.name for e in first.rows] == ["Ghent"]
    assert first.total == 2 and first.has_next
    second = page(client, setup, "reviews:selection", unranked_after=first.next_cursor)
    assert [e.application.organisation.name for e in second.context["unranked"].rows] == ["Porto"]
    assert "First" in second.content.decode()


def test_the_sensitivity_is_computed_once_per_change(client, setup):
    url = reverse("reviews:sensitivity", args=[setup.call.slug])
    client.force_login(setup.coordinator)
    computing = count_queries(client, url)
    stored = RankingSnapshot.objects.get(call=setup.call)
    assert stored.sensitivity_version == stored.built_version
    reading = count_queries(client, url)
    assert reading < computing
    services.set_consensus_score(
        setup.lyon, setup.criteria[0], by=setup.coordinator, value=5, justification="Agreed in the panel."
    )
    before = stored.sensitivity_version
    assert count_queries(client, url) > reading
    stored.refresh_from_db()
    assert stored.sensitivity_version == stored.built_version == stored.version > before


def test_a_large_call_gets_its_sensitivity_from_the_worker(client, setup, monkeypatch):
    page(client, setup, "reviews:ranking")  # ranked in the request while the call was small
    monkeypatch.setattr(snapshot, "SYNC_LIMIT", 2)
    services.set_consensus_score(
        setup.turin, setup.criteria[0], by=setup.coordinator, value=1, justification="Agreed in the panel."
    )
    tasks.rebuild_ranking.run(call_id=setup.call.pk)
    stored = RankingSnapshot.objects.get(call=setup.call)
    assert stored.is_current and stored.sensitivity_version == stored.built_version
    report = page(client, setup, "reviews:sensitivity").context["report"]
    assert report.samples == 8 + 6 + 64


def test_the_dashboards_disagreements_come_a_page_at_a_time(client, setup, monkeypatch):
    monkeypatch.setattr(ranking_views, "DISAGREEMENTS_PER_PAGE", 1)
    setup.city("Split", "IT", (5, 5, 5), (1, 1, 1))
    setup.city("Apart", "PT", (1, 1, 1), (5, 5, 5))
    first = page(client, setup, "reviews:call_dashboard")
    assert names(first.context["board"].disagreements) == ["Split"]
    page_of = first.context["disagreements"]
    assert page_of.total == 2
    second = page(client, setup, "reviews:call_dashboard", after=page_of.next_cursor)
    assert names(second.context["board"].disagreements) == ["Apart"]
    # The chart of scores counts every complete application, whatever the page.
    assert sum(count for _label, count in second.context["board"].score_bins) == 7


def test_the_dashboards_review_progress_follows_each_change(client, setup):
    def progress():
        board = page(client, setup, "reviews:call_dashboard").context["board"]
        return {p.name: (p.assigned, p.submitted) for p in board.progress}

    assert progress() == {"Evaluator 1": (6, 6), "Evaluator 2": (6, 5)}
    setup.city("Porto", "PT", (4, 4, 4), pending=1)
    assert progress() == {"Evaluator 1": (7, 7), "Evaluator 2": (7, 5)}


def test_a_french_coordinator_reads_the_stored_scores_with_decimal_commas(client, setup):
    page(client, setup, "reviews:ranking")  # stored while an English reader looks
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    content = client.get(reverse("reviews:selection", args=[setup.call.slug])).content.decode()
    assert "94,00" in content and "94.00" not in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "94.00" in client.get(reverse("reviews:ranking", args=[setup.call.slug])).content.decode()


def test_a_large_calls_first_ranking_is_a_workers_job(
    client, setup, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(snapshot, "SYNC_LIMIT", 2)
    with django_capture_on_commit_callbacks() as queued:
        first = page(client, setup, "reviews:ranking")
    assert "computed for the first time" in first.content.decode()
    assert first.context["lines"] == []
    assert page(client, setup, "reviews:sensitivity").context["report"] is None
    for name, args in (
        ("reviews:selection", ()),
        ("reviews:call_dashboard", ()),
        ("reviews:ranking_sheet", [setup.nice.pk]),
    ):
        assert "computed for the first time" in page(client, setup, name, *args).content.decode()
    assert len(queued) == 1
    queued[0]()  # the worker's run (tasks run in place in the tests)
    ranked = page(client, setup, "reviews:ranking")
    assert [line["name"] for line in ranked.context["lines"]][:2] == ["Nice", "Lyon"]
    assert page(client, setup, "reviews:sensitivity").context["report"].samples == 8 + 6 + 64
