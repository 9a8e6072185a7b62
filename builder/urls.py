from django.urls import path

from .views import calls, evaluation, faq, form, messages, team, texts

app_name = "builder"

CALL = "builder/calls/<slug:slug>/"

urlpatterns = [
    path("builder/", calls.home, name="home"),
    path("builder/new/", calls.call_create, name="call_create"),
    path(CALL, calls.overview, name="overview"),
    path(CALL + "copy/", calls.call_copy, name="call_copy"),
    path(CALL + "publish/", calls.publish, name="publish"),
    path(CALL + "unpublish/", calls.unpublish, name="unpublish"),
    # Texts, address and dates, letters.
    path(CALL + "texts/", texts.texts, name="texts"),
    path(CALL + "texts/preview/", texts.texts_preview, name="texts_preview"),
    path(CALL + "basics/", texts.basics, name="basics"),
    path(CALL + "letters/", texts.letters, name="letters"),
    # The application form.
    path(CALL + "form/", form.form_outline, name="form"),
    path(CALL + "form/steps/new/", form.section_add, name="section_add"),
    path(CALL + "form/steps/<int:pk>/", form.section_edit, name="section_edit"),
    path(CALL + "form/steps/<int:pk>/move/", form.section_move, name="section_move"),
    path(CALL + "form/steps/<int:pk>/remove/", form.section_delete, name="section_delete"),
    path(CALL + "form/steps/<int:pk>/questions/new/", form.question_add, name="question_add"),
    path(CALL + "form/questions/<int:pk>/", form.question_edit, name="question_edit"),
    path(CALL + "form/questions/<int:pk>/move/", form.question_move, name="question_move"),
    path(CALL + "form/questions/<int:pk>/remove/", form.question_delete, name="question_delete"),
    # FAQ.
    path(CALL + "faq/", faq.faq, name="faq"),
    path(CALL + "faq/new/", faq.faq_add, name="faq_add"),
    path(CALL + "faq/<int:pk>/", faq.faq_edit, name="faq_edit"),
    path(CALL + "faq/<int:pk>/move/", faq.faq_move, name="faq_move"),
    path(CALL + "faq/<int:pk>/remove/", faq.faq_delete, name="faq_delete"),
    # Evaluation and selection.
    path(CALL + "evaluation/", evaluation.evaluation, name="evaluation"),
    path(CALL + "evaluation/criteria/new/", evaluation.criterion_add, name="criterion_add"),
    path(CALL + "evaluation/criteria/<int:pk>/", evaluation.criterion_edit, name="criterion_edit"),
    path(CALL + "evaluation/criteria/<int:pk>/move/", evaluation.criterion_move, name="criterion_move"),
    path(CALL + "evaluation/criteria/<int:pk>/remove/", evaluation.criterion_delete, name="criterion_delete"),
    path(CALL + "selection/", evaluation.selection, name="selection"),
    # Emails and letters.
    path(CALL + "messages/", messages.message_list, name="messages"),
    path(CALL + "messages/<slug:kind>/", messages.message_edit, name="message_edit"),
    path(CALL + "messages/<slug:kind>/preview/", messages.message_preview, name="message_preview"),
    # Coordinators and evaluators.
    path(CALL + "team/", team.team, name="team"),
    path(CALL + "team/coordinators/<int:pk>/remove/", team.coordinator_remove, name="coordinator_remove"),
    path(CALL + "team/invitations/<int:pk>/cancel/", team.invitation_cancel, name="invitation_cancel"),
]
