"""Staff pages for partners. Statuses are read-only here: admin actions call the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from welfare_portal.admin_helpers import ReadOnlyInline, ServiceFormAdmin, run_service, service_refusals

from .. import services
from ..models import (
    Membership,
    MembershipStatusChange,
    Organisation,
    OrganisationStatusChange,
    SteeringGroupMember,
)


class PartnersActionForm(ActionForm):
    """The action bar's extra inputs: a reason for rejections and refusals, a tax code for
    confirming a legal representative."""

    reason = forms.CharField(label=_("Reason"), required=False)
    tax_code = forms.CharField(label=_("Personal tax code"), required=False, max_length=16)


class OrganisationStatusChangeInline(ReadOnlyInline):
    model = OrganisationStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "status", "requested_at", "decided_at", "confirmed_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tax_code", "seat_municipality", "status", "created_at"]
    list_filter = ["status", "kind", "seat_municipality", "policy_areas"]
    search_fields = ["name", "tax_code", "email"]
    list_select_related = ["seat_municipality"]
    filter_horizontal = ["municipalities_served", "policy_areas"]
    readonly_fields = [
        "status", "rejection_reason", "created_at", "created_by", "verified_at", "verified_by",
    ]
    inlines = [MembershipInline, OrganisationStatusChangeInline]
    action_form = PartnersActionForm
    actions = ["verify_selected", "reject_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        # Organisations are registered by their referents, who become members as they do.
        return False

    @admin.action(description=_("Verify selected organisations"))
    def verify_selected(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda org: services.verify_organisation(org, by=request.user),
            lambda n: ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", n)
            % {"count": n},
        )

    @admin.action(description=_("Reject selected organisations (give the reason)"))
    def reject_selected(self, request, queryset):
        reason = request.POST.get("reason", "")
        run_service(
            self, request, queryset,
            lambda org: services.reject_organisation(org, by=request.user, reason=reason),
            lambda n: ngettext("%(count)d organisation rejected.", "%(count)d organisations rejected.", n)
            % {"count": n},
        )


class MembershipStatusChangeInline(ReadOnlyInline):
    model = MembershipStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "status", "requested_at", "confirmed_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    fields = [
        "user", "organisation", "role", "status", "requested_at", "decided_at", "decided_by",
        "refusal_reason", "representative_tax_code", "confirmed_at", "confirmed_by",
    ]
    readonly_fields = [
        "user", "organisation", "role", "status", "requested_at", "decided_at", "decided_by",
        "refusal_reason", "representative_tax_code", "confirmed_at", "confirmed_by",
    ]
    inlines = [MembershipStatusChangeInline]
    action_form = PartnersActionForm
    actions = ["accept_selected", "refuse_selected", "confirm_legal_representative"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Accept selected requests"))
    def accept_selected(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda m: services.accept_membership(m, by=request.user),
            lambda n: ngettext("%(count)d request accepted.", "%(count)d requests accepted.", n)
            % {"count": n},
        )

    @admin.action(description=_("Refuse selected requests"))
    def refuse_selected(self, request, queryset):
        reason = request.POST.get("reason", "")
        run_service(
            self, request, queryset,
            lambda m: services.refuse_membership(m, by=request.user, reason=reason),
            lambda n: ngettext("%(count)d request refused.", "%(count)d requests refused.", n)
            % {"count": n},
        )

    @admin.action(description=_("Confirm as legal representative (one at a time, with the tax code)"))
    def confirm_legal_representative(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Select exactly one membership to confirm a legal representative."),
                messages.ERROR,
            )
            return
        tax_code = request.POST.get("tax_code", "")
        run_service(
            self, request, queryset,
            lambda m: services.confirm_legal_representative(m, by=request.user, tax_code=tax_code),
            lambda n: _("Legal representative confirmed."),
        )


class SteeringGroupMemberForm(forms.ModelForm):
    class Meta:
        model = SteeringGroupMember
        fields = ["user", "role", "organisation", "municipality", "start_date", "end_date"]


@admin.register(SteeringGroupMember)
class SteeringGroupMemberAdmin(ServiceFormAdmin):
    """New seats go through appoint_steering_member, whose refusals show on the form; an
    existing seat is only ended."""

    form = SteeringGroupMemberForm
    list_display = ["user", "role", "organisation", "municipality", "start_date", "end_date"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "municipality__name"]
    list_select_related = ["user", "organisation", "municipality"]
    actions = ["end_today"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["appointed_at", "appointed_by"]
        return [
            "user", "role", "organisation", "municipality", "start_date", "end_date",
            "appointed_at", "appointed_by", "ended_by",
        ]

    def save_model(self, request, obj, form, change):
        if change:
            return
        with service_refusals():
            seat = services.appoint_steering_member(
                by=request.user, user=obj.user, role=obj.role, organisation=obj.organisation,
                municipality=obj.municipality, start_date=obj.start_date, end_date=obj.end_date,
            )
        obj.pk = seat.pk
        obj.appointed_by = seat.appointed_by

    @admin.action(description=_("End selected seats today"))
    def end_today(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda seat: services.end_steering_membership(seat, by=request.user),
            lambda n: ngettext("%(count)d seat ended.", "%(count)d seats ended.", n) % {"count": n},
        )
