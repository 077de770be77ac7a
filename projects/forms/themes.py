"""The steering group's theme form: title, description, policy areas and the call window."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from welfare_portal.models import PolicyArea

from ..models import Theme

__all__ = ["DATETIME_LOCAL_FORMAT", "DateTimeLocalInput", "ThemeForm"]

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is Italian local time."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL_FORMAT, **kwargs)


class ThemeForm(forms.ModelForm):
    """The call window is checked here to put the error next to the closing date; the model's
    constraint (and so the service) refuses an inverted window for every caller."""

    class Meta:
        model = Theme
        fields = ["title", "description", "policy_areas", "call_opens_at", "call_closes_at"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "policy_areas": forms.CheckboxSelectMultiple,
            "call_opens_at": DateTimeLocalInput(),
            "call_closes_at": DateTimeLocalInput(),
        }
        help_texts = {
            "policy_areas": _("The policies that projects under this theme should network."),
            "call_opens_at": _("Date and time, Italian time. From then on proposals can be submitted."),
            "call_closes_at": _("Date and time, Italian time. Proposals are accepted until then."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_areas"].queryset = PolicyArea.objects.order_by("position", "name")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("call_opens_at"), cleaned.get("call_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("call_closes_at", _("The call must close after it opens."))
        return cleaned
