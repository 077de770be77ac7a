"""What every app's admin shares: running a service per selected row, read-only records."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .refusals import RefusedAction


def run_service(modeladmin, request, queryset, action, success_message):
    """Call `action(obj)` for each selected row; refusals become error messages per row."""
    done = 0
    for obj in queryset:
        try:
            action(obj)
        except RefusedAction as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success_message(done), messages.SUCCESS)


class ReadOnlyInline(admin.TabularInline):
    """History rows and other records only the services write."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
