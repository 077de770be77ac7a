"""Italian tax codes, checked with their check digit (python-stdnum).

An organisation has a numeric codice fiscale (11 digits, the same algorithm as the partita IVA),
or, for sole traders, a personal 16-character one. A legal representative's own code is always
the personal kind.
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
