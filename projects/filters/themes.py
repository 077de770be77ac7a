"""Search and filters of the public list of themes."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from welfare_portal.models import PolicyArea

from ..models import Theme

__all__ = ["ThemeFilter"]

CALL_OPEN, CALL_UPCOMING, CALL_CLOSED = "open", "upcoming", "closed"


class ThemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title or description")}),
    )
    call = django_filters.ChoiceFilter(
        label=_("Call for proposals"), method="by_call", empty_label=_("All calls"),
        choices=[
            (CALL_OPEN, pgettext_lazy("call for proposals", "Open")),
            (CALL_UPCOMING, pgettext_lazy("call for proposals", "Not open yet")),
            (CALL_CLOSED, pgettext_lazy("call for proposals", "Closed")),
        ],
    )
    policy_area = django_filters.ModelChoiceFilter(
        label=_("Policy area"), queryset=PolicyArea.objects.all(), field_name="policy_areas",
        empty_label=_("All policy areas"),
    )

    class Meta:
        model = Theme
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_call(self, queryset, name, value):
        now = timezone.now()
        if value == CALL_OPEN:
            return queryset.open_calls(now)
        if value == CALL_UPCOMING:
            return queryset.filter(call_opens_at__gt=now)
        return queryset.filter(call_closes_at__lte=now)
