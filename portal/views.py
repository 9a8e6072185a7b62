import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from intake import queries

from . import health, roles
from .forms import ProfileForm

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "portal/home.html", {"calls": queries.open_calls()})


def privacy(request):
    """The privacy notice: who holds what, why, for how long, the person's rights, how to ask."""
    return render(
        request,
        "portal/privacy.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "privacy_contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "projects": queries.projects_with_contacts(),
            "application_retention_months": settings.APPLICATION_RETENTION_MONTHS,
            "participant_retention_months": settings.PARTICIPANT_RETENTION_MONTHS,
        },
    )


@login_required
def dashboard(request):
    """Send each person to the page their role starts from."""
    names = roles.role_names(request.user)
    if roles.COORDINATOR in names:
        return redirect("reviews:coordinator_home")
    if roles.EVALUATOR in names:
        return redirect("reviews:evaluator_home")
    return redirect("intake:dashboard")


@login_required
@never_cache
def profile(request):
    """The person's name (letters and certificates use it) and the language of their emails."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your name and language are saved."))
        response = redirect("portal:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "portal/profile.html", {"form": form})


def set_language(request):
    """Django's language switcher, and the choice kept on the account. A request refused
    before this view (CSRF) changes nothing, neither cookie nor account."""
    response = i18n.set_language(request)
    chosen = request.POST.get("language") if request.method == "POST" else None
    user = request.user
    if chosen in dict(settings.LANGUAGES) and user.is_authenticated and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return response


def admin_login(request, extra_context=None):
    """The admin logs in through the portal's login page: the same limits and the same
    two-factor step as everyone. A logged-in person without admin access finds no admin."""
    if request.user.is_authenticated:
        raise Http404
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("account_login"))


@require_GET
@never_cache
def healthz(request):
    """Up or not, for the load balancer; why not goes to the logs only (it names hosts)."""
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    for name, (up, error) in checks.items():
        if not up:
            logger.error("Health check: the %s does not answer: %s", name, error)
    up = all(ok for ok, _error in checks.values())
    return JsonResponse({"status": "ok" if up else "unavailable"}, status=200 if up else 503)
