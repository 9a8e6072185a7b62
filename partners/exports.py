"""Participation exports for the European Commission's reporting: CSV and XLSX.

The writers are the evaluation exports' (``reviews.exports``): a cell that a spreadsheet
would run as a formula is neutralised, numbers are numbers.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from reviews.exports import DATETIME, INTEGER, Column, Table, write_csv, write_xlsx

from .models import ActivityKind, Gender, ParticipantCategory, ParticipantStatus
from .queries import participants_for_export, participation_matrix

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


def _naive(moment, tz):
    return timezone.localtime(moment, tz).replace(tzinfo=None, microsecond=0) if moment else None


def participants_table(project):
    columns = [
        Column(_("Activity"), width=36),
        Column(_("Kind"), width=22),
        Column(_("Starts (venue time)"), DATETIME, width=17),
        Column(_("City"), width=20),
        Column(_("Country"), width=14),
        Column(_("Participant"), width=26),
        Column(_("Role or rank"), width=22),
        Column(_("Unit or department"), width=22),
        Column(_("Category"), width=18),
        Column(_("Gender"), width=14),
        Column(_("Status"), width=12),
        Column(_("Days attended"), INTEGER, width=9),
    ]
    kinds, categories = dict(ActivityKind.choices), dict(ParticipantCategory.choices)
    genders, statuses = dict(Gender.choices), dict(ParticipantStatus.choices)
    country_names = {}
    rows = []
    for p in participants_for_export(project).iterator(chunk_size=2000):
        activity, organisation = p.activity, p.partner.organisation
        country = organisation.country
        if country not in country_names:
            country_names[country] = str(countries.name(country)) if country else ""
        rows.append(
            [
                activity.title_en,
                str(kinds.get(activity.kind, activity.kind)),
                _naive(activity.starts_at, activity.tzinfo),
                organisation.name,
                country_names[country],
                p.name,
                p.role,
                p.unit,
                str(categories.get(p.category, p.category)),
                str(genders.get(p.gender, "")) if p.gender else "",
                str(statuses.get(p.status, p.status)),
                p.days_attended,
            ]
        )
    return Table("participants", _("Participants"), columns, rows)


def matrix_table(project):
    matrix = participation_matrix(project)
    columns = [Column(_("City"), width=22), Column(_("Country"), width=8)]
    columns += [Column(activity.title_en, INTEGER, width=12) for activity in matrix.activities]
    columns.append(Column(_("Total"), INTEGER, width=8))
    rows = []
    for partner in matrix.partners:
        cells = [cell["confirmed"] if cell else 0 for cell in matrix.row(partner)]
        rows.append([partner.organisation.name, partner.organisation.country, *cells, sum(cells)])
    return Table("matrix", _("Participation matrix"), columns, rows)


def export(project, fmt):
    """(bytes, content type, file name) of the project's participation in ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    stem = f"{project.slug}-participation"
    if fmt == "csv":
        return write_csv(participants_table(project)), CONTENT_TYPES[fmt], f"{stem}.csv"
    return (
        write_xlsx([participants_table(project), matrix_table(project)]),
        CONTENT_TYPES[fmt],
        f"{stem}.xlsx",
    )
