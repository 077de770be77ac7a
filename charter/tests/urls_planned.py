"""A URLconf with the planned charter pages, so tests can show that emails link to them as soon
as they exist (see charter/urls)."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request, **kwargs):
    return HttpResponse()


charter_patterns = (
    [
        path("patto/<int:pk>/", _page, name="pact-detail"),
        path("regia/patto/<int:pk>/", _page, name="pact-progress"),
        path("patto/firmatari/<int:pk>/firma/", _page, name="signatory-sign"),
    ],
    "charter",
)

urlpatterns = [path("", include(charter_patterns))]
