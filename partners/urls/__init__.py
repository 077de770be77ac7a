"""URLs of the partners app (namespace `partners`), one module per area."""

from django.urls import include, path

app_name = "partners"

urlpatterns = [
    path("", include("partners.urls.organisations")),
    path("", include("partners.urls.steering")),
    path("", include("partners.urls.outreach")),
    path("", include("partners.urls.events")),
]
