from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import include, path

from . import views
from .admin import AuthenticatorAdmin

# The admin has no login form of its own (see views.admin_login).
admin.site.login = views.admin_login
if not isinstance(admin.site.get_model_admin(Authenticator), AuthenticatorAdmin):
    admin.site.unregister(Authenticator)
    admin.site.register(Authenticator, AuthenticatorAdmin)

portal_patterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accounts/profile/", views.profile, name="profile"),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("intake.urls")),
    path("", include("reviews.urls")),
    path("", include("partners.urls")),
    path("", include("builder.urls")),
    path("", include("privacy.urls")),
    path("", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
