"""Forms for events: the organisers' event form and the public registration form."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MinValueValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NAME_LENGTH, NameFormField

from ..models import Event

__all__ = ["EventForm", "EventRegistrationForm"]

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class EventForm(forms.ModelForm):
    """What the organisers set; the capacity rule and the waiting list live in the service."""

    class Meta:
        model = Event
        fields = ["title", "starts_at", "place", "description", "capacity", "registration_open"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "starts_at": _("Date and time, Italian time."),
            "registration_open": _("Untick to stop new registrations; those already made stay."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["capacity"].widget.attrs["min"] = 1
        self.helper = FormHelper()
        self.helper.form_tag = False


class EventRegistrationForm(forms.Form):
    """Anyone's registration. Consent to the privacy notice is required; the service checks it
    again, since it is the legal basis for keeping the data."""

    name = NameFormField(label=_("Full name"), max_length=NAME_LENGTH)
    email = forms.EmailField(
        label=_("Email"), max_length=254,
        help_text=_("We send the confirmation and the link to cancel here."),
    )
    organisation_name = NameFormField(
        label=_("Organisation"), max_length=NAME_LENGTH, required=False,
        help_text=_("The organisation you represent, if any."),
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree to the processing of my data, as described in the privacy notice, to organise this event."),
        required=True,
        error_messages={"required": _("Accept the privacy notice to register.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The link sits in the help text, not in the label: clicking the label ticks the box.
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("privacy"), gettext("Read the privacy notice")
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.helper = FormHelper()
        self.helper.form_tag = False

