"""Admin for events and their registrations. Saving an event goes through the event services
(capacity rule, promotions from the waiting list), whose refusals show on the form;
registrations are read-only and are cancelled with an action that calls the same service as
the public link."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from welfare_portal.admin_helpers import ReadOnlyInline, ServiceFormAdmin, run_service, service_refusals

from .. import services
from ..models import Event, EventRegistration

EVENT_FIELDS = ["title", "starts_at", "place", "description", "capacity", "registration_open"]


class EventAdminForm(forms.ModelForm):
    """The services check the start and the capacity; their refusal shows on this form."""

    class Meta:
        model = Event
        fields = EVENT_FIELDS


class EventRegistrationInline(ReadOnlyInline):
    model = EventRegistration
    fields = ["name", "email", "organisation_name", "status", "registered_at", "promoted_at", "cancelled_at"]
    readonly_fields = fields
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("partners.view_eventregistration", obj)


@admin.register(Event)
class EventAdmin(ServiceFormAdmin):
    form = EventAdminForm
    list_display = ["title", "starts_at", "place", "capacity", "registration_open"]
    list_filter = ["registration_open"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["created_at", "created_by"]
    inlines = [EventRegistrationInline]

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in EVENT_FIELDS}
        with service_refusals():
            if change:
                saved = services.update_event(obj, by=request.user, **data)
            else:
                saved = services.create_event(by=request.user, **data)
        obj.pk = saved.pk
        obj.created_by = saved.created_by


@admin.register(EventRegistration)
class EventRegistrationAdmin(admin.ModelAdmin):
    """Registrations come from the public form, which records the privacy consent."""

    list_display = ["name", "email", "organisation_name", "event", "status", "registered_at", "promoted_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email", "organisation_name", "event__title"]
    list_select_related = ["event"]
    fields = [
        "event", "name", "email", "organisation_name", "status", "privacy_consent_at",
        "registered_at", "promoted_at", "cancelled_at",
    ]
    readonly_fields = fields
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel selected registrations (the first people waiting get the seats)"))
    def cancel_selected(self, request, queryset):
        run_service(
            self, request, queryset.order_by("registered_at", "pk"),
            lambda registration: services.cancel_registration(registration, by=request.user),
            lambda n: ngettext("%(count)d registration cancelled.", "%(count)d registrations cancelled.", n)
            % {"count": n},
        )
