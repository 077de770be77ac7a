"""The upload of the Patto signed with a qualified digital signature. The form only checks
what the browser sent (a file, not too large); charter.qualified decides on the signature."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..qualified import max_bytes

__all__ = ["QualifiedSignatureForm"]


class QualifiedSignatureForm(forms.Form):
    signed_file = forms.FileField(
        label=_("The signed PDF"),
        error_messages={"required": _("Choose the signed PDF to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_file"].help_text = gettext(
            "The text for signing, signed with your qualified digital signature in PAdES format (a .pdf file, "
            "at most %(size)d MB)."
        ) % {"size": settings.CHARTER_QUALIFIED_MAX_MB}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_signed_file(self):
        upload = self.cleaned_data["signed_file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                gettext("The file is larger than %(size)d MB: upload the signed PDF only.")
                % {"size": settings.CHARTER_QUALIFIED_MAX_MB}
            )
        return upload
