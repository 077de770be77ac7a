"""Pages of the projects app: themes, the cronoprogramma, focus groups and their meetings."""

from django.urls import path

from ..views import focus_groups, meetings, themes, timeline

urlpatterns = [
    path("tematiche/", themes.theme_list, name="theme-list"),
    path("tematiche/nuova/", themes.theme_create, name="theme-create"),
    path("tematiche/<int:pk>/", themes.theme_detail, name="theme-detail"),
    path("tematiche/<int:pk>/modifica/", themes.theme_update, name="theme-update"),
    path("tematiche/<int:theme_pk>/focus-group/nuovo/", focus_groups.focusgroup_create, name="focusgroup-create"),
    path("cronoprogramma/", timeline.timeline, name="timeline"),
    path("cronoprogramma/nuova/", timeline.milestone_create, name="milestone-create"),
    path("cronoprogramma/<int:pk>/modifica/", timeline.milestone_update, name="milestone-update"),
    path("cronoprogramma/<int:pk>/fatta/", timeline.milestone_done, name="milestone-done"),
    path("cronoprogramma/<int:pk>/riapri/", timeline.milestone_reopen, name="milestone-reopen"),
    path("focus-group/miei/", focus_groups.my_focus_groups, name="my-focusgroups"),
    path("focus-group/<int:pk>/", focus_groups.focusgroup_detail, name="focusgroup-detail"),
    path("focus-group/<int:pk>/modifica/", focus_groups.focusgroup_update, name="focusgroup-update"),
    path("focus-group/<int:pk>/partecipa/", focus_groups.focusgroup_join, name="focusgroup-join"),
    path("focus-group/<int:pk>/invita/", focus_groups.focusgroup_invite, name="focusgroup-invite"),
    path(
        "focus-group/adesioni/<int:pk>/accetta/", focus_groups.membership_accept,
        name="focusgroup-membership-accept",
    ),
    path(
        "focus-group/adesioni/<int:pk>/rifiuta/", focus_groups.membership_decline,
        name="focusgroup-membership-decline",
    ),
    path("focus-group/<int:pk>/incontri/nuovo/", meetings.meeting_create, name="meeting-create"),
    path("focus-group/incontri/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("focus-group/incontri/<int:pk>/modifica/", meetings.meeting_update, name="meeting-update"),
    path("focus-group/incontri/<int:pk>/verbale/", meetings.meeting_minutes, name="meeting-minutes"),
    path(
        "focus-group/incontri/<int:pk>/verbale/pubblica/", meetings.meeting_minutes_publish,
        name="meeting-minutes-publish",
    ),
    path("focus-group/incontri/<int:pk>/presenze/", meetings.meeting_attendance, name="meeting-attendance"),
]
