"""`{% upcoming_events as events %}`: the next events, for pages outside the partners app (the
home page) that should not import it."""

from django import template
from django.utils import timezone

from ..models import Event

register = template.Library()


@register.simple_tag
def upcoming_events(limit=3):
    """The next events, soonest first, in one query."""
    return list(Event.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")[:limit])
