"""How an application's state looks on the pages."""

from django import template

from intake.models import Status

register = template.Library()

BADGE_CLASSES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.IN_REVIEW: "text-bg-primary",
    Status.SELECTED: "text-bg-success",
    Status.WITHDRAWN: "text-bg-dark",
    Status.INELIGIBLE: "text-bg-dark",
    Status.NOT_SELECTED: "text-bg-dark",
}


@register.filter
def status_badge_class(status):
    return BADGE_CLASSES.get(status, "text-bg-info")
