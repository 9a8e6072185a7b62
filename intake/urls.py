from django.urls import path  # noqa: F401

from .views import applications, organisations, public  # noqa: F401

app_name = "intake"

# Public pages of the calls.
public_patterns = []

# Organisations, colleagues and invitations.
organisation_patterns = []

# The applicant's journey: applications, steps, documents, submission.
application_patterns = []

urlpatterns = public_patterns + organisation_patterns + application_patterns
