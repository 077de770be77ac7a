"""Meetings of a focus group: the facilitators schedule and edit them, write the minutes,
publish them (then they are frozen and the members read them) and record attendance once the
meeting has started. Whoever may see the focus group sees its meetings (404 otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import services
from ..forms.focus_groups import AttendanceForm, MeetingForm, MinutesForm
from ..models import Attendance, FocusGroup, FocusGroupMembership, Meeting


def get_visible_meeting(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("focus_group__theme").prefetch_related("focus_group__facilitators"), pk=pk,
    )
    if not request.user.has_perm("projects.view_meeting", meeting):
        raise Http404
    return meeting


def get_run_meeting(request, pk):
    """A meeting the user runs (a facilitator or staff): 403 for the other people who see it."""
    meeting = get_visible_meeting(request, pk)
    if not request.user.has_perm("projects.change_meeting", meeting):
        raise PermissionDenied
    return meeting


def _save_meeting(request, form, *, focus_group=None, meeting=None):
    try:
        if meeting is None:
            return services.schedule_meeting(focus_group, by=request.user, **form.cleaned_data)
        return services.update_meeting(meeting, by=request.user, **form.cleaned_data)
    except services.ProjectsError as error:
        form.add_error(None, error.message)
    except ValidationError as error:
        form.add_error(None, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    focus_group = get_object_or_404(
        FocusGroup.objects.select_related("theme").prefetch_related("facilitators"), pk=pk,
    )
    if not request.user.has_perm("projects.view_focusgroup", focus_group):
        raise Http404
    if not request.user.has_perm("projects.add_meeting", focus_group):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=Meeting(focus_group=focus_group))
    if form.is_valid() and (meeting := _save_meeting(request, form, focus_group=focus_group)):
        messages.success(request, _("The meeting has been scheduled."))
        return redirect("projects:meeting-detail", pk=meeting.pk)
    return render(request, "projects/focus_groups/meeting_form.html", {
        "form": form, "focus_group": focus_group, "meeting": None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_update(request, pk):
    meeting = get_run_meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if form.is_valid() and _save_meeting(request, form, meeting=meeting):
        messages.success(request, _("The meeting has been saved."))
        return redirect("projects:meeting-detail", pk=meeting.pk)
    return render(request, "projects/focus_groups/meeting_form.html", {
        "form": form, "focus_group": meeting.focus_group, "meeting": meeting,
    })


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = get_visible_meeting(request, pk)
    user = request.user
    started = meeting.starts_at <= timezone.now()
    runs = user.has_perm("projects.change_meeting", meeting)
    return render(request, "projects/focus_groups/meeting_detail.html", {
        "meeting": meeting, "focus_group": meeting.focus_group, "started": started, "runs": runs,
        "can_see_minutes": user.has_perm("projects.view_meeting_minutes", meeting),
        "can_write_minutes": user.has_perm("projects.change_meeting_minutes", meeting),
        "can_publish_minutes": user.has_perm("projects.publish_meeting_minutes", meeting),
        "attendances": (
            Attendance.objects.filter(meeting=meeting).select_related("organisation").order_by("organisation__name")
            if started else []
        ),
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request, pk):
    """The facilitators write the minutes; only they read them until they are published."""
    meeting = get_run_meeting(request, pk)
    if request.method == "GET" and not request.user.has_perm("projects.change_meeting_minutes", meeting):
        messages.info(request, _("The minutes are published and can no longer be changed."))
        return redirect("projects:meeting-detail", pk=meeting.pk)
    form = MinutesForm(request.POST or None, instance=meeting)
    if form.is_valid() and _save_meeting(request, form, meeting=meeting):
        messages.success(request, _("The minutes have been saved. Members will read them once you publish them."))
        return redirect("projects:meeting-detail", pk=meeting.pk)
    return render(request, "projects/focus_groups/meeting_minutes.html", {
        "form": form, "meeting": meeting, "focus_group": meeting.focus_group,
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_minutes_publish(request, pk):
    """A confirmation page; the POST publishes the minutes to the members, for good."""
    meeting = get_run_meeting(request, pk)
    if request.method == "POST":
        try:
            services.publish_minutes(meeting, by=request.user)
        except services.ProjectsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _(
                "The minutes have been published: the members of the focus group can read them."
            ))
        return redirect("projects:meeting-detail", pk=meeting.pk)
    if not request.user.has_perm("projects.publish_meeting_minutes", meeting):
        messages.info(request, _("These minutes were already published on %(date)s.") % {
            "date": date_format(timezone.localtime(meeting.minutes_published_at), "SHORT_DATE_FORMAT"),
        })
        return redirect("projects:meeting-detail", pk=meeting.pk)
    if not meeting.minutes.strip():
        messages.error(request, _("Write the minutes before publishing them."))
        return redirect("projects:meeting-minutes", pk=meeting.pk)
    return render(request, "projects/focus_groups/meeting_minutes_publish.html", {
        "meeting": meeting, "focus_group": meeting.focus_group,
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk):
    """Present or absent, for each member organisation, once the meeting has started."""
    meeting = get_visible_meeting(request, pk)
    if not request.user.has_perm("projects.add_attendance", meeting):
        raise PermissionDenied
    members = [
        m.organisation for m in FocusGroupMembership.objects.filter(
            focus_group_id=meeting.focus_group_id, status=FocusGroupMembership.Status.ACCEPTED,
        ).select_related("organisation").order_by("organisation__name", "pk")
    ]
    recorded = dict(Attendance.objects.filter(meeting=meeting).values_list("organisation_id", "present"))
    form = AttendanceForm(request.POST or None, organisations=members, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(meeting, by=request.user, attendance=form.cleaned_data["attendance"])
        except services.ProjectsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The attendance has been recorded."))
            return redirect("projects:meeting-detail", pk=meeting.pk)
    return render(request, "projects/focus_groups/meeting_attendance.html", {
        "form": form, "meeting": meeting, "focus_group": meeting.focus_group, "members": members,
        "started": meeting.starts_at <= timezone.now(),
    })
