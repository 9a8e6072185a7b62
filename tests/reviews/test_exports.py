"""Exports read back: CSV with the csv module, XLSX with openpyxl, the PDF report with pypdf."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reviews import exports, services
from tests.factories.selection import scored_call

pytestmark = pytest.mark.django_db

DANGEROUS = '=HYPERLINK("http://evil.example","Click")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+32 2 555", "'+32 2 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Nice", "Nice"),
        ("a=b", "a=b"),
        ("", ""),
        (-2, -2),
        (None, None),
    ],
)
def test_cells_that_would_be_formulas_are_neutralised(value, expected):
    assert exports.neutralise(value) == expected


@pytest.fixture
def call_with_scores():
    setup = scored_call(places=1, reserve_size=1)
    setup.nice = setup.city("Nice", "FR", (5, 5, 5), (5, 4, 4))
    setup.evil = setup.city(DANGEROUS, "IT", (4, 4, 4), (4, 3, 5))
    setup.liege = setup.city("Liège", "BE", (3, 3, 3), (2, 2, 2))
    return setup


def read_csv(content):
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_ranking_csv_has_every_criterion_final_score_rank_country_eligibility_and_outcome(call_with_scores):
    _name, content_type, content = exports.export(call_with_scores.call, "csv", table="ranking")
    assert content_type.startswith("text/csv")
    header, *rows = read_csv(content)
    assert header[:7] == ["Rank", "Reference", "City", "Country", "Status", "Eligible", "Reviews"]
    assert header[7:10] == ["Criterion A", "Criterion B", "Criterion C"]
    by_city = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    nice = by_city["Nice"]
    assert (nice["Rank"], nice["Country"], nice["Final score"], nice["Proposed"]) == (
        "1",
        "FR",
        "94.00",
        "Selected",
    )
    assert (nice["Criterion A"], nice["Criterion B"], nice["Eligible"]) == ("5.00", "4.50", "yes")
    # 40×2.5 + 30×2.5 + 30×2.5 → 50, under the overall threshold of 60.
    assert by_city["Liège"]["Final score"] == "50.00" and by_city["Liège"]["Thresholds met"] == "no"
    assert "'" + DANGEROUS in by_city
    assert DANGEROUS not in by_city


def test_reviews_csv_has_one_row_per_submitted_review(call_with_scores):
    header, *rows = read_csv(exports.export(call_with_scores.call, "csv", table="reviews")[2])
    assert len(rows) == 6
    assert "Evaluator" in header and "Total" in header and "z-score" in header
    first = dict(zip(header, rows[0], strict=True))
    assert (first["City"], first["Criterion A"], first["Total"]) == ("Nice", "5.00", "100.00")


def test_decisions_csv_after_finalisation_holds_the_justifications(call_with_scores):
    setup = call_with_scores
    services.override_decision(
        setup.call, setup.evil, by=setup.coordinator, action="include", justification="=cmd|x"
    )
    services.finalise_selection(setup.call, by=setup.coordinator, note="Thank you.")
    header, *rows = read_csv(exports.export(setup.call, "csv", table="decisions")[2])
    by_city = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    evil = by_city["'" + DANGEROUS]
    assert evil["Outcome"] == "Selected" and evil["Departs from the proposal"] == "yes"
    assert evil["Justification of the departure"] == "'=cmd|x"
    assert by_city["Nice"]["Outcome"] == "Reserve list"
    assert "Thank you." in by_city["Liège"]["Reasons given to the city"]


def test_xlsx_has_three_sheets_frozen_headers_filters_numbers_and_no_formulas(call_with_scores):
    _name, _type, content = exports.export(call_with_scores.call, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Ranking", "Reviews", "Decisions"]
    ranking = workbook["Ranking"]
    assert ranking.freeze_panes == "A2"
    assert ranking.auto_filter.ref.startswith("A1:")
    header = [cell.value for cell in ranking[1]]
    final = header.index("Final score") + 1
    assert ranking.cell(row=2, column=final).value == 94
    assert ranking.cell(row=2, column=final).number_format == "0.00"
    cities = [ranking.cell(row=r, column=3).value for r in range(2, ranking.max_row + 1)]
    assert "'" + DANGEROUS in cities
    assert all(cell.data_type != "f" for row in ranking.iter_rows() for cell in row)
    reviews = workbook["Reviews"]
    assert reviews.max_row == 7
    assert reviews.cell(row=2, column=5).is_date
    assert reviews.cell(row=2, column=6).value == 5  # a score, as a number


def test_pdf_report_has_the_summary_ranking_reserve_method_and_signatures(call_with_scores):
    _name, content_type, content = exports.export(call_with_scores.call, "pdf")
    assert content_type == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for expected in (
        "Selection report",
        "Summary",
        "Ranking",
        "Reserve list",
        "Method",
        "Signatures",
        "Nice",
    ):
        assert expected in text, expected
    assert "Criterion A" in text


def test_management_command_writes_each_format(call_with_scores, tmp_path):
    slug = call_with_scores.call.slug
    for fmt in ("csv", "xlsx", "pdf"):
        output = tmp_path / f"out.{fmt}"
        call_command("export_selection", "--call", slug, "--format", fmt, "--output", str(output))
        assert output.stat().st_size > 0
    output = tmp_path / "reviews.csv"
    call_command(
        "export_selection", "--call", slug, "--format", "csv", "--table", "reviews", "--output", str(output)
    )
    assert len(read_csv(output.read_bytes())) == 7


def test_download_views_answer_coordinators_with_attachments(client, call_with_scores):
    client.force_login(call_with_scores.coordinator)
    response = client.get(
        reverse("reviews:export_download", args=[call_with_scores.call.slug, "ranking.csv"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert read_csv(response.content)[1][2] == "Nice"
    missing = reverse("reviews:export_download", args=[call_with_scores.call.slug, "secrets.txt"])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("name", ["ranking.csv", "reviews.csv", "decisions.csv", "selection.xlsx"])
def test_export_queries_do_not_grow_with_the_applications(client, name):
    setup = scored_call()
    for i in range(2):
        setup.city(f"City {i}", "DE", (3, 4, 5), (4, 4, 4))
    client.force_login(setup.coordinator)
    url = reverse("reviews:export_download", args=[setup.call.slug, name])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for i in range(2, 12):
        setup.city(f"City {i}", ["FR", "IT", "ES"][i % 3], (3, 4, 5), (4, 4, 4))
    assert queries() == few


def test_management_command_refuses_an_unknown_call():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_selection", "--call", "no-such-call", "--format", "csv", "--output", "/dev/null")
