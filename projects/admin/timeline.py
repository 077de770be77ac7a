"""Staff page for the cronoprogramma; done dates are set by actions calling the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import Milestone
from .base import run_service


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "phase", "due_date", "done_date", "status_display", "order"]
    list_filter = ["phase"]
    search_fields = ["title", "description"]
    readonly_fields = ["done_date", "done_by", "created_at", "created_by"]
    actions = ["mark_done_today", "reopen_selected"]

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.status.label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark selected milestones done today"))
    def mark_done_today(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda milestone: services.mark_milestone_done(milestone, by=request.user),
            lambda n: ngettext("%(count)d milestone marked done.", "%(count)d milestones marked done.", n)
            % {"count": n},
        )

    @admin.action(description=_("Reopen selected milestones"))
    def reopen_selected(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda milestone: services.reopen_milestone(milestone, by=request.user),
            lambda n: ngettext("%(count)d milestone reopened.", "%(count)d milestones reopened.", n) % {"count": n},
        )
