from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import NAME_LENGTH, NameFormField


class SignupForm(forms.Form):
    """Extra sign-up fields that allauth merges into its own form."""

    full_name = NameFormField(
        label=_("Full name"),
        max_length=NAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
