"""Forms of the signing pages: the signature (typed full name, the consent statement, the
fingerprint of the document shown) and the decline with its reason. The service decides."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from welfare_portal.fields import NAME_LENGTH, TEXT_LENGTH, NameFormField

__all__ = ["DeclineForm", "SignForm"]


class SignForm(forms.Form):
    """The consent checkbox's label is the statement stored with the signature, word for word;
    `document_sha256` carries the fingerprint the page showed, so a document that changed in
    the meantime is not signed."""

    full_name = NameFormField(label=_("Your full name"), max_length=NAME_LENGTH)
    consent = forms.BooleanField(
        required=True, error_messages={"required": _("Confirm the consent statement to sign.")},
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, consent_text, account_name, document_sha256, **kwargs):
        super().__init__(*args, initial={"document_sha256": document_sha256}, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["full_name"].help_text = gettext(
            "Type it as it appears in your account: %(name)s."
        ) % {"name": account_name}
        self.fields["full_name"].widget.attrs.update(autocomplete="name", spellcheck="false")
        self.helper = FormHelper()
        self.helper.form_tag = False


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the organisation decline?"), max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The steering group reads it, and it appears in the annex of the signed document."),
        error_messages={"required": _("Give the reason for declining: the steering group will read it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
