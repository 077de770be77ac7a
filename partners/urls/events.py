"""URLs for events: public pages under /eventi/, the organisers' under /gruppo-di-regia/eventi/."""

from django.urls import path

from ..views import events as views

urlpatterns = [
    path("eventi/", views.event_list, name="event-list"),
    path("eventi/<int:pk>/", views.event_detail, name="event-detail"),
    path("eventi/annulla/<str:token>/", views.registration_cancel, name="event-registration-cancel"),
    path("gruppo-di-regia/eventi/", views.event_manage_list, name="event-manage-list"),
    path("gruppo-di-regia/eventi/nuovo/", views.event_create, name="event-create"),
    path("gruppo-di-regia/eventi/<int:pk>/modifica/", views.event_update, name="event-update"),
    path("gruppo-di-regia/eventi/<int:pk>/iscrizioni/", views.event_registrations, name="event-registrations"),
    path(
        "gruppo-di-regia/eventi/<int:pk>/iscrizioni.csv", views.event_registrations_csv,
        name="event-registrations-csv",
    ),
    path(
        "gruppo-di-regia/eventi/iscrizioni/<int:pk>/annulla/", views.event_registration_organiser_cancel,
        name="event-registration-organiser-cancel",
    ),
]
