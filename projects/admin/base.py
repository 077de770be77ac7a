"""What the projects admin pages share: the action bar's motivation field, and the helpers of
every app's admin (welfare_portal.admin_helpers)."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from welfare_portal.admin_helpers import ReadOnlyInline, run_service

__all__ = ["MotivationActionForm", "ReadOnlyInline", "run_service"]


class MotivationActionForm(ActionForm):
    """The motivation the lead partner reads, for requests of changes and decisions."""

    motivation = forms.CharField(label=_("Motivation"), required=False)
