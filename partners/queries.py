"""Reads the partnership's pages and exports share: each a fixed handful of queries,
whatever the number of partners, activities and participants."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import (
    SEAT_HOLDING,
    Activity,
    ChecklistItem,
    ChecklistProgress,
    ItemState,
    Participant,
    ParticipantStatus,
    Partner,
)


def checklist_items(project):
    return list(ChecklistItem.objects.filter(project=project, is_active=True))


def partner_checklist(partner, items=None):
    """Each active item of the project with where the partner stands: [(item, progress or None)]."""
    items = checklist_items(partner.project_id) if items is None else items
    progress = {p.item_id: p for p in ChecklistProgress.objects.filter(partner=partner)}
    return [(item, progress.get(item.pk)) for item in items]


def state_of(progress):
    return progress.state if progress else ItemState.OPEN


@dataclass
class OnboardingMatrix:
    items: list
    partners: list
    cells: dict  # (partner id, item id) -> state
    done: dict = field(default_factory=dict)  # partner id -> items done

    def row(self, partner):
        return [(item, self.cells.get((partner.pk, item.pk), ItemState.OPEN)) for item in self.items]


def onboarding_matrix(project):
    """Every partner × every item at a glance: three queries."""
    items = checklist_items(project)
    partners = list(Partner.objects.for_matrix(project))
    cells = {
        (p.partner_id, p.item_id): p.state
        for p in ChecklistProgress.objects.filter(partner__project=project, item__in=items).only(
            "partner_id", "item_id", "state"
        )
    }
    done = Counter(pid for (pid, _iid), state in cells.items() if state == ItemState.DONE)
    return OnboardingMatrix(items=items, partners=partners, cells=cells, done=done)


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
    partner_totals: dict
    activity_totals: dict

    def row(self, partner):
        return [self.cells.get((partner.pk, activity.pk)) for activity in self.activities]


def participation_matrix(project):
    """Cities × activities: confirmed participants and attendees in each cell (three queries)."""
    partners = list(Partner.objects.for_matrix(project))
    activities = list(Activity.objects.filter(project=project).order_by("starts_at", "pk"))
    rows = (
        Participant.objects.filter(activity__project=project, status=ParticipantStatus.CONFIRMED)
        .values("partner_id", "activity_id")
        .annotate(
            confirmed=Count("pk", distinct=True),
            attended=Count("pk", filter=Q(attendances__isnull=False), distinct=True),
        )
    )
    cells, partner_totals, activity_totals = {}, defaultdict(int), defaultdict(int)
    for row in rows:
        cells[(row["partner_id"], row["activity_id"])] = row
        partner_totals[row["partner_id"]] += row["confirmed"]
        activity_totals[row["activity_id"]] += row["confirmed"]
    return ParticipationMatrix(partners, activities, cells, dict(partner_totals), dict(activity_totals))


BREAKDOWNS = ("city", "country", "category", "gender")


def participation_breakdown(project, activity=None):
    """Confirmed participants counted by city, country, category and gender (given or not).

    Anonymised participants still count: what the counts need is kept.
    """
    participants = Participant.objects.filter(activity__project=project, status=ParticipantStatus.CONFIRMED)
    if activity is not None:
        participants = participants.filter(activity=activity)
    rows = participants.values(
        "partner__organisation__name", "partner__organisation__country", "category", "gender"
    ).annotate(count=Count("pk"))
    counts = {name: Counter() for name in BREAKDOWNS}
    total = 0
    for row in rows:
        total += row["count"]
        counts["city"][row["partner__organisation__name"]] += row["count"]
        counts["country"][row["partner__organisation__country"]] += row["count"]
        counts["category"][row["category"]] += row["count"]
        counts["gender"][row["gender"] or ""] += row["count"]
    return total, {
        name: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) for name, counter in counts.items()
    }


def participants_for_export(project):
    """Every nomination of the project with what the export shows, in one query."""
    return (
        Participant.objects.filter(activity__project=project)
        .select_related("partner__organisation", "activity")
        .annotate(days_attended=Count("attendances"))
        .order_by("activity__starts_at", "activity_id", "partner__organisation__name", "name", "pk")
    )
