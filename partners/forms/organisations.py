"""Forms for organisations and memberships: validation only; the services write."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NOTE_LENGTH

from ..models import Membership, Organisation

__all__ = [
    "ConfirmLegalRepresentativeForm", "MembershipRequestForm", "MembershipRefuseForm",
    "OrganisationForm", "OrganisationRejectForm", "OrganisationVerifyForm",
]


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _model_label(name):
    return capfirst(Organisation._meta.get_field(name).verbose_name)


class OrganisationForm(forms.ModelForm):
    """Registration and profile. The model's validation runs here too (tax code check digit,
    one organisation per tax code), so most mistakes show next to their field before the
    service is asked.

    `lock_tax_code=True` shows the tax code without letting it change: see
    services.update_organisation for why a verified organisation's code is staff's business.
    """

    website = forms.URLField(
        label=_model_label("website"), required=False, max_length=200, assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "kind", "legal_form", "tax_code", "seat_municipality", "municipalities_served",
            "policy_areas", "description", "website", "email", "phone",
        ]
        widgets = {
            "municipalities_served": forms.CheckboxSelectMultiple,
            "policy_areas": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, lock_tax_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if lock_tax_code:
            field = self.fields["tax_code"]
            field.disabled = True
            field.help_text = _(
                "The organisation is verified: to change its tax code, write to the district "
                "plan office."
            )


class MembershipRequestForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role you ask for"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text=_(
            "The legal representative role is also confirmed by the district plan office, because "
            "only that person may sign the Patto for the organisation."
        ),
    )
    note = forms.CharField(
        label=_("Note for the referents"), required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: who you are and what you do in the organisation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MembershipRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional; the person receives it by email."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class OrganisationVerifyForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have checked the organisation's details and its tax code."),
        error_messages={"required": _("Confirm that you have checked the details before verifying.")},
    )
    note = forms.CharField(
        label=_("Internal note"), required=False, max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; kept in the organisation's history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class OrganisationRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisation's referents read it, correct the profile and resubmit."),
        error_messages={"required": _("Give the reason for the rejection: the organisation will read it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ConfirmLegalRepresentativeForm(forms.Form):
    """The check digit is validated by the service, so every caller gets the same check."""

    tax_code = forms.CharField(
        label=_("The person's own codice fiscale"), max_length=24,
        help_text=_("16 characters, as on the health insurance card."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
