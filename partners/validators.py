"""Italian tax codes, checked with their check digit (python-stdnum).

An organisation has a numeric codice fiscale (11 digits, the same algorithm as the partita IVA),
or, for sole traders, a personal 16-character one. A legal representative's own code is always
the personal kind.

A person's codice fiscale is personal data: public pages, documents and open data show an
organisation's code only when it is a legal body's (all digits), never a 16-character one
(`public_tax_code`), and `without_personal_tax_codes` blanks any that a text quotes (a
certificate's `serialNumber=TINIT-<codice fiscale>`, for one).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.it import codicefiscale, iva


def normalise_tax_code(value):
    """Upper-case, without spaces or separators, and without the "IT" prefix of a VAT number."""
    if not value:
        return ""
    value = re.sub(r"[\s.\-/]", "", str(value)).upper()
    if re.fullmatch(r"IT\d{11}", value):
        value = value[2:]
    return value


# A personal codice fiscale, check character included; digits may be replaced by letters
# (omocodia). Optionally behind the TINIT- prefix of a qualified certificate's serialNumber.
PERSONAL_TAX_CODE = re.compile(
    r"(?<![A-Z0-9])(?:TINIT-)?[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z]"
    r"[0-9LMNPQRSTUV]{3}[A-Z](?![A-Z0-9])",
    re.IGNORECASE,
)
PERSONAL_TAX_CODE_PLACEHOLDER = "[…]"


def is_personal_tax_code(value):
    """True for a person's 16-character codice fiscale (a sole trader's organisation has one)."""
    value = normalise_tax_code(value)
    return bool(value) and not value.isdigit()


def public_tax_code(value):
    """The code as public pages may show it: a legal body's, or '' for a person's own."""
    return "" if is_personal_tax_code(value) else normalise_tax_code(value)


def without_personal_tax_codes(text):
    """`text` with every personal codice fiscale in it replaced by a placeholder."""
    return PERSONAL_TAX_CODE.sub(PERSONAL_TAX_CODE_PLACEHOLDER, str(text or ""))


def validate_organisation_tax_code(value):
    value = normalise_tax_code(value)
    try:
        if value.isdigit():
            iva.validate(value)
        else:
            codicefiscale.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _(
                "Enter a valid Italian tax code (11 digits or 16 characters) or VAT number; "
                "check for typing mistakes, the last character is a check digit."
            ),
            code="invalid_tax_code",
        ) from None


def validate_personal_tax_code(value):
    value = normalise_tax_code(value)
    try:
        if len(value) != 16:
            raise StdnumValidationError()
        codicefiscale.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _(
                "Enter the person's own codice fiscale: 16 characters, the last of which is a "
                "check character."
            ),
            code="invalid_personal_tax_code",
        ) from None
