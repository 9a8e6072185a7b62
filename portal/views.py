from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health, roles


def home(request):
    from intake.models import Call

    calls = Call.objects.open_at().order_by("closes_at")
    return render(request, "portal/home.html", {"calls": calls})


def privacy(request):
    return render(request, "portal/privacy.html")


@login_required
def dashboard(request):
    """Send each person to the page their role starts from."""
    names = roles.role_names(request.user)
    if roles.COORDINATOR in names:
        return redirect("reviews:coordinator_home")
    if roles.EVALUATOR in names:
        return redirect("reviews:evaluator_home")
    return redirect("intake:dashboard")


@require_GET
@never_cache
def healthz(request):
    db_up, db_error = health.database_ok()
    broker_up, broker_error = health.broker_ok()
    body = {
        "status": "ok" if db_up and broker_up else "unavailable",
        "database": {"ok": db_up, **({"error": db_error} if db_error else {})},
        "broker": {"ok": broker_up, **({"error": broker_error} if broker_error else {})},
    }
    return JsonResponse(body, status=200 if db_up and broker_up else 503)
