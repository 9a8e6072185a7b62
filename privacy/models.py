"""What was done with people's personal data: requests carried out, and retention passes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import Call


class DataRequest(models.Model):
    """A person's request of access (an export) or of erasure, carried out by ``by``.

    ``call`` is the call it was limited to (a coordinator's request); empty, it covered
    everything the portal holds (an administrator's). ``counts`` says how many items of
    each kind were exported or erased; no personal data is copied here.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="data_requests",
        verbose_name=_("person"),
    )
    call = models.ForeignKey(
        Call, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("call")
    )
    counts = models.JSONField(_("items"), default=dict)
    account_erased = models.BooleanField(_("account erased"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} (person {self.person_id})"


class RetentionRun(models.Model):
    """One pass of the retention task over one call: what it anonymised, by kind."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="retention_runs", verbose_name=_("call")
    )
    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    decided_at = models.DateTimeField(_("call decided at"))
    months = models.PositiveSmallIntegerField(_("months kept"))
    counts = models.JSONField(_("items anonymised"), default=dict)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"Retention run {self.pk} of call {self.call_id}"
