from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/progress/", views.progress, name="progress"),
    path("outbox/<int:pk>/", views.message_detail, name="message_detail"),
    path("outbox/<int:pk>/html/", views.message_html, name="message_html"),
    path("outbox/<int:pk>/resend/", views.message_resend, name="message_resend"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>", views.verify),
]
