"""Themes and the cronoprogramma, kept by the steering group and staff."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Milestone, Theme
from .base import ProjectsError, require_active, require_perm, set_m2m, split_fields

THEME_FIELDS = {"title", "description", "call_opens_at", "call_closes_at"}
THEME_M2M_FIELDS = {"policy_areas"}
MILESTONE_FIELDS = {"phase", "title", "description", "due_date", "order"}

__all__ = [
    "create_milestone", "create_theme", "mark_milestone_done", "reopen_milestone", "update_milestone",
    "update_theme",
]


def create_theme(*, by, **data):
    """A theme with its call window; proposals can be drafted under it at any time and
    submitted only while the call is open."""
    require_active(by)
    require_perm(by, "projects.add_theme")
    plain, m2m = split_fields(data, THEME_FIELDS, THEME_M2M_FIELDS, "theme")
    theme = Theme(**plain, created_by=by)
    theme.full_clean()
    with transaction.atomic():
        theme.save()
        set_m2m(theme, m2m)
    return theme


def update_theme(theme, *, by, **data):
    """Edit a theme. Moving the call window affects only submissions still to come."""
    require_active(by)
    plain, m2m = split_fields(data, THEME_FIELDS, THEME_M2M_FIELDS, "theme")
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        require_perm(by, "projects.change_theme", theme)
        for name, value in plain.items():
            setattr(theme, name, value)
        theme.full_clean()
        theme.save(update_fields=list(plain) or None)
        set_m2m(theme, m2m)
    return theme


def create_milestone(*, by, **data):
    require_active(by)
    require_perm(by, "projects.add_milestone")
    plain, _m2m = split_fields(data, MILESTONE_FIELDS, (), "milestone")
    milestone = Milestone(**plain, created_by=by)
    milestone.full_clean()
    milestone.save()
    return milestone


def update_milestone(milestone, *, by, **data):
    require_active(by)
    plain, _m2m = split_fields(data, MILESTONE_FIELDS, (), "milestone")
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        require_perm(by, "projects.change_milestone", milestone)
        for name, value in plain.items():
            setattr(milestone, name, value)
        milestone.full_clean()
        milestone.save(update_fields=list(plain) or None)
    return milestone


def mark_milestone_done(milestone, *, by, done_date=None):
    """Record the day a milestone was reached (today by default; never in the future)."""
    require_active(by)
    today = timezone.localdate()
    done_date = done_date or today
    if done_date > today:
        raise ProjectsError(_("A milestone cannot be marked done on a future date."))
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        require_perm(by, "projects.change_milestone", milestone)
        if milestone.done_date is not None:
            raise ProjectsError(
                _("This milestone was already marked done on %(date)s.")
                % {"date": date_format(milestone.done_date, "SHORT_DATE_FORMAT")}
            )
        milestone.done_date = done_date
        milestone.done_by = by
        milestone.save(update_fields=["done_date", "done_by"])
    return milestone


def reopen_milestone(milestone, *, by):
    """Undo a milestone marked done by mistake: it is due or late again."""
    require_active(by)
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        require_perm(by, "projects.change_milestone", milestone)
        if milestone.done_date is None:
            raise ProjectsError(_("This milestone is not marked done."))
        milestone.done_date = None
        milestone.done_by = None
        milestone.save(update_fields=["done_date", "done_by"])
    return milestone
