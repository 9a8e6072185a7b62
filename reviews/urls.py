from django.urls import path  # noqa: F401

from .views import coordinator, evaluator, ranking  # noqa: F401

app_name = "reviews"

# Evaluators: their assignments, conflict declarations and reviews.
evaluator_patterns = []

# Coordinators: eligibility screening, evaluators, assignment, progress.
coordinator_patterns = []

# Coordinators: ranking, selection, decisions, dashboard and exports.
ranking_patterns = []

urlpatterns = evaluator_patterns + coordinator_patterns + ranking_patterns
