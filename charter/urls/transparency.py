"""Open data and the needs-coverage map (public; the map's evaluation view for the steering group)."""

from django.urls import path

from ..views import coverage, opendata

urlpatterns = [
    path("dati-aperti/", opendata.opendata_list, name="opendata"),
    path("dati-aperti/dizionario/", opendata.opendata_dictionary, name="opendata-dictionary"),
    path("dati-aperti/<slug:dataset>.<str:fmt>", opendata.opendata_export, name="opendata-export"),
    path("copertura/", coverage.coverage_map, name="coverage"),
]
