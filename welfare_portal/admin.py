from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import AgeBand, Municipality, PolicyArea, TargetGroup, User

# What only `welfare_portal.change_user_access` may change (see welfare_portal.rules): who is
# staff or superuser, permissions, and the address and password a person logs in with.
ACCESS_FIELDS = ["email", "is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Staff look people up, correct names and deactivate accounts; nobody gives themselves or
    anyone else more access here, nor takes over an account by setting its address or password."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["full_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "closed_at"]}),
    ]
    readonly_fields = ["closed_at"]  # set by the person's own account closure only
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    @staticmethod
    def _may_change_access(request):
        return request.user.has_perm("welfare_portal.change_user_access")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("welfare_portal.view_user", obj) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("welfare_portal.change_user", obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self._may_change_access(request):
            return fieldsets
        # Not even the hash, nor the link to set a new password.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if self._may_change_access(request):
            return readonly
        return [*readonly, *ACCESS_FIELDS]

    def user_change_password(self, request, id, form_url=""):
        if not self._may_change_access(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "istat_code", "population"]
    search_fields = ["name", "istat_code"]


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AgeBand)
class AgeBandAdmin(admin.ModelAdmin):
    list_display = ["label", "min_age", "max_age"]
    search_fields = ["label"]
