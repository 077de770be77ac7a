"""What the projects admin pages share: running a service per selected row, read-only inlines
and the action bar's motivation field."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..services import ProjectsError


class MotivationActionForm(ActionForm):
    """The motivation the lead partner reads, for requests of changes and decisions."""

    motivation = forms.CharField(label=_("Motivation"), required=False)


def run_service(modeladmin, request, queryset, action, success_message):
    """Call `action(obj)` for each selected row; refusals become error messages per row."""
    done = 0
    for obj in queryset:
        try:
            action(obj)
        except ProjectsError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success_message(done), messages.SUCCESS)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
