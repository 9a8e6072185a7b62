"""Exports of a call's evaluation: the ranking, every review, the decisions; CSV, XLSX, PDF.

Everything is read with a fixed handful of queries (reviews/aggregation.py loads the
call) and assembled in Python, so the time grows with the rows but the queries do not.
Text cells that a spreadsheet would run as a formula are neutralised by one function,
used by the CSV and the XLSX writers alike.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Status
from notifications.pdf import render_pdf

from . import aggregation, dashboard, queries, rank_charts, robustness
from .models import Outcome, Recommendation, Response, Review, ReviewSettings, ReviewStatus, Score
from .plan import Reason, propose_selection, reason_label

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice
# and Google Sheets; a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# NUMBER is written as a plain number (half-point scores read best as 3.5 and 4).
TEXT, NUMBER, INTEGER, SCORE, DATETIME = "text", "number", "integer", "score", "datetime"
NUMBER_FORMATS = {INTEGER: "0", SCORE: "0.00", DATETIME: "yyyy-mm-dd hh:mm"}


def neutralise(value):
    """Text that cannot run as a spreadsheet formula; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Column:
    label: str
    kind: str = TEXT
    width: int = 14


@dataclass
class Table:
    name: str  # the sheet's name and the CSV file's stem
    title: str
    columns: list
    rows: list = field(default_factory=list)


def _local(moment, call):
    """A naive local time in the call's time zone (spreadsheets have no time zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment, call.tzinfo).replace(tzinfo=None, microsecond=0)


class Labels:
    """Translated labels read once per export, not once per row (gettext is slow in bulk)."""

    def __init__(self):

        self.status = {value: str(label) for value, label in Status.choices}
        self.outcome = {value: str(label) for value, label in Outcome.choices}
        self.response = {value: str(label) for value, label in Response.choices}
        self.recommendation = {value: str(label) for value, label in Recommendation.choices}
        self.reason = {code: str(label) for code, label in Reason.choices}
        self.yes, self.no = _("yes"), _("no")


def reason_detail(row, labels=None):
    """The reason of a selection row in words, with the cities or criteria concerned."""
    if row.reason is None:
        return ""
    label = labels.reason.get(row.reason, "") if labels else reason_label(row.reason)
    if row.reason == "thresholds":
        failed = [
            f"{r.criterion.name} {r.final_display} < {r.criterion.threshold}"
            for r in row.result.failed_criteria
        ]
        if not row.result.passes_overall:
            failed.append(_("overall %(score)s") % {"score": row.result.final_score})
        return f"{label}: {', '.join(failed)}"
    if row.taken_by:
        return f"{label}: {', '.join(r.application.organisation.name for r in row.taken_by)}"
    return label


def ranking_table(plan, decisions=None, rows=None):
    """Every application: the ranked ones in rank order, then the others.

    ``rows`` are the plan's rows when the caller already has them (they take a while to
    work out for thousands of applications).
    """
    call, criteria = plan.call, plan.results.criteria
    decisions = decisions if decisions is not None else queries.decisions_by_application(call)
    columns = [
        Column(_("Rank"), INTEGER, 7),
        Column(_("Reference"), TEXT, 12),
        Column(_("City"), TEXT, 28),
        Column(_("Country"), TEXT, 8),
        Column(_("Status"), TEXT, 14),
        Column(_("Eligible"), TEXT, 9),
        Column(_("Reviews"), TEXT, 9),
        *(Column(c.name, SCORE, 12) for c in criteria),
        Column(_("Final score"), SCORE, 11),
        Column(_("Mean of totals"), SCORE, 11),
        Column(_("Thresholds met"), TEXT, 10),
        Column(_("Proposed"), TEXT, 12),
        Column(_("Decision"), TEXT, 12),
        Column(_("Reserve position"), INTEGER, 9),
        Column(_("Reason"), TEXT, 40),
        Column(_("Consensus"), TEXT, 10),
        Column(_("Disagreement"), TEXT, 30),
        *robustness_columns(),
    ]
    table = Table("ranking", _("Ranking"), columns)
    current = robustness.for_call(call, plan.results)
    certainty = CertaintyCells(current)
    labels = Labels()
    words = aggregation.DisagreementWords()
    yes, no = labels.yes, labels.no
    rows = rows if rows is not None else list(plan.rows())
    ranked_keys = {row.result.pk for row in rows}
    others = [(r, plan.unranked_reason(r)) for r in plan.results.results if r.pk not in ranked_keys]
    for result, row in [(row.result, row) for row in rows] + [(r, None) for r, _reason in others]:
        application = result.application
        decision = decisions.get(result.pk)
        if row is not None:
            proposed, reason = labels.outcome[row.outcome], reason_detail(row, labels)
        else:
            proposed, reason = "", labels.reason.get(plan.unranked_reason(result), "")
        table.rows.append(
            [
                result.rank,
                application.reference or "",
                application.organisation.name,
                application.organisation.country,
                labels.status.get(application.status, application.status),
                yes if result.is_eligible else no,
                f"{len(result.reviews)}/{result.assignments}",
                *(criterion_row.final_display for criterion_row in result.criteria),
                result.final_score,
                result.mean_total,
                (yes if result.passes_thresholds else no) if result.final_score is not None else "",
                proposed,
                labels.outcome.get(decision.outcome, "") if decision else "",
                decision.reserve_position
                if decision
                else (row.reserve.position if row and row.reserve else None),
                reason,
                yes if result.has_consensus else "",
                " ".join(d.describe(words) for d in result.disagreements),
                *certainty.cells(result),
            ]
        )
    return table


def robustness_columns():
    """The model's columns of the ranking (reviews/uncertainty.py); empty while out of date."""
    return [
        Column(_("Model quality"), SCORE, 10),
        Column(_("Expected rank"), NUMBER, 10),
        Column(_("Rank, half of the draws, from"), INTEGER, 9),
        Column(_("Rank, half of the draws, to"), INTEGER, 9),
        Column(_("Rank, nine draws in ten, from"), INTEGER, 9),
        Column(_("Rank, nine draws in ten, to"), INTEGER, 9),
        Column(_("Selection probability (%)"), NUMBER, 11),
        Column(_("Certainty"), TEXT, 11),
        Column(_("Drawn by lot"), TEXT, 8),
    ]


def certainty_labels():
    return {group.value: str(group.label) for group in robustness.Certainty}


class CertaintyCells:
    """The model's cells of each ranking row. Once a lottery is announced, its frozen grey
    zone and certain cities are what the rows say, so the export replays the draw."""

    def __init__(self, current):
        self.current = current
        self.labels = certainty_labels()
        self.yes, self.no = _("yes"), _("no")
        lottery_record = current.lottery if current.is_current else None
        self.frozen = None
        if lottery_record is not None:
            self.frozen = dict.fromkeys(lottery_record.certain, robustness.CERTAIN)
            self.frozen.update(dict.fromkeys(lottery_record.grey_zone, robustness.GREY))
        self.drawn = set(lottery_record.drawn or ()) if lottery_record and lottery_record.is_drawn else None

    def cells(self, result):
        estimate = self.current.estimate(result.pk)
        if estimate is None:
            return [None] * 9
        reference = result.application.reference or str(result.pk)
        group = estimate.group
        if self.frozen is not None:
            group = self.frozen.get(reference, robustness.OUT if estimate.probability is not None else None)
        drawn = ""
        if self.drawn is not None and group == robustness.GREY:
            drawn = self.yes if reference in self.drawn else self.no
        return [
            round(estimate.quality, 2),
            round(estimate.expected_rank, 2),
            *estimate.rank_50,
            *estimate.rank_90,
            None if estimate.probability is None else round(100 * estimate.probability, 2),
            self.labels.get(group, ""),
            drawn,
        ]


def reviews_table(call_results, comments=None):
    """Every submitted review, one row each, with its scores, total and z-score."""
    call, criteria = call_results.call, call_results.criteria
    comments = comments if comments is not None else review_comments(call)
    columns = [
        Column(_("Reference"), TEXT, 12),
        Column(_("City"), TEXT, 28),
        Column(_("Country"), TEXT, 8),
        Column(_("Evaluator"), TEXT, 24),
        Column(_("Submitted at"), DATETIME, 17),
        *(Column(c.name, NUMBER, 12) for c in criteria),
        Column(_("Total"), SCORE, 9),
        Column(_("z-score"), SCORE, 9),
        Column(_("Evaluator's leniency"), SCORE, 10),
        Column(_("Recommendation"), TEXT, 18),
        Column(_("Overall comment"), TEXT, 50),
        *(Column(_("Comment: %(criterion)s") % {"criterion": c.name}, TEXT, 30) for c in criteria),
    ]
    recommendations = Labels().recommendation
    table = Table("reviews", _("Reviews"), columns)
    current = robustness.for_call(call, call_results)
    for result in call_results.results:
        application = result.application
        for review_result in result.reviews:
            review = review_result.review
            overall, per_criterion = comments.get(review.id, ("", {}))
            table.rows.append(
                [
                    application.reference or "",
                    application.organisation.name,
                    application.organisation.country,
                    review.evaluator_name,
                    _local(review.submitted_at, call),
                    *(review.scores.get(c.pk) for c in criteria),
                    review_result.total,
                    review_result.z_score,
                    (current.leniency(review.evaluator_id) or (None,))[0],
                    recommendations.get(review.recommendation, review.recommendation or ""),
                    overall,
                    *(per_criterion.get(c.pk, "") for c in criteria),
                ]
            )
    return table


def review_comments(call):
    """{review id: (overall comment, {criterion id: comment})} of the call's submitted reviews."""

    comments = {
        pk: (overall, {})
        for pk, overall in Review.objects.filter(
            application__call=call, status=ReviewStatus.SUBMITTED
        ).values_list("pk", "overall_comment")
    }
    rows = (
        Score.objects.filter(review__application__call=call, review__status=ReviewStatus.SUBMITTED)
        .exclude(comment="")
        .values_list("review_id", "criterion_id", "comment")
    )
    for review_id, criterion_id, comment in rows:
        if review_id in comments:
            comments[review_id][1][criterion_id] = comment
    return comments


def decisions_table(plan, decisions=None, rows=None):
    """The decisions with their justifications; before finalisation, the proposal and its overrides."""
    call = plan.call
    decisions = decisions if decisions is not None else queries.decisions_by_application(call)
    columns = [
        Column(_("Reference"), TEXT, 12),
        Column(_("City"), TEXT, 28),
        Column(_("Country"), TEXT, 8),
        Column(_("Rank"), INTEGER, 7),
        Column(_("Final score"), SCORE, 11),
        Column(_("Outcome"), TEXT, 14),
        Column(_("Reserve position"), INTEGER, 9),
        Column(_("Final"), TEXT, 7),
        Column(_("Departs from the proposal"), TEXT, 10),
        Column(_("Justification of the departure"), TEXT, 45),
        Column(_("Reasons given to the city"), TEXT, 60),
        Column(_("Rule"), TEXT, 40),
        Column(_("Decided by"), TEXT, 20),
        Column(_("Decided at"), DATETIME, 17),
        Column(_("Response"), TEXT, 14),
        Column(_("Place taken over by"), TEXT, 20),
    ]
    table = Table("decisions", _("Decisions"), columns)
    labels = Labels()
    yes, no = labels.yes, labels.no
    for row in rows if rows is not None else plan.rows():
        result = row.result
        application = result.application
        decision = decisions.get(result.pk)
        if decision is not None:
            table.rows.append(
                [
                    application.reference or "",
                    application.organisation.name,
                    application.organisation.country,
                    decision.rank,
                    decision.final_score,
                    labels.outcome[decision.outcome],
                    decision.reserve_position,
                    yes,
                    yes if decision.is_override else no,
                    decision.override_justification,
                    decision.reasons,
                    reason_detail(row, labels),
                    str(decision.decided_by or ""),
                    _local(decision.decided_at, call),
                    labels.response.get(decision.response, decision.response),
                    str(decision.replaced_by.application) if decision.replaced_by else "",
                ]
            )
        else:
            override = row.override
            table.rows.append(
                [
                    application.reference or "",
                    application.organisation.name,
                    application.organisation.country,
                    result.rank,
                    result.final_score,
                    labels.outcome[row.outcome],
                    row.reserve.position if row.reserve else None,
                    no,
                    yes if override else no,
                    override.justification if override else "",
                    "",
                    reason_detail(row, labels),
                    str(override.created_by or "") if override else "",
                    _local(override.created_at, call) if override else None,
                    "",
                    "",
                ]
            )
    return table


def all_tables(call):
    """The three tables of a call, from one load of its data."""
    call_results = aggregation.load_call_results(call, settings=ReviewSettings.objects.for_call(call))
    plan = propose_selection(call, call_results=call_results)
    decisions = queries.decisions_by_application(call)
    rows = list(plan.rows())
    return plan, [
        ranking_table(plan, decisions, rows),
        reviews_table(call_results),
        decisions_table(plan, decisions, rows),
    ]


TABLES = ("ranking", "reviews", "decisions")


def table_for(call, name):
    """One table by name, loading only what it needs."""
    call_results = aggregation.load_call_results(call)
    if name == "reviews":
        return reviews_table(call_results)
    plan = propose_selection(call, call_results=call_results)
    return ranking_table(plan) if name == "ranking" else decisions_table(plan)


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralise(str(value))


def write_csv(table):
    """UTF-8 with a byte order mark, so Excel reads the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(c.label)) for c in table.columns])
    writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(tables):
    """One sheet per table: header row frozen, filters on, numbers as numbers with formats.

    XlsxWriter, streaming each sheet's rows to a temporary file, writes the 15,000 reviews
    of a large call in about half openpyxl's time; each value is written with its own
    type (text is never read as a formula, a number or a link).
    """

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}
    for table in tables:
        sheet = workbook.add_worksheet(str(table.title)[:31])
        for index, column in enumerate(table.columns):
            sheet.set_column(index, index, column.width)
            sheet.write_string(0, index, neutralise(str(column.label)), bold)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(table.rows), max(0, len(table.columns) - 1))
        column_formats = [formats.get(column.kind) for column in table.columns]
        write_string, write_number, write_datetime = (
            sheet.write_string,
            sheet.write_number,
            sheet.write_datetime,
        )
        for row_index, row in enumerate(table.rows, start=1):
            for index, value in enumerate(row):
                if value is None or value == "":
                    continue  # nothing to write
                if isinstance(value, str):
                    write_string(row_index, index, neutralise(value))
                elif isinstance(value, dt.datetime):
                    write_datetime(row_index, index, value, column_formats[index] or formats[DATETIME])
                elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    write_number(row_index, index, float(value), column_formats[index])
                else:
                    write_string(row_index, index, neutralise(str(value)))
    workbook.close()
    return buffer.getvalue()


def _fit(text, width):
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def report_listing(plan, decisions):
    """The ranking as fixed-width lines: the PDF lays out thousands of these quickly.

    (Cells as inline blocks or flex items cost WeasyPrint seconds per hundred rows.)
    """
    criteria = plan.results.criteria
    header = (
        f"{_('Rank'):>5}  {_fit(_('City'), 30):<30} {_('Ctry'):<4}"
        + "".join(f"{f'C{i}':>7}" for i in range(1, len(criteria) + 1))
        + f"{_('Final'):>8}  {_('Outcome')}"
    )
    lines = []
    for row in plan.rows():
        result = row.result
        decision = decisions.get(result.pk)
        if decision is not None:
            outcome = decision.get_outcome_display()
            if decision.reserve_position and decision.outcome == "reserve":
                outcome = f"{outcome} {decision.reserve_position}"
        elif row.outcome == "selected":
            outcome = str(Outcome.SELECTED.label)
        elif row.outcome == "reserve":
            outcome = f"{Outcome.RESERVE.label} {row.reserve.position}"
        else:
            outcome = reason_label(row.reason)
        lines.append(
            f"{result.rank:>5}  {_fit(result.application.organisation.name, 30):<30} "
            f"{result.application.organisation.country:<4}"
            + "".join(f"{c.final_display or '':>7}" for c in result.criteria)
            + f"{result.final_score:>8}  {_fit(outcome, 44)}"
        )
    return header, lines


def report_context(call, *, plan=None):
    """What the PDF selection report shows."""
    call_results = plan.results if plan else aggregation.load_call_results(call)
    plan = plan or propose_selection(call, call_results=call_results)
    decisions = queries.decisions_by_application(call)
    rows = list(plan.rows())
    header, lines = report_listing(plan, decisions)
    return {
        # A PDF has no request, so no context processor names the states.
        "Outcome": Outcome,
        "Certainty": robustness.Certainty,
        "call": call,
        "listing_header": header,
        "listing": lines,
        # The rationale in full where a rule or a person decided: the selected, the reserve
        # list, overrides, and every better-ranked city left out. The others' reason is on
        # their line of the ranking.
        "explained": [
            row
            for row in rows
            if row.outcome != Outcome.NOT_SELECTED
            or row.override
            or plan.proposal.reason_for(row.result.pk)
            or (decisions.get(row.result.pk) and decisions[row.result.pk].is_override)
        ],
        "plan": plan,
        "settings": call_results.settings,
        "criteria": call_results.criteria,
        "rows": rows,
        "decisions": decisions,
        "unranked": plan.unranked(),
        "dashboard": dashboard.from_results(call, call_results, cut_off=plan.cut_off),
        "generated_at": timezone.localtime(timezone.now(), call.tzinfo),
        "tie_breakers": aggregation.tie_break_criteria(call_results.criteria),
        "robustness": robustness_report(call, plan, rows),
    }


def robustness_report(call, plan, rows):
    """The report's robustness section: the cities with a chance of a place, charted and listed."""
    current = robustness.for_call(call, plan.results)
    shown = []
    for row in rows:
        estimate = current.estimate(row.result.pk)
        if estimate is not None and (estimate.probability or estimate.in_grey_zone):
            shown.append((row.result, estimate))
    shown.sort(key=lambda pair: pair[1].expected_rank)
    shown = shown[:REPORT_CITIES]
    axis = rank_charts.axis_end([e for _r, e in shown], plan.rules.places)
    chart = (
        rank_charts.rank_chart(
            [(r.application.organisation.name, e, e.in_grey_zone) for r, e in shown],
            axis_max=axis,
            places=plan.rules.places,
            title=_("Expected rank with its credible intervals: half of the draws, nine in ten"),
        )
        if shown
        else ""
    )
    return {
        "current": current,
        "cities": shown,
        "chart": chart,
        "grey_zone": [(r, e) for r, e in shown if e.in_grey_zone],
        "replay_command": robustness.replay_command(current.lottery) if current.lottery else "",
    }


# The robustness section lists at most this many cities (those with the best expected ranks).
REPORT_CITIES = 40


def write_pdf(call, *, language="en"):
    """The selection report as PDF bytes."""

    context = report_context(call)
    return render_pdf(
        "reviews/exports/selection_report.html",
        context,
        language=language,
        title=_("Selection report: %(call)s") % {"call": call.title},
    )


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(call, fmt, *, table="ranking", language="en"):
    """(file name, content type, bytes) of one export."""
    stamp = timezone.localtime(timezone.now(), call.tzinfo).strftime("%Y%m%d-%H%M")
    # The tables hold an object or more per cell, none in a cycle: the collector would
    # scan them again and again as they grow (see aggregation.collection_paused).
    if fmt == "csv":
        if table not in TABLES:
            raise ValueError(f"Unknown table {table!r}")
        with aggregation.collection_paused():
            content = write_csv(table_for(call, table))
        return f"{call.slug}-{table}-{stamp}.csv", CONTENT_TYPES["csv"], content
    if fmt == "xlsx":
        with aggregation.collection_paused():
            _plan, tables = all_tables(call)
            content = write_xlsx(tables)
        return f"{call.slug}-selection-{stamp}.xlsx", CONTENT_TYPES["xlsx"], content
    if fmt == "pdf":
        return (
            f"{call.slug}-selection-report-{stamp}.pdf",
            CONTENT_TYPES["pdf"],
            write_pdf(call, language=language),
        )
    raise ValueError(f"Unknown format {fmt!r}")
