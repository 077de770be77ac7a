"""Forms of the public verification page: a code to look up, a PDF to compare. The file is
read in chunks to hash it and never stored (charter.verification.sha256_of_upload)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..verification import max_upload_bytes, normalise_code, sha256_of_upload

__all__ = ["VerificationCodeForm", "VerificationUploadForm"]


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=40,
        help_text=_("Printed on the cover and at the foot of every page, e.g. ABCDE-23456."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has ten letters and digits, in two groups of five (e.g. ABCDE-23456).")
            )
        return code


class VerificationUploadForm(forms.Form):
    """`cleaned_data["sha256"]` is the uploaded file's fingerprint."""

    file = forms.FileField(
        label=_("PDF file to check"),
        help_text=_("The file is only compared with the issued document: it is not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s: it cannot be the issued document.")
                % {"limit": filesizeformat(limit)}
            )
        sha256, head = sha256_of_upload(uploaded)
        if not head.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This file is not a PDF."))
        self.cleaned_data["sha256"] = sha256
        return uploaded
