"""Staff pages for themes, focus groups and meetings. Memberships and minutes change through
the services, called by admin actions."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import Attendance, FocusGroup, FocusGroupMembership, Meeting, Theme
from .base import ReadOnlyInline, run_service


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "call_opens_at", "call_closes_at", "created_at"]
    search_fields = ["title", "description"]
    list_filter = ["policy_areas"]
    filter_horizontal = ["policy_areas"]
    readonly_fields = ["created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class FocusGroupForm(forms.ModelForm):
    class Meta:
        model = FocusGroup
        fields = ["theme", "title", "description", "facilitators"]

    def clean_facilitators(self):
        facilitators = self.cleaned_data["facilitators"]
        try:
            services.check_facilitators(facilitators)
        except ValidationError as error:
            raise ValidationError(error.message_dict["facilitators"]) from None
        return facilitators


class FocusGroupMembershipInline(ReadOnlyInline):
    model = FocusGroupMembership
    fields = ["organisation", "status", "requested_at", "requested_by", "decided_at", "decided_by"]
    readonly_fields = fields


@admin.register(FocusGroup)
class FocusGroupAdmin(admin.ModelAdmin):
    form = FocusGroupForm
    list_display = ["title", "theme", "created_at"]
    list_filter = ["theme"]
    search_fields = ["title", "theme__title"]
    list_select_related = ["theme"]
    filter_horizontal = ["facilitators"]
    inlines = [FocusGroupMembershipInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FocusGroupMembership)
class FocusGroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "focus_group", "status", "requested_at", "decided_at"]
    list_filter = ["status", "focus_group__theme"]
    search_fields = ["organisation__name", "focus_group__title"]
    list_select_related = ["organisation", "focus_group"]
    readonly_fields = [
        "focus_group", "organisation", "status", "requested_at", "requested_by", "decided_at", "decided_by",
    ]
    actions = ["accept_selected", "decline_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Accept selected requests or invitations"))
    def accept_selected(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda m: services.accept_focus_group_membership(m, by=request.user),
            lambda n: ngettext("%(count)d membership accepted.", "%(count)d memberships accepted.", n) % {"count": n},
        )

    @admin.action(description=_("Decline selected requests or invitations"))
    def decline_selected(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda m: services.decline_focus_group_membership(m, by=request.user),
            lambda n: ngettext("%(count)d membership declined.", "%(count)d memberships declined.", n) % {"count": n},
        )


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["organisation", "present", "recorded_at", "recorded_by"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "focus_group", "starts_at", "place", "minutes_published_at"]
    list_filter = ["focus_group__theme", "focus_group"]
    search_fields = ["title", "focus_group__title", "place", "agenda"]
    list_select_related = ["focus_group"]
    inlines = [AttendanceInline]
    actions = ["publish_selected_minutes"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        fields = ["minutes_published_at", "minutes_published_by", "created_at", "created_by"]
        if obj is not None and obj.minutes_published:
            fields.append("minutes")  # published minutes no longer change
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the minutes of the selected meetings"))
    def publish_selected_minutes(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda meeting: services.publish_minutes(meeting, by=request.user),
            lambda n: ngettext("Minutes of %(count)d meeting published.", "Minutes of %(count)d meetings published.", n)
            % {"count": n},
        )
