"""The account closure's confirmation: a deliberate tick, after a fresh re-authentication."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountCloseForm"]


class AccountCloseForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        label=_("I understand that my account will be closed for good, and that what must be kept as a record "
                "is kept."),
        error_messages={"required": _("Tick the box to confirm that you want to close your account.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
