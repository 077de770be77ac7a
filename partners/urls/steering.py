"""URLs for steering."""

from django.urls import path

from ..views import steering as views

urlpatterns = [
    path("gruppo-di-regia/", views.steering_group, name="steering-group"),
    path("gestione/gruppo-di-regia/", views.steering_member_list, name="steering-member-list"),
    path("gestione/gruppo-di-regia/nomina/", views.steering_member_appoint, name="steering-member-appoint"),
    path("gestione/gruppo-di-regia/<int:pk>/termina/", views.steering_member_end, name="steering-member-end"),
]
