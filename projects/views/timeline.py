"""The cronoprogramma: a public overview of the milestones grouped by phase, each done, due or
late; the steering group and staff add and edit milestones, mark them done and reopen them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms.timeline import MilestoneDoneForm, MilestoneForm
from ..models import Milestone, MilestoneStatus, Phase


def _require_perm(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _timeline_url(milestone=None):
    url = reverse("projects:timeline")
    return f"{url}#milestone-{milestone.pk}" if milestone else url


@require_GET
def timeline(request):
    """One query: the milestones with their status, grouped here in the order of the phases."""
    _require_perm(request, "projects.view_milestone")
    today = timezone.localdate()
    milestones = list(Milestone.objects.with_status(today).order_by("due_date", "order", "pk"))
    phases = [
        {"phase": label, "value": value, "milestones": [m for m in milestones if m.phase == value]}
        for value, label in Phase.choices
    ]
    counts = {status.value: sum(m.current_status == status.value for m in milestones) for status in MilestoneStatus}
    return render(request, "projects/timeline/timeline.html", {
        "phases": [phase for phase in phases if phase["milestones"]],
        "has_milestones": bool(milestones), "counts": counts, "today": today,
        "can_add": request.user.has_perm("projects.add_milestone"),
        "can_change": request.user.has_perm("projects.change_milestone"),
    })


def _save_milestone(request, form, milestone=None):
    try:
        if milestone is None:
            return services.create_milestone(by=request.user, **form.cleaned_data)
        return services.update_milestone(milestone, by=request.user, **form.cleaned_data)
    except services.ProjectsError as error:
        form.add_error(None, error.message)
    except ValidationError as error:
        form.add_error(None, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request):
    _require_perm(request, "projects.add_milestone")
    form = MilestoneForm(request.POST or None)
    if form.is_valid() and (milestone := _save_milestone(request, form)):
        messages.success(request, _("The milestone “%(title)s” has been added.") % {"title": milestone.title})
        return redirect(_timeline_url(milestone))
    return render(request, "projects/timeline/milestone_form.html", {"form": form, "milestone": None})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_update(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    _require_perm(request, "projects.change_milestone", milestone)
    title = milestone.title  # validating the form writes into `milestone`
    form = MilestoneForm(request.POST or None, instance=milestone)
    if form.is_valid() and _save_milestone(request, form, milestone):
        messages.success(request, _("The milestone has been saved."))
        return redirect(_timeline_url(milestone))
    return render(request, "projects/timeline/milestone_form.html", {
        "form": form, "milestone": milestone, "title": title,
    })


@login_required
@require_POST
def milestone_done(request, pk):
    """Mark a milestone reached, on the day given (today when left empty)."""
    milestone = get_object_or_404(Milestone, pk=pk)
    _require_perm(request, "projects.change_milestone", milestone)
    form = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date, such as today's."))
        return redirect(_timeline_url(milestone))
    try:
        milestone = services.mark_milestone_done(
            milestone, by=request.user, done_date=form.cleaned_data["done_date"]
        )
    except services.ProjectsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is marked done on %(date)s.") % {
            "title": milestone.title, "date": date_format(milestone.done_date, "SHORT_DATE_FORMAT"),
        })
    return redirect(_timeline_url(milestone))


@login_required
@require_POST
def milestone_reopen(request, pk):
    """Undo a milestone marked done by mistake."""
    milestone = get_object_or_404(Milestone, pk=pk)
    _require_perm(request, "projects.change_milestone", milestone)
    try:
        milestone = services.reopen_milestone(milestone, by=request.user)
    except services.ProjectsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is no longer marked done.") % {"title": milestone.title})
    return redirect(_timeline_url(milestone))
