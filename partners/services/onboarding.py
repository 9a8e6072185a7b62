"""Onboarding: the project's checklist, and each partner's way through it.

Most items complete themselves from what the partner does (naming its contacts,
accepting the participants' privacy notice, answering about its public listing); the
signed agreement waits for a coordinator's check; a plain confirmation item is ticked
by the partner. A coordinator may set any item's state, with a note.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import uploads
from portal.audit import record

from ..models import (
    ChecklistItem,
    ChecklistProgress,
    ContactRole,
    ItemKind,
    ItemState,
    Partner,
    PartnerContact,
    PartnershipSettings,
    SignedAgreement,
)
from .common import PartnershipError

ITEM_FIELDS = ["order", "kind", "title_en", "title_fr", "help_en", "help_fr", "is_active"]
CONTACT_FIELDS = ["name", "position", "email", "phone", "languages"]


def _refuse_unless_active(partner):
    if not partner.is_active:
        raise PartnershipError(_("This partner has withdrawn from the project: nothing can be changed."))


def save_checklist_item(project, *, by, values, item=None):
    """Add an item to the project's checklist (at the end, unless ``values`` give its order),
    or change one. Retiring an item (``is_active`` False) keeps the partners' progress on it."""
    with transaction.atomic():
        before = {name: getattr(item, name) for name in ITEM_FIELDS} if item else None
        if item is None:
            last = ChecklistItem.objects.filter(project=project).aggregate(last=Max("order"))["last"]
            item = ChecklistItem(project=project, order=(last or 0) + 1)
        for name in ITEM_FIELDS:
            if name in values:
                setattr(item, name, values[name])
        item.full_clean()
        item.save()
        record(
            by,
            "onboarding.item_saved",
            item,
            before=before,
            after={name: getattr(item, name) for name in ITEM_FIELDS},
        )
    return item


def move_checklist_item(item, *, by, offset):
    """Move an item up (``offset`` -1) or down (+1) the checklist; the others keep their order.

    Every item of the project is renumbered 1, 2, 3... under a lock, so two coordinators
    moving items at once cannot leave two items at the same place."""
    with transaction.atomic():
        items = list(ChecklistItem.objects.select_for_update().filter(project_id=item.project_id))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index + offset
        if offset not in (-1, 1) or not 0 <= target < len(items):
            return items[index]
        before = index + 1
        items[index], items[target] = items[target], items[index]
        changed = []
        for position, other in enumerate(items, start=1):
            if other.order != position:
                other.order = position
                changed.append(other)
        ChecklistItem.objects.bulk_update(changed, ["order"])
        moved = items[target]
        record(
            by, "onboarding.item_moved", moved, before={"position": before}, after={"position": target + 1}
        )
    return moved


def delete_checklist_item(item, *, by):
    """Delete an item no partner has started. One a city has completed, or sent for checking,
    is part of that city's history: it can be retired (no longer asked), not deleted."""
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if item.progress.exclude(state=ItemState.OPEN).exists():
            raise PartnershipError(
                _("A city has already completed this step: retire it instead, so that its history stays.")
            )
        record(
            by, "onboarding.item_deleted", item, before={name: getattr(item, name) for name in ITEM_FIELDS}
        )
        item.delete()


def change_partnership_settings(project, *, by, onboarding_deadline, retention_months):
    with transaction.atomic():
        current = PartnershipSettings.objects.for_project(project)
        before = {
            "onboarding_deadline": current.onboarding_deadline and current.onboarding_deadline.isoformat(),
            "retention_months": current.retention_months,
        }
        current.onboarding_deadline = onboarding_deadline
        current.retention_months = retention_months
        current.full_clean()
        current.save()
        record(
            by,
            "partnership.settings_changed",
            current,
            before=before,
            after={
                "onboarding_deadline": onboarding_deadline and onboarding_deadline.isoformat(),
                "retention_months": retention_months,
            },
        )
    return current


def _set_state(partner, kind, state, *, by, checked=False, note=None):
    """Every item of ``kind`` in the partner's project moves to ``state``."""
    items = ChecklistItem.objects.filter(project_id=partner.project_id, kind=kind)
    now = timezone.now()
    for item in items:
        progress, _created = ChecklistProgress.objects.get_or_create(partner=partner, item=item)
        if progress.state == state and not checked:
            continue
        progress.state = state
        progress.updated_by = by
        if checked:
            progress.checked_at, progress.checked_by = now, by
        if note is not None:
            progress.note = note
        progress.save()


def set_item_state(partner, item, *, by, state, note=""):
    """A coordinator sets where a partner stands on an item (e.g. an answer received by email)."""
    if item.project_id != partner.project_id:
        raise PartnershipError(_("Choose an item of the partner's project."))
    if state not in ItemState.values:
        raise PartnershipError(_("Choose a state."))
    with transaction.atomic():
        progress, _created = ChecklistProgress.objects.get_or_create(partner=partner, item=item)
        before = {"state": progress.state}
        progress.state = state
        progress.note = (note or "").strip()
        progress.updated_by = by
        if state == ItemState.DONE:
            progress.checked_at, progress.checked_by = timezone.now(), by
        progress.save()
        record(by, "onboarding.item_set", progress, before=before, after={"state": state}, note=progress.note)
    return progress


def save_contact(partner, role, *, by, values):
    """The partner names (or changes) its focal point, deputy or police contact."""
    _refuse_unless_active(partner)
    if role not in ContactRole.values:
        raise PartnershipError(_("Choose a role."))
    with transaction.atomic():
        contact = PartnerContact.objects.filter(partner=partner, role=role).first()
        before = {name: getattr(contact, name) for name in CONTACT_FIELDS} if contact else None
        contact = contact or PartnerContact(partner=partner, role=role)
        for name in CONTACT_FIELDS:
            setattr(contact, name, (values.get(name) or "").strip())
        try:
            contact.full_clean()
        except ValidationError as invalid:
            raise PartnershipError(_("Please correct the marked fields."), invalid.message_dict) from None
        contact.save()
        record(
            by,
            "partner.contact_saved",
            contact,
            before=before,
            after={"role": role, **{name: getattr(contact, name) for name in CONTACT_FIELDS}},
        )
        roles = set(PartnerContact.objects.filter(partner=partner).values_list("role", flat=True))
        focal = {ContactRole.FOCAL_POINT, ContactRole.DEPUTY} <= roles
        _set_state(partner, ItemKind.FOCAL_POINTS, ItemState.DONE if focal else ItemState.OPEN, by=by)
        police = ContactRole.POLICE in roles
        _set_state(partner, ItemKind.POLICE_CONTACT, ItemState.DONE if police else ItemState.OPEN, by=by)
    return contact


def upload_signed_agreement(partner, uploaded, *, by):
    """The partner uploads its signed agreement (checked by content like every upload); it
    waits for a coordinator's check. Raises ``UploadRefused`` with the reason."""
    _refuse_unless_active(partner)
    checked = uploads.check_upload(uploaded)
    if checked.kind not in (uploads.PDF, uploads.PNG, uploads.JPEG):
        raise uploads.UploadRefused(_("Upload the signed agreement as a PDF, or a scan in PNG or JPEG."))
    with transaction.atomic():
        agreement = SignedAgreement(
            partner=partner,
            original_name=checked.display_name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
        )
        uploaded.seek(0)
        agreement.file.save("signed", uploaded, save=False)
        agreement.save()
        record(
            by,
            "partner.agreement_uploaded",
            agreement,
            after={"name": agreement.original_name, "sha256": agreement.sha256, "size": agreement.size},
        )
        _set_state(partner, ItemKind.AGREEMENT, ItemState.SUBMITTED, by=by)
    return agreement


def check_agreement(partner, *, by, accepted, note=""):
    """A coordinator checks the latest signed agreement: accepted (done) or sent back (to do)."""
    latest = partner.signed_agreements.first()
    if latest is None:
        raise PartnershipError(_("The partner has not uploaded a signed agreement yet."))
    note = (note or "").strip()
    if not accepted and not note:
        raise PartnershipError(
            _("Say what is wrong with the signed copy."), {"note": _("A reason is required.")}
        )
    with transaction.atomic():
        state = ItemState.DONE if accepted else ItemState.OPEN
        _set_state(partner, ItemKind.AGREEMENT, state, by=by, checked=accepted, note=note)
        record(
            by,
            "partner.agreement_checked" if accepted else "partner.agreement_returned",
            latest,
            after={"sha256": latest.sha256, "accepted": accepted},
            note=note,
        )


def accept_participant_privacy(partner, *, by):
    """The partner confirms the participants' privacy notice before entering anyone's data."""
    _refuse_unless_active(partner)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        before = {"version": partner.privacy_notice_version or None}
        partner.privacy_notice_version = settings.PARTICIPANT_PRIVACY_NOTICE_VERSION
        partner.privacy_accepted_at = timezone.now()
        partner.privacy_accepted_by = by
        partner.save(update_fields=["privacy_notice_version", "privacy_accepted_at", "privacy_accepted_by"])
        record(
            by,
            "partner.privacy_accepted",
            partner,
            before=before,
            after={"version": partner.privacy_notice_version},
        )
        _set_state(partner, ItemKind.DATA_PROTECTION, ItemState.DONE, by=by)
    return partner


def set_public_listing(partner, *, by, consent, public_name="", logo=None, remove_logo=False):
    """What the project's public pages may show of the partner: its name and logo, or nothing.

    A logo must be a PNG or JPEG (checked by content). Answering either way completes the item.
    """
    _refuse_unless_active(partner)
    checked = None
    if logo is not None:
        checked = uploads.check_upload(logo)
        if checked.kind not in (uploads.PNG, uploads.JPEG):
            raise uploads.UploadRefused(_("A logo must be a PNG or JPEG image."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().select_related("organisation").get(pk=partner.pk)
        before = {"consent": partner.public_consent, "name": partner.public_name, "logo": bool(partner.logo)}
        partner.public_consent = bool(consent)
        partner.public_consent_at = timezone.now()
        partner.public_name = (public_name or "").strip()[:200]
        if remove_logo:
            partner.logo = ""
            partner.logo_content_type = ""
        if checked is not None:
            logo.seek(0)
            partner.logo.save("logo", logo, save=False)
            partner.logo_content_type = checked.kind.content_type
        partner.save()
        record(
            by,
            "partner.public_listing",
            partner,
            before=before,
            after={
                "consent": partner.public_consent,
                "name": partner.public_name,
                "logo": bool(partner.logo),
            },
        )
        _set_state(partner, ItemKind.PUBLIC_LISTING, ItemState.DONE, by=by)
    return partner


def confirm_item(partner, item, *, by):
    """The partner ticks an item that asks only for its confirmation."""
    _refuse_unless_active(partner)
    if item.project_id != partner.project_id or item.kind != ItemKind.CONFIRMATION:
        raise PartnershipError(_("This item is completed another way."))
    with transaction.atomic():
        progress, _created = ChecklistProgress.objects.get_or_create(partner=partner, item=item)
        progress.state = ItemState.DONE
        progress.updated_by = by
        progress.save()
        record(by, "onboarding.item_confirmed", progress, after={"state": progress.state})
    return progress
