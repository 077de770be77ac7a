"""Admin for the outreach board: contacts and their dated history. The status is read-only;
saving and the invitation action go through the services, so every change leaves a history
row, and a refusal shows on the form."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from welfare_portal.admin_helpers import ReadOnlyInline, ServiceFormAdmin, run_service, service_refusals

from .. import services
from ..models import OutreachContact, OutreachStatusChange

DETAIL_FIELDS = ["name", "email", "kind", "municipality", "notes"]


class OutreachStatusChangeInline(ReadOnlyInline):
    model = OutreachStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


class OutreachContactAdminForm(forms.ModelForm):
    """The services check the assignee; their refusal shows on this form."""

    class Meta:
        model = OutreachContact
        fields = [*DETAIL_FIELDS, "assigned_to"]


@admin.register(OutreachContact)
class OutreachContactAdmin(ServiceFormAdmin):
    form = OutreachContactAdminForm
    list_display = ["name", "kind", "municipality", "status", "assigned_to", "invited_at", "organisation"]
    list_filter = ["status", "kind", "municipality", ("assigned_to", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "notes"]
    list_select_related = ["municipality", "assigned_to", "organisation"]
    readonly_fields = ["status", "organisation", "invited_at", "created_at", "created_by"]
    inlines = [OutreachStatusChangeInline]
    actions = ["send_invitation"]

    def save_model(self, request, obj, form, change):
        details = {name: form.cleaned_data[name] for name in DETAIL_FIELDS}
        with service_refusals():
            if not change:
                contact = services.create_outreach_contact(
                    by=request.user, assigned_to=form.cleaned_data["assigned_to"], **details
                )
                obj.pk = contact.pk
                obj.created_by = contact.created_by
                return
            services.update_outreach_contact(obj, by=request.user, **details)
            if "assigned_to" in form.changed_data:
                services.assign_outreach_contact(obj, by=request.user, assignee=form.cleaned_data["assigned_to"])

    @admin.action(description=_("Send the invitation to the selected contacts"))
    def send_invitation(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda contact: services.send_outreach_invitation(contact, by=request.user),
            lambda n: ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", n) % {"count": n},
        )
