"""`{% pacts_to_sign_count user as count %}`: how many pact answers the person owes, for the
personal area (one query, on that page only: the emails and the Patto page link to signing)."""

from django import template

from ..models import Signatory

register = template.Library()


@register.simple_tag
def pacts_to_sign_count(user):
    if not getattr(user, "is_authenticated", False):
        return 0
    return Signatory.objects.awaiting(user).count()
