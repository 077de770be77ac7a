"""Filters that keep a person's codice fiscale off public pages and documents (see
partners.validators): `{{ code|public_tax_code }}`, `{{ text|without_personal_tax_codes }}`."""

from django import template

from .. import validators

register = template.Library()


@register.filter
def public_tax_code(value):
    """An organisation's tax code when it is a legal body's; '' for a person's own."""
    return validators.public_tax_code(value)


@register.filter
def without_personal_tax_codes(text):
    """The text with any personal codice fiscale blanked; still to be escaped."""
    return validators.without_personal_tax_codes(text)
