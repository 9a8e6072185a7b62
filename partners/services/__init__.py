"""Every change of state of a partnership, one function each, in one module per stage.

``membership`` (answering a decision, withdrawing), ``onboarding`` (checklist, contacts,
agreement, privacy, public listing), ``activities`` (programme and nominations),
``attendance`` (who was there, certificates) and ``privacy`` (export, erasure, retention);
``downloads`` records the partner's files handed to the project team.
Each checks what it is asked, saves inside ``transaction.atomic``, audits and queues its
emails.
"""

from .activities import (
    decide_nomination,
    nominate,
    save_activity,
    seat_table,
    seats_used,
    update_participant,
    withdraw_participant,
)
from .attendance import issue_certificates, record_attendance
from .common import PartnershipError
from .downloads import record_download
from .membership import accept_place, decline_place, pending_reply, reply_is_open, withdraw_partner
from .onboarding import (
    accept_participant_privacy,
    change_partnership_settings,
    check_agreement,
    confirm_item,
    delete_checklist_item,
    move_checklist_item,
    save_checklist_item,
    save_contact,
    set_item_state,
    set_public_listing,
    upload_signed_agreement,
)
from .privacy import anonymise_expired, erase_participant, export_participant

__all__ = [
    "PartnershipError",
    "accept_participant_privacy",
    "accept_place",
    "anonymise_expired",
    "change_partnership_settings",
    "check_agreement",
    "confirm_item",
    "decide_nomination",
    "decline_place",
    "delete_checklist_item",
    "erase_participant",
    "export_participant",
    "issue_certificates",
    "move_checklist_item",
    "nominate",
    "pending_reply",
    "record_attendance",
    "record_download",
    "reply_is_open",
    "save_activity",
    "save_checklist_item",
    "save_contact",
    "seat_table",
    "seats_used",
    "set_item_state",
    "set_public_listing",
    "update_participant",
    "upload_signed_agreement",
    "withdraw_participant",
    "withdraw_partner",
]
