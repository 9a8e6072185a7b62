from django.urls import path

from .views import coordinator, partner, public

app_name = "partners"

# The public page of a project.
public_patterns = [
    path("projects/<slug:slug>/", public.project_page, name="project_page"),
    path("projects/<slug:slug>/map.svg", public.project_map, name="project_map"),
    path("projects/<slug:slug>/logos/<int:pk>/", public.public_logo, name="public_logo"),
]

# A selected city answers; a partner's space.
partner_patterns = [
    path("applications/<int:pk>/reply/", partner.reply, name="reply"),
    path("partnerships/", partner.my_partnerships, name="my_partnerships"),
    path("partnerships/<int:pk>/", partner.partner_home, name="partner_home"),
    path("partnerships/<int:pk>/onboarding/<int:item_pk>/", partner.onboarding_item, name="onboarding_item"),
    path("partnerships/<int:pk>/agreement.pdf", partner.agreement_download, name="agreement_download"),
    path(
        "partnerships/<int:pk>/agreement/signed/<int:file_pk>/",
        partner.signed_agreement_download,
        name="signed_agreement_download",
    ),
    path("partnerships/<int:pk>/logo/", partner.logo_download, name="logo_download"),
    path("partnerships/<int:pk>/activities/<int:activity_pk>/", partner.activity, name="activity"),
    path(
        "partnerships/<int:pk>/participants/<int:participant_pk>/",
        partner.participant_edit,
        name="participant_edit",
    ),
    path(
        "partnerships/<int:pk>/participants/<int:participant_pk>/withdraw/",
        partner.participant_withdraw,
        name="participant_withdraw",
    ),
    path(
        "partnerships/<int:pk>/participants/<int:participant_pk>/certificate.pdf",
        partner.certificate_download,
        name="certificate_download",
    ),
]

# The coordinators of a project (and of a call, for its replies).
coordinator_patterns = [
    path("coordination/calls/<slug:slug>/replies/", coordinator.call_replies, name="call_replies"),
    path(
        "coordination/calls/<slug:slug>/replies/<int:pk>/record/",
        coordinator.call_reply_record,
        name="call_reply_record",
    ),
    path("coordination/projects/<slug:slug>/", coordinator.project_home, name="project_home"),
    path("coordination/projects/<slug:slug>/settings/", coordinator.partnership_settings, name="settings"),
    path("coordination/projects/<slug:slug>/checklist/", coordinator.checklist, name="checklist"),
    path(
        "coordination/projects/<slug:slug>/checklist/<int:item_pk>/",
        coordinator.checklist_item,
        name="checklist_item",
    ),
    path(
        "coordination/projects/<slug:slug>/checklist/<int:item_pk>/move/",
        coordinator.checklist_move,
        name="checklist_move",
    ),
    path(
        "coordination/projects/<slug:slug>/checklist/<int:item_pk>/delete/",
        coordinator.checklist_item_delete,
        name="checklist_item_delete",
    ),
    path(
        "coordination/projects/<slug:slug>/partners/<int:pk>/",
        coordinator.project_partner,
        name="project_partner",
    ),
    path("coordination/projects/<slug:slug>/activities/", coordinator.activities, name="activities"),
    path("coordination/projects/<slug:slug>/activities/new/", coordinator.activity_edit, name="activity_new"),
    path(
        "coordination/projects/<slug:slug>/activities/<int:pk>/",
        coordinator.activity_participants,
        name="activity_participants",
    ),
    path(
        "coordination/projects/<slug:slug>/activities/<int:pk>/edit/",
        coordinator.activity_edit,
        name="activity_edit",
    ),
    path(
        "coordination/projects/<slug:slug>/activities/<int:pk>/attendance/",
        coordinator.attendance,
        name="attendance",
    ),
    path(
        "coordination/projects/<slug:slug>/activities/<int:pk>/sign-in/<str:day>.pdf",
        coordinator.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "coordination/projects/<slug:slug>/activities/<int:pk>/certificates/",
        coordinator.certificates_send,
        name="certificates_send",
    ),
    path(
        "coordination/projects/<slug:slug>/participants/<int:pk>/decide/",
        coordinator.participant_decide,
        name="participant_decide",
    ),
    path(
        "coordination/projects/<slug:slug>/participants/<int:pk>/export.json",
        coordinator.participant_export,
        name="participant_export",
    ),
    path(
        "coordination/projects/<slug:slug>/participants/<int:pk>/erase/",
        coordinator.participant_erase,
        name="participant_erase",
    ),
    path("coordination/projects/<slug:slug>/participation/", coordinator.participation, name="participation"),
    path(
        "coordination/projects/<slug:slug>/participation/export.<str:fmt>",
        coordinator.participation_export,
        name="participation_export",
    ),
]

urlpatterns = public_patterns + partner_patterns + coordinator_patterns
