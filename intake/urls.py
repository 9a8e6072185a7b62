from django.urls import path

from .views import applications, documents, organisations, public

app_name = "intake"

# Public pages of the calls.
public_patterns = [
    path("calls/", public.call_list, name="call_list"),
    path("calls/<slug:slug>/", public.call_detail, name="call_detail"),
]

# Organisations, colleagues and invitations.
organisation_patterns = [
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/", organisations.my_organisation, name="organisation_detail"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/invite/", organisations.organisation_invite, name="organisation_invite"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/cancel/",
        organisations.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
]

# The applicant's journey: applications, steps, documents, submission.
application_patterns = [
    path("calls/<slug:slug>/apply/", applications.apply, name="apply"),
    path("applications/", applications.dashboard, name="dashboard"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/steps/<int:step>/", applications.application_step, name="application_step"),
    path(
        "applications/<int:pk>/steps/<int:step>/autosave/",
        applications.application_autosave,
        name="application_autosave",
    ),
    path("applications/<int:pk>/summary/", applications.application_summary, name="application_summary"),
    path("applications/<int:pk>/submit/", applications.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("documents/<int:pk>/", applications.document_download, name="document_download"),
    path(
        "applications/<int:pk>/issued/<int:document_pk>/",
        documents.issued_document_download,
        name="issued_document_download",
    ),
]

urlpatterns = public_patterns + organisation_patterns + application_patterns
