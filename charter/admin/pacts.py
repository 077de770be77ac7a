"""Staff pages for pacts: signatories, signatures (with their audit details) and declines."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import Decline, Document, Pact, PactStatusChange, Signatory, Signature
from .base import ReadOnlyAdmin, ReadOnlyInline, run_service


class SignatoryInline(ReadOnlyInline):
    model = Signatory
    fields = ["organisation_name", "organisation_tax_code", "source", "responsibilities", "reminded_at",
              "reminder_count"]
    readonly_fields = fields


class PactDocumentInline(ReadOnlyInline):
    model = Document
    fk_name = "pact"
    fields = ["kind", "sha256", "size", "page_count", "rendered_at"]
    readonly_fields = fields


class PactStatusChangeInline(ReadOnlyInline):
    model = PactStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


@admin.register(Pact)
class PactAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "status", "deadline", "opened_at", "closed_at"]
    list_filter = ["status"]
    list_select_related = ["version__charter"]
    inlines = [SignatoryInline, PactDocumentInline, PactStatusChangeInline]
    actions = ["open_selected", "remind_selected", "close_selected"]

    def has_add_permission(self, request):
        # Created through the services, which derive the signatories from the Carta.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Texts are written on the portal's pages, through the services, like everything else.
        return [f.name for f in self.model._meta.fields if not f.primary_key]

    @admin.action(description=_("Open selected pacts for signing (renders the PDF to sign)"))
    def open_selected(self, request, queryset):
        run_service(
            self, request, queryset, lambda pact: services.open_pact(pact, by=request.user),
            lambda n: ngettext("%(count)d pact opened.", "%(count)d pacts opened.", n) % {"count": n},
        )

    @admin.action(description=_("Remind the signatories who have not answered"))
    def remind_selected(self, request, queryset):
        run_service(
            self, request, queryset, lambda pact: services.send_reminders(pact, by=request.user),
            lambda n: ngettext("Reminders sent for %(count)d pact.", "Reminders sent for %(count)d pacts.", n)
            % {"count": n},
        )

    @admin.action(description=_("Close selected pacts (renders the signed PDF)"))
    def close_selected(self, request, queryset):
        run_service(
            self, request, queryset, lambda pact: services.close_pact(pact, by=request.user),
            lambda n: ngettext("%(count)d pact closed.", "%(count)d pacts closed.", n) % {"count": n},
        )


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "pact", "full_name", "signer", "signed_at", "ip_address"]
    list_filter = ["pact"]
    list_select_related = ["organisation", "pact", "signer"]
    search_fields = ["organisation__name", "full_name", "signer__email", "document_sha256", "record_sha256"]


@admin.register(Decline)
class DeclineAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "pact", "declined_by", "declined_at"]
    list_filter = ["pact"]
    list_select_related = ["organisation", "pact", "declined_by"]
