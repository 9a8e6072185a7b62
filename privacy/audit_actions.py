"""What the audit log records of people's data requests and the retention pass, in words.

The rows name the request or the run, never the person: the person is an id, and their
name and email are nowhere in the row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    PERSON_EXPORTED = "person.exported", _("Person's data exported")
    PERSON_ERASED = "person.erased", _("Person's data erased")
    APPLICATIONS_ANONYMISED = "applications.anonymised", _("Contact data of applications anonymised")
    APPLICATION_CONTACTS_ANONYMISED = "application.contacts_anonymised", _("Contact data anonymised")
