"""A URLconf with the planned projects pages, so tests can show that emails link to them as
soon as they exist (see projects/urls.py)."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request, **kwargs):
    return HttpResponse()


projects_patterns = (
    [
        path("proposte/<int:pk>/", _page, name="proposal-detail"),
        path("regia/proposte/", _page, name="review-queue"),
        path("focus-group/<int:pk>/", _page, name="focusgroup-detail"),
    ],
    "projects",
)

urlpatterns = [path("", include(projects_patterns))]
