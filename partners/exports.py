"""Participation exports for the European Commission's reporting: CSV and XLSX.

The writers are the evaluation exports' (``reviews.exports``): a cell that a spreadsheet
would run as a formula is neutralised, numbers are numbers.
"""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from portal.translation import language_code
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


def _labels(choices):
    """A choices class's labels, translated once for the whole export."""
    return {value: str(label) for value, label in choices}


def participants_table(project):
    """One row per nomination. Read as plain values (no model instance per row) and labelled
    from dictionaries made once: 20,000 participants in a second or two."""
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
    kinds, categories = _labels(ActivityKind.choices), _labels(ParticipantCategory.choices)
    genders, statuses = _labels(Gender.choices), _labels(ParticipantStatus.choices)
    country_names, zones = {}, {}
    rows = []
    title_field = f"activity__title_{language_code()}"
    values = participants_for_export(project).values_list(
        "activity__title_en",
        title_field,
        "activity__kind",
        "activity__starts_at",
        "activity__timezone",
        "partner__organisation__name",
        "partner__organisation__country",
        "name",
        "role",
        "unit",
        "category",
        "gender",
        "status",
        "days_attended",
    )
    for (
        english_title,
        title,
        kind,
        starts_at,
        zone,
        city,
        country,
        name,
        role,
        unit,
        category,
        gender,
        status,
        days,
    ) in values.iterator(chunk_size=2000):
        if country not in country_names:
            country_names[country] = str(countries.name(country)) if country else ""
        if zone not in zones:
            zones[zone] = zoneinfo.ZoneInfo(zone)
        rows.append(
            [
                title or english_title,
                kinds.get(kind, kind),
                _naive(starts_at, zones[zone]),
                city,
                country_names[country],
                name,
                role,
                unit,
                categories.get(category, category),
                genders.get(gender, "") if gender else "",
                statuses.get(status, status),
                days,
            ]
        )
    return Table("participants", _("Participants"), columns, rows)


def matrix_table(project):
    matrix = participation_matrix(project)
    columns = [Column(_("City"), width=22), Column(_("Country"), width=8)]
    columns += [Column(activity.title, INTEGER, width=12) for activity in matrix.activities]
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
