"""Forms of the steering group's pages for the Patto: the pact's text and deadline, its
signatories, and the optional note of opening and closing. Validation only: the services
check every rule again and write the states."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from welfare_portal.fields import NOTE_LENGTH

from ..models import Pact, Signatory
from ..texts import DEFAULT_PACT_TEXT, DEFAULT_PACT_TITLE

__all__ = ["PactForm", "PactNoteForm", "SignatoryAddForm", "SignatoryForm"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class PactForm(forms.ModelForm):
    """Title, text and deadline of a draft pact; a new one starts from the seed's text."""

    class Meta:
        model = Pact
        fields = ["title", "text", "deadline"]
        widgets = {"deadline": DateInput(), "text": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "text": _("Plain text. Separate paragraphs with a blank line; lines starting with “- ” become a list."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["title"].initial = DEFAULT_PACT_TITLE
            self.fields["text"].initial = DEFAULT_PACT_TEXT
        self.helper = _helper()


class SignatoryAddForm(forms.ModelForm):
    """An organisation the steering group adds: verified, and not a signatory yet."""

    class Meta:
        model = Signatory
        fields = ["organisation", "responsibilities"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"organisation": _("Only verified organisations that are not signatories yet are listed.")}

    def __init__(self, *args, pact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.verified().exclude(pact_signatories__pact=pact).order_by("name")
        )
        self.helper = _helper()


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["responsibilities"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PactNoteForm(forms.Form):
    """The optional note kept in the pact's history when it opens or closes."""

    note = forms.CharField(
        label=_("Note for the history (optional)"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
