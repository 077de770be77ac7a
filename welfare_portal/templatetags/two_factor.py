"""`{% two_factor_continue_url as url %}`: the page a person was sent away from to set up
two-factor authentication, once it is active (welfare_portal.two_factor)."""

from django import template

from ..two_factor import page_to_continue

register = template.Library()


@register.simple_tag(takes_context=True)
def two_factor_continue_url(context):
    request = context.get("request")
    return page_to_continue(request) if request is not None else None
