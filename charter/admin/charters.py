"""Staff pages for the Carta's versions and the rendered documents."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import Charter, CharterItem, CharterVersion, CharterVersionStatusChange, Document
from .base import ReadOnlyAdmin, ReadOnlyInline, run_service


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["title", "ambito_name", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


class CharterItemInline(ReadOnlyInline):
    model = CharterItem
    fields = ["position", "proposal", "added_at", "added_by"]
    readonly_fields = fields


class CharterVersionStatusChangeInline(ReadOnlyInline):
    model = CharterVersionStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = Document
    fk_name = "version"
    fields = ["kind", "sha256", "size", "page_count", "rendered_at"]
    readonly_fields = fields


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "status", "approved_at", "published_at"]
    list_filter = ["status", "charter"]
    list_select_related = ["charter"]
    inlines = [CharterItemInline, DocumentInline, CharterVersionStatusChangeInline]
    actions = ["approve_selected", "publish_selected"]

    def has_add_permission(self, request):
        # Drafts are opened through the services (they number and copy the latest version).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Texts are written on the portal's pages, through the services, like everything else.
        return [f.name for f in self.model._meta.fields if not f.primary_key]

    @admin.action(description=_("Approve selected drafts (freezes them and renders the PDF)"))
    def approve_selected(self, request, queryset):
        run_service(
            self, request, queryset, lambda version: services.approve_version(version, by=request.user),
            lambda n: ngettext("%(count)d version approved.", "%(count)d versions approved.", n) % {"count": n},
        )

    @admin.action(description=_("Publish selected approved versions"))
    def publish_selected(self, request, queryset):
        run_service(
            self, request, queryset.order_by("number"),
            lambda version: services.publish_version(version, by=request.user),
            lambda n: ngettext("%(count)d version published.", "%(count)d versions published.", n) % {"count": n},
        )


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__", "kind", "version", "pact", "verification_code", "sealed", "page_count", "size", "rendered_at",
    ]
    list_filter = ["kind", "sealed"]
    list_select_related = ["version__charter", "pact"]
    search_fields = ["sha256", "verification_code"]
