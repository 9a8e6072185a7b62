"""The coordinator's dashboard and its server-drawn SVG charts."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from intake.models import Status
from reviews import charts
from tests.factories.selection import scored_call

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup, parsed to check it


def test_bar_chart_escapes_labels_and_uses_no_style_or_script():
    svg = charts.bar_chart([("<script>alert(1)</script>", 3), ("Liège & Nice", 1)], title="By <b>country</b>")
    root = parse(svg)  # well-formed XML
    # A label too long for its column is shortened, its whole text kept in a <title>.
    texts = [t.text for t in root.iter(f"{SVG}text")] + [t.text for t in root.iter(f"{SVG}title")]
    assert "<script>alert(1)</script>" in texts  # as text, not as an element
    assert "Liège & Nice" in texts
    assert not list(root.iter(f"{SVG}script"))
    assert "style=" not in str(svg) and "<style" not in str(svg)
    bars = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert bars[0] == pytest.approx(3 * bars[1], abs=0.2)


def test_histogram_counts_values_in_their_bins_and_draws_markers():
    svg = charts.histogram([0, 4.99, 5, 59.99, 60, 100], title="Scores", step=10, markers=[("threshold", 60)])
    root = parse(svg)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "0–10: 3" in titles  # 0, 4.99 and 5
    assert "50–60: 1" in titles
    assert "60–70: 1" in titles
    assert "90–100: 1" in titles  # the last bin includes 100
    assert any(t.text == "threshold 60" for t in root.iter(f"{SVG}text"))


def test_empty_charts_say_so():
    assert "Nothing yet" in str(charts.bar_chart([], title="t", empty="Nothing yet"))
    assert "Nothing yet" in str(charts.histogram([], title="t", empty="Nothing yet"))


@pytest.fixture
def call_with_disagreement():
    setup = scored_call()
    setup.calm = setup.city("Calm", "FR", (4, 4, 4), (4, 4, 4))
    setup.split = setup.city("Split", "IT", (5, 5, 5), (2, 2, 2))  # totals 100 and 40
    setup.city("Waiting", "ES", (3, 3, 3), pending=1)
    setup.city("Screening", "PT", status=Status.SUBMITTED)
    return setup


def test_dashboard_shows_counts_progress_scores_and_disagreements(client, call_with_disagreement):
    setup = call_with_disagreement
    client.force_login(setup.coordinator)
    response = client.get(reverse("reviews:call_dashboard", args=[setup.call.slug]))
    assert response.status_code == 200
    board = response.context["board"]
    assert dict(board.by_status) == {"Submitted": 1, "In review": 3}
    assert dict(board.by_country) == {"FR": 1, "IT": 1, "ES": 1, "PT": 1}
    progress = {p.name: (p.assigned, p.submitted) for p in board.progress}
    assert progress == {"Evaluator 1": (3, 3), "Evaluator 2": (3, 2)}
    assert [r.application.organisation.name for r in board.disagreements] == ["Split"]
    content = response.content.decode()
    assert content.count("<svg") == 4
    assert "a further evaluator is suggested" in content
    assert not re.search(r"<script(?![^>]*src=)", content)  # no inline script


def test_dashboard_is_404_for_anyone_but_the_calls_coordinators(client, call_with_disagreement):
    client.force_login(call_with_disagreement.evaluators[0])
    response = client.get(reverse("reviews:call_dashboard", args=[call_with_disagreement.call.slug]))
    assert response.status_code == 404
