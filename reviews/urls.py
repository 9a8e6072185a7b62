from django.urls import path

from .views import coordinator, evaluator, ranking, robustness

app_name = "reviews"

# Evaluators: their assignments, conflict declarations and reviews.
evaluator_patterns = [
    path("evaluation/", evaluator.evaluator_home, name="evaluator_home"),
    path("evaluation/applications/<int:pk>/", evaluator.application_review, name="evaluator_application"),
    path("evaluation/applications/<int:pk>/total/", evaluator.review_total, name="evaluator_review_total"),
    path(
        "evaluation/applications/<int:pk>/autosave/",
        evaluator.review_autosave,
        name="evaluator_review_autosave",
    ),
    path(
        "evaluation/applications/<int:pk>/no-conflict/",
        evaluator.confirm_no_conflict,
        name="evaluator_confirm_no_conflict",
    ),
    path("evaluation/applications/<int:pk>/conflict/", evaluator.declare_conflict, name="evaluator_conflict"),
    path("evaluation/applications/<int:pk>/decline/", evaluator.decline, name="evaluator_decline"),
    path("evaluation/calls/<slug:slug>/conflicts/", evaluator.conflicts, name="evaluator_conflicts"),
]

# Coordinators: eligibility screening, evaluators, assignment, progress.
coordinator_patterns = [
    path("coordination/", coordinator.coordinator_home, name="coordinator_home"),
    path("coordination/calls/<slug:slug>/", coordinator.call_overview, name="call_overview"),
    path(
        "coordination/calls/<slug:slug>/applications/",
        coordinator.application_list,
        name="coordinator_applications",
    ),
    path("coordination/calls/<slug:slug>/screening/", coordinator.screening_list, name="screening_list"),
    path("coordination/calls/<slug:slug>/evaluators/", coordinator.evaluators, name="call_evaluators"),
    path("coordination/calls/<slug:slug>/settings/", coordinator.review_settings, name="review_settings"),
    path("coordination/calls/<slug:slug>/audit/", coordinator.call_audit, name="call_audit"),
    path("coordination/calls/<slug:slug>/assignment/", coordinator.auto_assign, name="auto_assign"),
    path(
        "coordination/applications/<int:pk>/",
        coordinator.application_evaluation,
        name="application_evaluation",
    ),
    path("coordination/applications/<int:pk>/screening/", coordinator.screening, name="screening"),
    path("coordination/applications/<int:pk>/assign/", coordinator.assignment_add, name="assignment_add"),
    path(
        "coordination/assignments/<int:pk>/remove/", coordinator.assignment_remove, name="assignment_remove"
    ),
    path("coordination/reviews/<int:pk>/reopen/", coordinator.review_reopen, name="review_reopen"),
    path("coordination/evaluators/<int:pk>/active/", coordinator.evaluator_active, name="evaluator_active"),
]

# Coordinators: ranking, selection, decisions, dashboard and exports.
ranking_patterns = [
    path("coordination/calls/<slug:slug>/ranking/", ranking.ranking, name="ranking"),
    path("coordination/calls/<slug:slug>/ranking/<int:pk>/", ranking.ranking_sheet, name="ranking_sheet"),
    path("coordination/calls/<slug:slug>/ranking/<int:pk>/consensus/", ranking.consensus, name="consensus"),
    path("coordination/calls/<slug:slug>/selection/", ranking.selection_page, name="selection"),
    path(
        "coordination/calls/<slug:slug>/selection/<int:pk>/override/",
        ranking.selection_override,
        name="selection_override",
    ),
    path(
        "coordination/calls/<slug:slug>/selection/finalise/",
        ranking.selection_finalise,
        name="selection_finalise",
    ),
    path(
        "coordination/calls/<slug:slug>/selection/<int:pk>/decline/",
        ranking.decision_decline,
        name="decision_decline",
    ),
    path("coordination/calls/<slug:slug>/robustness/compute/", robustness.compute, name="robustness_compute"),
    path(
        "coordination/calls/<slug:slug>/robustness/progress/", robustness.progress, name="robustness_progress"
    ),
    path(
        "coordination/calls/<slug:slug>/robustness/lottery/announce/",
        robustness.lottery_announce,
        name="lottery_announce",
    ),
    path(
        "coordination/calls/<slug:slug>/robustness/lottery/draw/",
        robustness.lottery_draw,
        name="lottery_draw",
    ),
    path("coordination/calls/<slug:slug>/sensitivity/", ranking.sensitivity_page, name="sensitivity"),
    path("coordination/calls/<slug:slug>/dashboard/", ranking.dashboard_page, name="call_dashboard"),
    path("coordination/calls/<slug:slug>/exports/", ranking.export_page, name="exports"),
    path(
        "coordination/calls/<slug:slug>/exports/<str:name>", ranking.export_download, name="export_download"
    ),
]

urlpatterns = evaluator_patterns + coordinator_patterns + ranking_patterns
