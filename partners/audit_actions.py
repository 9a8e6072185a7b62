"""What the audit log records of partnerships and activities, in words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    PARTNER_JOINED = "partner.joined", _("City became a partner")
    PARTNER_WITHDRAWN = "partner.withdrawn", _("Partner withdrew")
    PARTNER_AGREEMENT_UPLOADED = "partner.agreement_uploaded", _("Signed agreement uploaded")
    PARTNER_AGREEMENT_CHECKED = "partner.agreement_checked", _("Signed agreement checked")
    PARTNER_AGREEMENT_RETURNED = "partner.agreement_returned", _("Signed agreement sent back")
    SIGNED_AGREEMENT_DOWNLOADED = "signed_agreement.downloaded", _("Signed agreement downloaded")
    LOGO_DOWNLOADED = "logo.downloaded", _("Logo downloaded")
    CERTIFICATE_DOWNLOADED = "certificate.downloaded", _("Certificate downloaded")
    PARTNER_CONTACT_SAVED = "partner.contact_saved", _("Contact saved")
    PARTNER_PRIVACY_ACCEPTED = "partner.privacy_accepted", _("Participants' privacy notice accepted")
    PARTNER_PUBLIC_LISTING = "partner.public_listing", _("Public listing changed")
    PARTNERSHIP_SETTINGS_CHANGED = "partnership.settings_changed", _("Partnership settings changed")
    ONBOARDING_ITEM_SAVED = "onboarding.item_saved", _("Onboarding step saved")
    ONBOARDING_ITEM_SET = "onboarding.item_set", _("Onboarding step set")
    ONBOARDING_ITEM_CONFIRMED = "onboarding.item_confirmed", _("Onboarding step confirmed")
    ACTIVITY_SAVED = "activity.saved", _("Activity saved")
    ACTIVITY_ATTENDANCE = "activity.attendance", _("Attendance recorded")
    ACTIVITY_CERTIFICATES_SENT = "activity.certificates_sent", _("Certificates sent")
    PARTICIPANT_NOMINATED = "participant.nominated", _("Participant nominated")
    PARTICIPANT_CHANGED = "participant.changed", _("Participant changed")
    PARTICIPANT_STATUS = "participant.status", _("Nomination decided")
    PARTICIPANT_ERASED = "participant.erased", _("Participant's data erased")
    PARTICIPANTS_ANONYMISED = "participants.anonymised", _("Participants' data anonymised")
    ONBOARDING_ITEM_MOVED = "onboarding.item_moved", _("Onboarding step moved")
    ONBOARDING_ITEM_DELETED = "onboarding.item_deleted", _("Onboarding step deleted")
