from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    # A call's coordinators: the call's people and what the call holds of them.
    path("coordination/calls/<slug:slug>/people/", views.call_people, name="call_people"),
    path("coordination/calls/<slug:slug>/people/<int:pk>/", views.call_person, name="call_person"),
    path(
        "coordination/calls/<slug:slug>/people/<int:pk>/export.json",
        views.call_person_export,
        name="call_person_export",
    ),
    path(
        "coordination/calls/<slug:slug>/people/<int:pk>/erase/",
        views.call_person_erase,
        name="call_person_erase",
    ),
    # Administrators: anyone, everything the portal holds.
    path("personal-data/", views.everyone, name="everyone"),
    path("personal-data/people/<int:pk>/", views.any_person, name="person"),
    path("personal-data/people/<int:pk>/export.json", views.any_person_export, name="person_export"),
    path("personal-data/people/<int:pk>/erase/", views.any_person_erase, name="person_erase"),
]
