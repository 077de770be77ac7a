"""Pages that belong to no app: home, health check, legal pages."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Municipality


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
    return render(request, "welfare_portal/privacy.html")


def accessibility(request):
    return render(request, "welfare_portal/accessibility.html")
