"""Pages that belong to no app: home, health check, legal pages, and the two hubs (personal
area, steering-group workspace) that link to every app's pages by URL name."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Municipality
from .privacy import notice_context


def home(request):
    municipalities = Municipality.objects.all()
    return render(request, "welfare_portal/home.html", {"municipalities": municipalities})


@require_GET
@never_cache
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def privacy(request):
    """The privacy notice (GDPR arts. 13-14); the deployment's details come from settings."""
    return render(request, "welfare_portal/privacy.html", notice_context())


def accessibility(request):
    return render(request, "welfare_portal/accessibility.html")


@login_required
def personal_area(request):
    """One entry in the menu for everything that is the person's own: organisations,
    proposals, focus groups, pacts to sign, account and security."""
    return render(request, "welfare_portal/personal_area.html")


@login_required
def steering_workspace(request):
    """The steering group's tools in one place; the same people run the outreach board."""
    if not request.user.has_perm("partners.view_outreachcontact"):
        raise PermissionDenied
    return render(request, "welfare_portal/steering_workspace.html")
