"""`{% nav_item 'url-name' label section='/prefix/' %}`: one entry of the main menu, marked as
the current section while the visitor is anywhere under its path prefix."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/nav_item.html", takes_context=True)
def nav_item(context, url_name, label, section=None):
    url = reverse(url_name)
    path = context["request"].path
    return {"url": url, "label": label, "current_page": path == url, "active": path.startswith(section or url)}
