"""Public verification of the portal's documents (charter.views.verification)."""

from django.urls import path

from ..views import verification

urlpatterns = [
    path("verifica/", verification.verification_start, name="verification-start"),
    path("verifica/<str:code>/", verification.verification_detail, name="verification-detail"),
]
