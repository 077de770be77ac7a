import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

# Line and paragraph breaks and the other control characters (tabs, escapes, NUL...).
LINE_BREAKING_CATEGORIES = {"Cc", "Zl", "Zp"}


def single_line(text):
    """`text` on one line: control characters and line breaks become spaces, and runs of spaces
    one space."""
    spaced = "".join(" " if unicodedata.category(char) in LINE_BREAKING_CATEGORIES else char for char in text)
    return " ".join(spaced.split())


class SingleLineCharField(forms.CharField):
    """A name typed in a public form. It is written into emails and CSV files: a pasted line
    break must not make it look like a line of the portal's own text there."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if value else value


class SignupForm(forms.Form):
    """Extra sign-up fields that allauth merges into its own form."""

    full_name = SingleLineCharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
