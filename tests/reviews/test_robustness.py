"""How sure the selection is, as the coordinator sees it: computed, stored, shown, drawn by lot."""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from portal.models import AuditEvent
from reviews import exports, robustness, services
from reviews.models import (
    ConsensusScore,
    ReviewSettings,
    SelectionLottery,
    SelectionOverride,
    SelectionUncertainty,
)
from reviews.plan import propose_selection
from tests.factories.selection import scored_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def line_call():
    """Two places. Nice far ahead; Lyon and Turin reviewed identically just behind it, in different
    countries, so one of them gets the second place; Porto clearly behind; Madrid under the threshold."""
    setup = scored_call(places=2, reserve_size=2, max_per_country=1)
    setup.nice = setup.city("Nice", "FR", (5, 5, 5), (5, 5, 5), (5, 4.5, 5))
    setup.lyon = setup.city("Lyon", "BE", (4, 4, 4), (4, 3.5, 4), (4, 4, 4.5))
    setup.turin = setup.city("Turin", "IT", (4, 4, 4), (4, 3.5, 4), (4, 4, 4.5))
    setup.porto = setup.city("Porto", "PT", (3, 3, 3), (3, 3.5, 3), (3, 3, 3))
    setup.madrid = setup.city("Madrid", "ES", (2, 2, 2), (2, 2, 2), (2, 2, 2))
    return setup


def compute(client, setup):
    client.force_login(setup.coordinator)
    return client.post(reverse("reviews:robustness_compute", args=[setup.call.slug]), follow=True)


def current_for(setup):
    plan = propose_selection(setup.call)
    return robustness.for_call(setup.call, plan.results)


def test_the_ranking_shows_expected_ranks_probabilities_and_the_grey_zone(client, line_call):
    response = compute(client, line_call)
    assert response.status_code == 200
    stored = SelectionUncertainty.objects.get(call=line_call.call)
    assert stored.is_done and stored.draws == 2000 and stored.seed
    assert AuditEvent.objects.filter(
        action="selection.uncertainty_requested", call_id=line_call.call.pk
    ).exists()
    current = current_for(line_call)
    assert current.is_current
    nice, lyon, turin = (current.estimate(c.pk) for c in (line_call.nice, line_call.lyon, line_call.turin))
    assert nice.probability == 1.0 and nice.group == "certain"
    assert lyon.in_grey_zone and turin.in_grey_zone
    assert abs(lyon.probability - 0.5) < 0.1 and abs(lyon.probability + turin.probability - 1) < 1e-6
    assert current.estimate(line_call.madrid.pk).probability is None  # under the threshold: never selectable
    assert current.estimate(line_call.porto.pk).group == "out"
    assert sorted(current.grey_zone) == sorted([line_call.lyon.pk, line_call.turin.pk])
    content = response.content.decode()
    assert "Expected rank" in content and "grey zone" in content
    assert 'role="img" aria-label="Expected rank 1.0; in half of the draws between 1 and 1' in content
    assert "Grey zone (selected in 10 to 90 % of the draws): 2 cities." in content


def test_a_changed_score_makes_the_result_out_of_date(client, line_call):
    compute(client, line_call)
    services.set_consensus_score(
        line_call.lyon,
        line_call.criteria[0],
        by=line_call.coordinator,
        value=Decimal(5),
        justification="Panel",
    )
    response = client.get(reverse("reviews:ranking", args=[line_call.call.slug]))
    assert "Out of date" in response.content.decode()
    assert not response.context["robustness"].is_current
    assert "Selected in" not in response.content.decode()  # stale numbers are not shown
    compute(client, line_call)
    assert current_for(line_call).is_current
    assert ConsensusScore.objects.count() == 1


def test_the_ranking_sheet_explains_the_numbers_in_english_and_french(client, line_call):
    compute(client, line_call)
    url = reverse("reviews:ranking_sheet", args=[line_call.call.slug, line_call.lyon.pk])
    content = client.get(url).content.decode()
    assert "This puts it in the grey zone (10 to 90 % of the draws)" in content
    assert "Its expected rank is" in content and "in nine out of ten between" in content
    assert "Evaluator&#x27;s leniency" in content or "Evaluator's leniency" in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    content = client.get(url).content.decode()
    assert "zone grise" in content and "Son rang attendu est" in content


def test_a_large_call_is_computed_by_a_worker_behind_a_progress_bar(
    client, line_call, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(robustness, "SYNC_LIMIT", 2)
    client.force_login(line_call.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("reviews:robustness_compute", args=[line_call.call.slug]))
    assert SelectionUncertainty.objects.get(call=line_call.call).state == "queued"
    page = client.get(reverse("reviews:ranking", args=[line_call.call.slug])).content.decode()
    assert "<progress" in page and 'data-hx-trigger="every 2s"' in page
    progress_url = reverse("reviews:robustness_progress", args=[line_call.call.slug])
    assert "<progress" in client.get(progress_url).content.decode()
    for callback in callbacks:
        callback()  # the queued task, run by the test's in-process worker
    assert SelectionUncertainty.objects.get(call=line_call.call).is_done
    assert client.get(progress_url).headers.get("HX-Refresh") == "true"
    assert current_for(line_call).is_current


def test_the_grey_zone_bounds_are_set_per_call(client, line_call):
    compute(client, line_call)
    url = reverse("reviews:review_settings", args=[line_call.call.slug])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(consortium_members="", grey_zone_low="60", grey_zone_high="95")
    client.post(url, data)
    review_settings = ReviewSettings.objects.get(call=line_call.call)
    assert review_settings.grey_zone_low == Decimal(60)
    current = current_for(line_call)
    assert current.grey_zone == []  # both near 50 %: below the new zone
    response = client.post(url, {**data, "grey_zone_low": "80", "grey_zone_high": "20"})
    assert "The grey zone runs between" in response.content.decode()
    assert ReviewSettings.objects.get(call=line_call.call).grey_zone_low == Decimal(60)


def draw_by_lot(client, setup, seed=4812):
    client.post(
        reverse("reviews:lottery_announce", args=[setup.call.slug]),
        {"seed": seed, "seed_source": "Public draw of 12 June"},
    )
    return client.post(reverse("reviews:lottery_draw", args=[setup.call.slug]), follow=True)


def test_the_lottery_decides_the_grey_zone_and_the_selection_follows(client, line_call):
    compute(client, line_call)
    response = draw_by_lot(client, line_call)
    assert response.status_code == 200
    drawn = SelectionLottery.objects.get(call=line_call.call)
    assert drawn.seed == 4812 and drawn.is_drawn and len(drawn.drawn) == 1
    assert drawn.certain == [line_call.nice.reference]
    assert set(drawn.drawn) <= {line_call.lyon.reference, line_call.turin.reference}
    assert drawn.completions == "2"
    plan = propose_selection(line_call.call)
    selected = {line_call.call.applications.get(pk=pk).reference for pk in plan.proposal.selected_keys}
    assert selected == {line_call.nice.reference, *drawn.drawn}
    overrides = SelectionOverride.objects.filter(call=line_call.call)
    assert overrides.count() == 2 and all("lottery" in o.justification.lower() for o in overrides)
    actions = set(AuditEvent.objects.filter(call_id=line_call.call.pk).values_list("action", flat=True))
    assert {"lottery.announced", "lottery.drawn", "selection.override"} <= actions
    assert (
        "drawn by lot" in client.get(reverse("reviews:ranking", args=[line_call.call.slug])).content.decode()
    )
    # Once drawn, it is not drawn again.
    draw_by_lot(client, line_call, seed=1)
    assert SelectionLottery.objects.get(call=line_call.call).seed == 4812


def test_the_same_number_draws_the_same_city_and_replay_lottery_matches_the_portal(
    client, line_call, tmp_path
):
    compute(client, line_call)
    draw_by_lot(client, line_call, seed=987654321)
    drawn = SelectionLottery.objects.get(call=line_call.call)
    for language in ("en", "fr"):
        _name, _type, content = exports.export(line_call.call, "csv", table="ranking", language=language)
        from django.utils import translation

        with translation.override(language):
            _name, _type, content = exports.export(line_call.call, "csv", table="ranking")
        path = tmp_path / f"ranking-{language}.csv"
        path.write_bytes(content)
        out = io.StringIO()
        call_command("replay_lottery", str(path), seed=987654321, places=2, max_per_country=1, stdout=out)
        printed = [line.split("\t")[0] for line in out.getvalue().splitlines()[1:]]
        assert printed == drawn.drawn, language


def test_the_lottery_is_refused_while_overrides_or_stale_data_stand(client, line_call):
    compute(client, line_call)
    services.override_decision(
        line_call.call, line_call.porto, by=line_call.coordinator, action="include", justification="By hand"
    )
    response = draw_by_lot(client, line_call)
    assert "clear them before drawing" in response.content.decode()
    assert not SelectionLottery.objects.get(call=line_call.call).is_drawn


def test_exports_carry_the_model_columns(client, line_call):
    compute(client, line_call)
    _name, _type, content = exports.export(line_call.call, "csv", table="ranking")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    by_city = {row["City"]: row for row in rows}
    assert by_city["Nice"]["Selection probability (%)"] == "100.00"
    assert by_city["Nice"]["Certainty"] == "certain" and by_city["Lyon"]["Certainty"] == "grey zone"
    assert by_city["Madrid"]["Selection probability (%)"] == ""
    assert by_city["Nice"]["Rank, nine draws in ten, from"] == "1"
    _name, _type, content = exports.export(line_call.call, "csv", table="reviews")
    reviews = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert all(row["Evaluator's leniency"] for row in reviews)
    report = exports.report_context(line_call.call)["robustness"]
    assert [r.application.organisation.name for r, _e in report["grey_zone"]] == ["Lyon", "Turin"]
    assert "<svg" in report["chart"]


def test_only_the_calls_coordinators_reach_the_robustness_urls(client, line_call):
    other = scored_call()
    client.force_login(other.coordinator)
    slug = line_call.call.slug
    for name in ("robustness_compute", "lottery_announce", "lottery_draw"):
        assert (
            client.post(reverse(f"reviews:{name}", args=[slug]), {"seed": 1, "seed_source": "x"}).status_code
            == 404
        )
    assert client.get(reverse("reviews:robustness_progress", args=[slug])).status_code == 404
    assert not SelectionUncertainty.objects.exists() and not SelectionLottery.objects.exists()


def grow(setup, count, start=0):
    countries = ["AT", "DE", "PL", "PT", "SE", "NL"]
    for i in range(start, start + count):
        setup.city(f"City {i}", countries[i % len(countries)], (3, 4, i % 5), (4, 3, 2), (4, 4, 3))


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["ranking", "call_dashboard"])
def test_page_queries_with_a_stored_result_do_not_grow(client, name):
    setup = scored_call(places=3, reserve_size=3)
    grow(setup, 3)
    compute(client, setup)
    url = reverse(f"reviews:{name}", args=[setup.call.slug])
    few = count_queries(client, url)
    grow(setup, 12, start=3)
    compute(client, setup)
    assert current_for(setup).is_current
    assert count_queries(client, url) == few


def test_ranking_sheet_queries_with_a_stored_result_do_not_grow(client):
    setup = scored_call(places=3, reserve_size=3)
    first = setup.city("First", "FR", (4, 4, 4), (3, 3, 3), (4, 3, 4))
    grow(setup, 2)
    compute(client, setup)
    url = reverse("reviews:ranking_sheet", args=[setup.call.slug, first.pk])
    few = count_queries(client, url)
    grow(setup, 10, start=2)
    compute(client, setup)
    assert count_queries(client, url) == few
