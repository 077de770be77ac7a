"""What every app's admin shares: running a service per selected row, saving a form through a
service, read-only records.

Staff reach the admin through the django-rules permissions of each app (`app` for the menu,
`app.<action>_<model>` for the pages), never through a superuser flag.
"""

from contextlib import contextmanager

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


class RefusedSave(Exception):
    """A service refused what an admin form asked to save; `error` is a ValidationError."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


@contextmanager
def service_refusals():
    """Around the service call in `save_model`: a refusal stops the save (see ServiceFormAdmin)."""
    try:
        yield
    except RefusedAction as error:
        raise RefusedSave(ValidationError(error.message)) from error
    except ValidationError as error:
        raise RefusedSave(error) from error


def _add_refusal(form, error):
    """The service's message on the form: on the fields it names when the form has them."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


class ServiceFormAdmin(admin.ModelAdmin):
    """An admin whose `save_model` calls a service inside `service_refusals()`.

    When the service refuses, the admin's transaction is rolled back and the same POST is shown
    again with the service's message as a form error: nothing saved, the data entered kept, and
    no "added/changed successfully" message (Django would say so after any `save_model`).
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedSave as refusal:
            request.admin_refusal = refusal.error
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "admin_refusal", None)
        if error is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                _add_refusal(self, error)
                return cleaned_data

        return RefusedForm


class ReadOnlyInline(admin.TabularInline):
    """History rows and other records only the services write; whoever may see the record they
    belong to sees them (`has_view_permission` of the parent's admin, with the parent)."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        parent_admin = self.admin_site._registry.get(self.parent_model)
        return parent_admin is not None and parent_admin.has_view_permission(request, obj)

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
