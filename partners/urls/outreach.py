"""URLs of the steering group's outreach board and of the invitation link it emails."""

from django.urls import path

from ..views import outreach as views

urlpatterns = [
    path("gruppo-di-regia/contatti/", views.outreach_board, name="outreach-board"),
    path("gruppo-di-regia/contatti/nuovo/", views.outreach_contact_create, name="outreach-create"),
    path("gruppo-di-regia/contatti/<int:pk>/", views.outreach_contact_detail, name="outreach-detail"),
    path("gruppo-di-regia/contatti/<int:pk>/modifica/", views.outreach_contact_update, name="outreach-update"),
    path("gruppo-di-regia/contatti/<int:pk>/assegna/", views.outreach_contact_assign, name="outreach-assign"),
    path("gruppo-di-regia/contatti/<int:pk>/stato/", views.outreach_contact_move, name="outreach-move"),
    path("gruppo-di-regia/contatti/<int:pk>/invito/", views.outreach_contact_invite, name="outreach-invite"),
    path("invito/<str:token>/", views.outreach_invitation, name="outreach-invitation"),
]
