"""What people type: names and titles that cannot lie, and texts of a bounded length.

A name or title (of a person, an organisation, a proposal, a file...) is stored NFC-normalised,
without Unicode format characters (bidirectional controls such as U+202E, which make
"gpj.exe" read as "exe.jpg", zero-width spaces and joiners, U+FEFF, soft hyphens) and without
control characters or line breaks: what the page shows is what was meant. `NameField` does it
for a model (forms, the admin, services, migrations), `NameFormField` for a form without a model
(sign-up, signing).

Every free text has a maximum length fit for its purpose, enforced by the form (Django's
message, the textarea's `maxlength`), by the model (`BoundedTextField` validates like a
CharField) and by the database (`max_length_check`, a CHECK on the text's length, beside the
VARCHAR limit of CharFields on PostgreSQL).
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

# Maximum lengths by purpose, in characters.
NAME_LENGTH = 200  # a person's or an organisation's name, a title
NOTE_LENGTH = 2000  # a note, a reason, a short description
TEXT_LENGTH = 4000  # a description, a section of a proposal, a motivation, a comment
INTRODUCTION_LENGTH = 6000  # the Carta's introduction and principles
LONG_TEXT_LENGTH = 20000  # the minutes of a meeting, the text of the Patto


def clean_name(value):
    """`value` NFC-normalised, without format (Cf) and control (Cc) characters, its spaces
    (line breaks included) collapsed to single spaces and trimmed."""
    if value is None:
        return value
    kept = []
    for char in str(value):
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category == "Cc" else char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


class NameFormField(forms.CharField):
    """A name or title typed in a form: cleaned before it is validated, so a name made only of
    invisible characters is "required" and the length counts what is stored."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if value else value


class NameField(models.CharField):
    """A name or title: cleaned on validation and again on every save, whoever writes it."""

    def to_python(self, value):
        return clean_name(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = clean_name(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, **kwargs})


class BoundedTextField(models.TextField):
    """A TextField that requires `max_length` and validates it at the model level, as a
    CharField does (a plain TextField passes it only to its form field). Pair it with
    `max_length_check` in the model's Meta for the database."""

    def __init__(self, *args, max_length, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))


def max_length_check(field_name, max_length):
    """A CHECK constraint: the text in `field_name` has at most `max_length` characters."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field_name), max_length),
        name=f"%(app_label)s_%(class)s_{field_name}_max_length",
        violation_error_message=_("The text is too long."),
    )


def require_max_length(value, max_length, error_class):
    """Refuse a text longer than `max_length` with Django's own message, raised as the
    caller's domain error: a caller without a form (an admin action) gets a form's answer."""
    try:
        MaxLengthValidator(max_length)(value or "")
    except ValidationError as error:
        raise error_class(error.messages[0]) from None
    return value


def clean_stored_names(apps, app_label, fields_by_model):
    """For a data migration: clean the names stored before NameField. A name that would become
    empty, or equal to another one under a unique constraint, is left as it was for staff to
    correct."""
    for model_name, field_names in fields_by_model.items():
        model = apps.get_model(app_label, model_name)
        for pk, *values in list(model.objects.values_list("pk", *field_names)):
            changes = {
                name: clean_name(value)
                for name, value in zip(field_names, values)
                if value and clean_name(value) != value and clean_name(value)
            }
            if not changes:
                continue
            try:
                with transaction.atomic():
                    model.objects.filter(pk=pk).update(**changes)
            except IntegrityError:
                pass
