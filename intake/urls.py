from django.urls import path

from .views import applications, organisations, public  # noqa: F401

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
    path("organisations/<int:pk>/invite/", organisations.organisation_invite, name="organisation_invite"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/cancel/",
        organisations.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
]

# The applicant's journey: applications, steps, documents, submission.
application_patterns = []

urlpatterns = public_patterns + organisation_patterns + application_patterns
