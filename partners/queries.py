"""Reads the partnership's pages and exports share: each a fixed handful of queries,
whatever the number of partners, activities and participants."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from reviews.models import Decision, Outcome

from .models import (
    SEAT_HOLDING,
    Activity,
    ChecklistItem,
    ChecklistProgress,
    ConsortiumMember,
    ItemKind,
    ItemState,
    Participant,
    ParticipantStatus,
    Partner,
)


def checklist_items(project):
    return list(ChecklistItem.objects.filter(project=project, is_active=True))


def partner_checklist(partner, items=None, *, with_retired=False):
    """Each active item of the project with where the partner stands: [(item, progress or None)].

    ``with_retired`` adds the retired items the partner had started, so that their history shows.
    """
    progress = {p.item_id: p for p in ChecklistProgress.objects.filter(partner=partner)}
    if items is None:
        items = ChecklistItem.objects.filter(project_id=partner.project_id)
        if with_retired:
            started = [pk for pk, row in progress.items() if row.state != ItemState.OPEN]
            items = items.filter(Q(is_active=True) | Q(pk__in=started))
        else:
            items = items.filter(is_active=True)
    return [(item, progress.get(item.pk)) for item in items]


def checklist_with_use(project):
    """The project's items, each with how many partners have started or completed it
    (``item.started``): such an item can be retired, not deleted."""
    return list(
        ChecklistItem.objects.filter(project=project)
        .annotate(started=Count("progress", filter=~Q(progress__state=ItemState.OPEN)))
        .order_by("order", "pk")  # a grouped query ignores the model's ordering
    )


def state_of(progress):
    return progress.state if progress else ItemState.OPEN


@dataclass
class OnboardingMatrix:
    items: list
    partners: list
    cells: dict  # (partner id, item id) -> state

    def row(self, partner):
        return [(item, self.cells.get((partner.pk, item.pk), ItemState.OPEN)) for item in self.items]


def partners_with_onboarding(project, items):
    """The project's partners, each with the number of ``items`` it has done (``steps_done``)."""
    return Partner.objects.for_matrix(project).annotate(
        steps_done=Count(
            "progress", filter=Q(progress__state=ItemState.DONE, progress__item__in=[i.pk for i in items])
        )
    )


def onboarding_matrix(project, partners, items=None):
    """``partners`` (one page of them) × every active item: one query for the cells."""
    items = checklist_items(project) if items is None else items
    cells = {
        (p.partner_id, p.item_id): p.state
        for p in ChecklistProgress.objects.filter(
            partner__in=[partner.pk for partner in partners], item__in=items
        ).only("partner_id", "item_id", "state")
    }
    return OnboardingMatrix(items=items, partners=list(partners), cells=cells)


def activities_with_seats(project):
    return list(Activity.objects.filter(project=project).with_seat_counts().order_by("starts_at", "pk"))


def partner_activities(partner):
    """The project's activities with the seats this partner holds in each, and in total."""
    return list(
        Activity.objects.filter(project_id=partner.project_id)
        .annotate(
            mine=Count(
                "participants",
                filter=Q(participants__partner=partner, participants__status__in=SEAT_HOLDING),
            ),
            held=Count("participants", filter=Q(participants__status__in=SEAT_HOLDING)),
        )
        .order_by("starts_at", "pk")
    )


@dataclass
class ParticipationMatrix:
    partners: list
    activities: list
    cells: dict  # (partner id, activity id) -> {"confirmed": n, "attended": n}
    partner_totals: dict  # partner id -> confirmed participants in every activity
    activity_totals: dict  # activity id -> confirmed participants of every partner counted
    total: int = 0  # confirmed participants of every partner counted, in every activity

    def row(self, partner):
        return [self.cells.get((partner.pk, activity.pk)) for activity in self.activities]


def participation_matrix(project, partners=None, activities=None, counted=None):
    """Cities × activities: confirmed participants and attendees in each cell.

    By default every partner and every activity (the export); a page shows one window of
    ``partners`` × ``activities``, with the column totals and the grand total over the
    partners in ``counted`` (a queryset: those the page's filters keep). Four queries.
    """
    confirmed = Participant.objects.filter(activity__project=project, status=ParticipantStatus.CONFIRMED)
    if counted is not None:
        confirmed = confirmed.filter(partner__in=counted)
    in_rows = in_columns = cells = confirmed
    if partners is None:
        partners = Partner.objects.for_matrix(project)
    else:
        row_ids = [partner.pk for partner in partners]
        in_rows = confirmed.filter(partner_id__in=row_ids)
        cells = cells.filter(partner_id__in=row_ids)
    if activities is None:
        activities = Activity.objects.filter(project=project).order_by("starts_at", "pk")
    else:
        column_ids = [activity.pk for activity in activities]
        in_columns = confirmed.filter(activity_id__in=column_ids)
        cells = cells.filter(activity_id__in=column_ids)
    cells = cells.values("partner_id", "activity_id").annotate(
        confirmed=Count("pk", distinct=True),
        attended=Count("pk", filter=Q(attendances__isnull=False), distinct=True),
    )
    return ParticipationMatrix(
        list(partners),
        list(activities),
        {(cell["partner_id"], cell["activity_id"]): cell for cell in cells},
        dict(in_rows.values("partner_id").annotate(n=Count("pk")).values_list("partner_id", "n")),
        dict(in_columns.values("activity_id").annotate(n=Count("pk")).values_list("activity_id", "n")),
        total=confirmed.count(),
    )


BREAKDOWNS = ("city", "country", "category", "gender")


def participation_breakdown(project, activity=None):
    """Confirmed participants counted by city, country, category and gender (given or not).

    Anonymised participants still count: what the counts need is kept. Two queries,
    whatever the number of participants.
    """
    participants = Participant.objects.filter(activity__project=project, status=ParticipantStatus.CONFIRMED)
    if activity is not None:
        participants = participants.filter(activity=activity)
    counts = {name: Counter() for name in BREAKDOWNS}
    total = 0
    for row in participants.values("partner__organisation__country", "category", "gender").annotate(
        count=Count("pk")
    ):
        total += row["count"]
        counts["country"][row["partner__organisation__country"]] += row["count"]
        counts["category"][row["category"]] += row["count"]
        counts["gender"][row["gender"] or ""] += row["count"]
    for row in participants.values("partner__organisation__name").annotate(count=Count("pk")):
        counts["city"][row["partner__organisation__name"]] += row["count"]
    return total, {
        name: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) for name, counter in counts.items()
    }


def activity_seats_by_partner(activity):
    """For each city with a nomination in ``activity``: the seats it holds, its confirmed
    participants and all its nominations, by city name (one query)."""
    return list(
        Participant.objects.filter(activity=activity)
        .values("partner_id", "partner__organisation__name")
        .annotate(
            held=Count("pk", filter=Q(status__in=SEAT_HOLDING)),
            confirmed=Count("pk", filter=Q(status=ParticipantStatus.CONFIRMED)),
            nominations=Count("pk"),
        )
        .order_by("partner__organisation__name", "partner_id")
    )


def status_counts(activity):
    """How many nominations of ``activity`` are in each status (one query)."""
    counts = dict(
        Participant.objects.filter(activity=activity)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in ParticipantStatus.values}


def participants_for_export(project):
    """Every nomination of the project with what the export shows, in one query."""
    return (
        Participant.objects.filter(activity__project=project)
        .select_related("partner__organisation", "activity")
        .annotate(days_attended=Count("attendances"))
        .order_by("activity__starts_at", "activity_id", "partner__organisation__name", "name", "pk")
    )


# --------------------------------------------------------------------------------------
# What single pages list
# --------------------------------------------------------------------------------------


def countries_of(partners):
    """The countries of ``partners``, once each, in order (a filter's choices)."""
    return list(
        partners.order_by("organisation__country").values_list("organisation__country", flat=True).distinct()
    )


def project_calls(project):
    """The project's calls, the latest to close first."""
    return list(project.calls.order_by("-closes_at"))


def signed_agreements(partner):
    """The partner's signed agreements, each with who uploaded it."""
    return list(partner.signed_agreements.select_related("uploaded_by"))


def consortium_of(project):
    return list(ConsortiumMember.objects.filter(project=project))


def public_partners(project):
    """The partners the public project page names (those that have not withdrawn)."""
    return list(Partner.objects.public().filter(project=project).select_related("organisation"))


def published_activities(project):
    return list(Activity.objects.published().filter(project=project).order_by("starts_at"))


def activities_of(project):
    """Every activity of the project, first to last."""
    return Activity.objects.filter(project=project).order_by("starts_at", "pk")


def selected_decisions(call):
    """The call's decisions that offered a place, by rank, with what the city answered."""
    return list(
        Decision.objects.filter(application__call=call, outcome=Outcome.SELECTED)
        .select_related("application__organisation", "application__partner")
        .order_by("rank", "pk")
    )


def decision_of(application):
    return Decision.objects.filter(application=application).first()


def partner_of(application):
    return Partner.objects.filter(application=application).first()


def started_count(item):
    """How many partners have started the onboarding step ``item``."""
    return item.progress.exclude(state=ItemState.OPEN).count()


def participants_of(partner):
    """Everyone the partner nominated, to any activity, by activity date."""
    participants = Participant.objects.filter(partner=partner).select_related("activity")
    return list(participants.order_by("activity__starts_at", "name"))


def nominations(partner, activity):
    """The partner's nominations to one activity."""
    chosen = Participant.objects.filter(partner=partner, activity=activity)
    return list(chosen.order_by("status", "name", "pk"))


def confirmed_among(activity, ids):
    """Which of the participant ids are confirmed participants of ``activity``."""
    confirmed = Participant.objects.filter(activity=activity, status=ParticipantStatus.CONFIRMED, pk__in=ids)
    return list(confirmed.values_list("pk", flat=True))


def privacy_item(project):
    """The project's data-protection onboarding step, if it has one."""
    return ChecklistItem.objects.filter(project=project, kind=ItemKind.DATA_PROTECTION).first()
